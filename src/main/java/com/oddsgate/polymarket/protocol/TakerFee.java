package com.oddsgate.polymarket.protocol;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.order.Decimals;

/**
 * A market's taker fee inputs from {@code /clob-markets/{condition_id}} ({@code fd.r}, {@code fd.e}):
 * a taker pays shares × r × (p × (1 − p))^e in collateral; a maker pays nothing. Exact for whole
 * exponents; a fractional one goes through a double, as the official client computes it (a
 * relative error near 1e-16, below the collateral's 6 decimals). Rounded up to those 6 decimals:
 * this is what the money check reserves, never what a fill is booked at.
 */
public record TakerFee(BigDecimal rate, BigDecimal exponent) {

    public static final TakerFee NONE = new TakerFee(BigDecimal.ZERO, BigDecimal.ONE);

    public TakerFee {
        if (rate.signum() < 0 || rate.compareTo(BigDecimal.ONE) > 0 || exponent.signum() < 0 || exponent.compareTo(BigDecimal.TEN) > 0) {
            throw new IllegalArgumentException("fee inputs out of range: r " + rate.toPlainString() + ", e " + exponent.toPlainString());
        }
    }

    /** From the market's {@code fd} object; NONE when the market has none. */
    public static TakerFee of(JsonNode fd) {
        if (fd == null || !fd.isObject() || !fd.hasNonNull("r")) {
            return NONE;
        }
        return new TakerFee(Decimals.parse(fd.get("r").asText()), Decimals.parse(fd.path("e").asText("1")));
    }

    /** The fee a taker pays for {@code shares} at {@code price}. */
    public BigDecimal of(BigDecimal price, BigDecimal shares) {
        if (rate.signum() == 0) {
            return BigDecimal.ZERO.setScale(6);
        }
        BigDecimal base = price.multiply(BigDecimal.ONE.subtract(price));
        BigDecimal factor = exponent.stripTrailingZeros().scale() <= 0 ? base.pow(exponent.intValueExact())
                : new BigDecimal(Math.pow(base.doubleValue(), exponent.doubleValue()), new MathContext(20));
        return shares.multiply(rate).multiply(factor).setScale(6, RoundingMode.UP);
    }
}
