package com.oddsgate.order;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Exact decimals from venue text, of bounded size: at most 24 integer and 18 fraction digits and an
 * exponent of at most two digits ({@code 1.0E-6} is how a JSON double prints). A number like
 * {@code 1e500000000} is refused: it would make later arithmetic run for minutes.
 */
public final class Decimals {

    /** Less than this of an order's size left unfilled is dust: its whole size counts as traded. */
    public static final BigDecimal DUST = new BigDecimal("0.01");

    private static final Pattern PLAIN = Pattern.compile("-?\\d{1,24}(\\.\\d{1,18})?([eE][-+]?\\d{1,2})?");

    private Decimals() {
    }

    /** The decimal in {@code text}; IllegalArgumentException when it is not a bounded decimal. */
    public static BigDecimal parse(String text) {
        if (text == null || text.length() > 44 || !PLAIN.matcher(text).matches()) {
            throw new IllegalArgumentException("not a bounded decimal: '" + (text == null ? "" : text.length() > 44
                    ? text.substring(0, 44) + "…" : text) + "'");
        }
        return new BigDecimal(text);
    }

    /** As people write it: no exponent, no trailing zeros ("2.5", "0"); null stays null. */
    public static String plain(BigDecimal d) {
        return d == null ? null : d.stripTrailingZeros().toPlainString();
    }
}
