package com.oddsgate.ledger;

import java.time.Instant;

/** One line of an order's append-only history. */
public record OrderEvent(long id, Instant at, String fromState, String toState, String source, String detail,
        String venueAnswer) {
}
