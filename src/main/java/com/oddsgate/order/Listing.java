package com.oddsgate.order;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * How a venue lists a market, for matching the same question across venues: its id there (a
 * Polymarket slug, a Kalshi ticker), the condition and outcome tokens where the venue has them, the
 * question as the venue words it, and when trading closes (null when the venue does not say).
 */
public record Listing(String venue, String market, String conditionId, String yesTokenId, String noTokenId, String title,
        Instant closes) {

    /** An ISO 8601 instant or offset date-time, or null when absent or unreadable. */
    public static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text.trim());
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }
}
