package com.oddsgate.venue;

/** HTTP status rules shared by the venues: what is worth retrying, and how long to wait. */
public final class VenueStatus {

    private VenueStatus() {
    }

    /** 425 (engine restarting), 429 (rate limited), 5xx (including 503 restricted mode). */
    public static boolean retryable(int status) {
        return status == 425 || status == 429 || status >= 500;
    }

    /**
     * The status and body of a venue's HTTP answer on the message; transport trouble (see
     * {@link #retryable}) is thrown as {@link RetryableVenueException} so the route's redelivery applies.
     */
    public record Answer(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    public static Answer answer(org.apache.camel.Message in, String venue, String call) {
        int status = in.getHeader(org.apache.camel.Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (retryable(status)) {
            Long after = retryAfterMillis(in.getHeader("Retry-After", String.class));
            if (after != null) {
                // Read by Camel's redelivery to replace the backoff delay for this attempt.
                in.setHeader(org.apache.camel.Exchange.REDELIVERY_DELAY, after);
            }
            throw new RetryableVenueException(venue + " answered HTTP " + status + " to " + call, status, after);
        }
        return new Answer(status, in.getBody(String.class));
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
