package com.oddsgate.venue;

import java.util.Map;
import java.util.Set;

import com.oddsgate.order.VenueOutcome;

/**
 * What a venue answered to a call: venue order ids cancelled, the refused ones with reasons, and
 * orders found no longer open with their true state as the venue reports it (filled, gone).
 */
public record CancelAnswer(Set<String> canceled, Map<String, String> notCanceled, String raw, String error,
        Map<String, VenueOutcome> found) {
    public CancelAnswer(Set<String> canceled, Map<String, String> notCanceled, String raw, String error) {
        this(canceled, notCanceled, raw, error, Map.of());
    }

    /** The venue refused the whole call (e.g. HTTP 400): every order of it is not cancelled, for this reason. */
    public static CancelAnswer refused(String error, String raw) {
        return new CancelAnswer(Set.of(), Map.of(), raw, error);
    }
}
