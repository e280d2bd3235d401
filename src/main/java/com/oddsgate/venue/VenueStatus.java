package com.oddsgate.venue;

/** HTTP status rules shared by the venues: what is worth retrying, and how long to wait. */
public final class VenueStatus {

    private VenueStatus() {
    }

    /** 425 (engine restarting), 429 (rate limited), 5xx (including 503 restricted mode). */
    public static boolean retryable(int status) {
        return status == 425 || status == 429 || status >= 500;
    }

    /** Retry-After in seconds (the form venues send), or null. */
    public static Long retryAfterMillis(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Math.max(0, Long.parseLong(header.trim()) * 1000);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
