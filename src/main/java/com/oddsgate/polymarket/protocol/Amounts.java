package com.oddsgate.polymarket.protocol;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

import com.oddsgate.order.Side;

/**
 * Maker and taker amounts (6-decimal integers) from a price and a size, following the venue's
 * rounding rules per tick size. Exact decimals only: a float here is a rejected order there.
 */
public final class Amounts {

    /** Amounts carry 6 decimals on chain (pUSD and CTF shares). */
    public static final int TOKEN_DECIMALS = 6;
    /** Marketable orders: maker at most 2 decimals, taker at most 4, whatever the tick. */
    static final int MARKETABLE_MAKER_DECIMALS = 2;
    static final int MARKETABLE_TAKER_DECIMALS = 4;

    public record Rounding(int price, int size, int amount) {
    }

    public record Raw(BigInteger makerAmount, BigInteger takerAmount) {
    }

    private Amounts() {
    }

    public static Rounding roundingFor(BigDecimal tick) {
        return switch (tick.stripTrailingZeros().toPlainString()) {
            case "0.1" -> new Rounding(1, 2, 3);
            case "0.01" -> new Rounding(2, 2, 4);
            case "0.005", "0.001" -> new Rounding(3, 2, 5);
            case "0.0025", "0.0001" -> new Rounding(4, 2, 6);
            default -> throw new IllegalArgumentException("unsupported tick size " + tick.toPlainString());
        };
    }

    /** Resting (GTC/GTD) order amounts. */
    public static Raw limit(Side side, BigDecimal price, BigDecimal size, BigDecimal tick) {
        Rounding r = roundingFor(tick);
        BigDecimal p = price.setScale(r.price(), RoundingMode.HALF_EVEN);
        BigDecimal shares = size.setScale(r.size(), RoundingMode.DOWN);
        BigDecimal collateral = fitAmount(shares.multiply(p), r.amount());
        return side == Side.BUY ? raw(collateral, shares) : raw(shares, collateral);
    }

    /** Marketable (FOK/FAK) order amounts: the taker side is bounded by the worst acceptable price. */
    public static Raw marketable(Side side, BigDecimal price, BigDecimal size, BigDecimal tick) {
        Rounding r = roundingFor(tick);
        BigDecimal p = price.setScale(r.price(), RoundingMode.HALF_EVEN);
        int takerDecimals = Math.min(r.amount(), MARKETABLE_TAKER_DECIMALS);
        if (side == Side.BUY) {
            BigDecimal collateral = size.multiply(p).setScale(MARKETABLE_MAKER_DECIMALS, RoundingMode.DOWN);
            BigDecimal shares = fitAmount(collateral.divide(p, takerDecimals + 8, RoundingMode.DOWN), takerDecimals);
            return raw(collateral, shares);
        }
        BigDecimal shares = size.setScale(MARKETABLE_MAKER_DECIMALS, RoundingMode.DOWN);
        BigDecimal collateral = fitAmount(shares.multiply(p), takerDecimals);
        return raw(shares, collateral);
    }

    /**
     * The official rounding of a derived amount: too many decimals → round up at (allowed + 4),
     * and if still too long, round down at the allowed decimals.
     */
    static BigDecimal fitAmount(BigDecimal amount, int allowed) {
        BigDecimal a = amount.stripTrailingZeros();
        if (a.scale() > allowed) {
            a = a.setScale(allowed + 4, RoundingMode.UP).stripTrailingZeros();
            if (a.scale() > allowed) {
                a = a.setScale(allowed, RoundingMode.DOWN);
            }
        }
        return a;
    }

    public static BigInteger toUnits(BigDecimal amount) {
        return amount.movePointRight(TOKEN_DECIMALS).setScale(0, RoundingMode.UNNECESSARY).toBigIntegerExact();
    }

    public static BigDecimal fromUnits(BigInteger units) {
        return new BigDecimal(units).movePointLeft(TOKEN_DECIMALS);
    }

    private static Raw raw(BigDecimal maker, BigDecimal taker) {
        return new Raw(toUnits(maker), toUnits(taker));
    }
}
