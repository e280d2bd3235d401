package com.oddsgate.venue;

import java.math.BigDecimal;
import java.math.RoundingMode;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.oddsgate.message.VenueAttempts;
import com.oddsgate.order.Decimals;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.VenueOutcome;

/** HTTP status rules shared by the venues: what is worth retrying, and how long to wait. */
public final class VenueStatus {

    private VenueStatus() {
    }

    /**
     * A refusal of a redelivered attempt is not final: an earlier attempt of the same bytes may have
     * reached the venue and its answer been lost, so the order is UNKNOWN and resolved at the venue
     * ({@code resolveBy}), never REJECTED while it may be live.
     */
    public static VenueOutcome notFinalOnRetry(Exchange exchange, VenueOutcome o,
            String resolveBy) {
        if (!VenueAttempts.retried(exchange) || o.state() != OrderState.REJECTED) {
            return o;
        }
        return new VenueOutcome(OrderState.UNKNOWN, o.venueOrderId(), "refused on a retry ("
                + o.reason() + "); an earlier attempt may have reached the venue: resolving by " + resolveBy, o.rawAnswer());
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

    public static Answer answer(Message in, String venue, String call) {
        int status = in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (retryable(status)) {
            Long after = retryAfterMillis(in.getHeader("Retry-After", String.class));
            if (after != null) {
                // Read by Camel's redelivery to replace the backoff delay for this attempt.
                in.setHeader(Exchange.REDELIVERY_DELAY, after);
            }
            throw new RetryableVenueException(venue + " answered HTTP " + status + " to " + call, status, after);
        }
        return new Answer(status, in.getBody(String.class));
    }

    /**
     * Retry-After in seconds as venues send it, whole or fractional ("0.5"), in milliseconds rounded
     * up and capped at ten minutes; null when absent or not a plain number.
     */
    public static Long retryAfterMillis(String header) {
        if (header == null || header.isBlank() || header.trim().length() > 12) {
            return null;
        }
        try {
            BigDecimal seconds = Decimals.parse(header.trim());
            return Math.max(0, Math.min(600_000L, seconds.movePointRight(3).setScale(0, RoundingMode.CEILING).longValue()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
