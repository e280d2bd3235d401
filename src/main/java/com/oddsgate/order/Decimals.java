package com.oddsgate.order;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Exact decimals from venue text. Only plain notation of bounded length is accepted: a number like
 * {@code 1e500000000} would otherwise make later arithmetic run for minutes.
 */
public final class Decimals {

    private static final Pattern PLAIN = Pattern.compile("-?\\d{1,24}(\\.\\d{1,18})?");

    private Decimals() {
    }

    /** The decimal in {@code text}; IllegalArgumentException when it is not a plain, bounded decimal. */
    public static BigDecimal parse(String text) {
        if (text == null || text.length() > 44 || !PLAIN.matcher(text).matches()) {
            throw new IllegalArgumentException("not a plain decimal: '" + (text == null ? "" : text.length() > 44
                    ? text.substring(0, 44) + "…" : text) + "'");
        }
        return new BigDecimal(text);
    }
}
