package com.oddsgate.message;

/** How key ids and API keys are shown wherever an operator sees them (views, logs, toString). */
public final class Secrets {

    private Secrets() {
    }

    /** Shows the first 4 characters only, enough to tell two keys apart in an operator's view. */
    public static String mask(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        return value.length() <= 4 ? "****" : value.substring(0, 4) + "****";
    }
}
