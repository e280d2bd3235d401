package com.oddsgate.venue;

/**
 * The venue did not process the request but may on a later try (restart 425, rate limit 429,
 * 5xx, restricted mode). The routes redeliver it with backoff; it never means "rejected".
 */
public class RetryableVenueException extends RuntimeException {

    private final int status;
    private final Long retryAfterMillis;

    public RetryableVenueException(String message, int status, Long retryAfterMillis) {
        super(message);
        this.status = status;
        this.retryAfterMillis = retryAfterMillis;
    }

    public int status() {
        return status;
    }

    /** The venue's Retry-After, when it sent one. */
    public Long retryAfterMillis() {
        return retryAfterMillis;
    }
}
