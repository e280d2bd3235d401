package com.oddsgate.order;

import java.util.EnumSet;
import java.util.Set;

/**
 * An order's life in the ledger. Every change goes through {@link #canBecome} so the history in
 * {@code order_events} is always a path through this graph.
 */
public enum OrderState {
    /** Recorded, not yet validated against the market. */
    RECEIVED,
    /** Refused by the gateway or by the venue; final. */
    REJECTED,
    /** Signed and recorded; the venue call is under way (or was interrupted). */
    PENDING_SUBMIT,
    /** Resting on the venue's book. */
    LIVE,
    /** Matched on placement (marketable). */
    MATCHED,
    /** Marketable but held by the venue's matching delay. */
    DELAYED,
    /** Marketable, but the venue could not delay it; not placed. */
    UNMATCHED,
    /** The venue failed to process it; final. */
    FAILED,
    /** Sent, but the venue's answer never arrived; resolved by order hash on recovery. */
    UNKNOWN,
    /** Cancelled at the venue; final. */
    CANCELED;

    private static final Set<OrderState> PLACED = EnumSet.of(LIVE, MATCHED, DELAYED, UNMATCHED);

    public boolean canBecome(OrderState next) {
        return switch (this) {
            case RECEIVED -> next == REJECTED || next == PENDING_SUBMIT;
            case PENDING_SUBMIT, UNKNOWN -> PLACED.contains(next) || next == REJECTED || next == FAILED
                    || next == CANCELED || (this == PENDING_SUBMIT && next == UNKNOWN);
            case DELAYED -> next == LIVE || next == MATCHED || next == UNMATCHED || next == CANCELED;
            case LIVE -> next == MATCHED || next == CANCELED;
            case REJECTED, MATCHED, UNMATCHED, FAILED, CANCELED -> false;
        };
    }

    /** Sent (or possibly sent) and not yet known to the ledger: recovery must resolve it. */
    public boolean unresolved() {
        return this == PENDING_SUBMIT || this == UNKNOWN;
    }
}
