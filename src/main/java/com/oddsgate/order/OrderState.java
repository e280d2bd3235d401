package com.oddsgate.order;

import java.util.EnumSet;
import java.util.Set;

/**
 * An order's life in the ledger. Every change goes through {@link #canBecome} so the history in
 * {@code order_events} is always a path through this graph — but for one: an order the ledger
 * ended that the venue still holds open is reopened (see {@link #ended}).
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
    /** Cancelled at the venue; final (fills matched before the cancel still count), but for FILLED when its fills add up to its whole size. */
    CANCELED,
    /** Some of its size has traded (from fills). */
    PARTIALLY_FILLED,
    /** All of its size has traded, within 0.01 shares of dust (from fills). */
    FILLED;

    private static final Set<OrderState> PLACED = EnumSet.of(LIVE, MATCHED, DELAYED, UNMATCHED);
    private static final Set<OrderState> FILLING = EnumSet.of(PARTIALLY_FILLED, FILLED);

    public boolean canBecome(OrderState next) {
        return switch (this) {
            case RECEIVED -> next == REJECTED || next == PENDING_SUBMIT;
            case PENDING_SUBMIT, UNKNOWN -> PLACED.contains(next) || FILLING.contains(next) || next == REJECTED
                    || next == FAILED || next == CANCELED || (this == PENDING_SUBMIT && next == UNKNOWN);
            case DELAYED -> next == LIVE || next == MATCHED || next == UNMATCHED || next == CANCELED || FILLING.contains(next);
            case LIVE -> next == MATCHED || next == CANCELED || FILLING.contains(next);
            case MATCHED -> FILLING.contains(next);
            // A venue trade that finally FAILED takes its fill back: the order returns to what it was.
            case PARTIALLY_FILLED -> next == FILLED || next == CANCELED || next == LIVE || next == FAILED;
            case FILLED -> next == PARTIALLY_FILLED || next == LIVE || next == FAILED;
            // Recorded CANCELED on a venue's "no longer open" whose trades came late: the fills of its whole
            // size show it was filled, not cancelled (only the fills' roll-up asks for FILLED).
            case CANCELED -> next == FILLED;
            case REJECTED, UNMATCHED, FAILED -> false;
        };
    }

    /**
     * Where the order's own fills may move it (the roll-up of its trades): where {@link #canBecome}
     * allows, and two ways more that only its trades can tell. MATCHED whose every trade FAILED, none
     * counted: a resting order rests again (LIVE, held against the book by the open-order sync), a
     * FOK/FAK failed. A FAILED FOK/FAK one of whose trades counts after all: it traded. A venue's
     * answer never takes these (an answer read before a fill must not move MATCHED back to LIVE).
     */
    public boolean canBecomeByFills(OrderState next) {
        return canBecome(next) || (this == MATCHED && (next == LIVE || next == FAILED)) || (this == FAILED && FILLING.contains(next));
    }

    /**
     * Ended without filling: CANCELED, REJECTED, UNMATCHED, FAILED. Only the open-order sync, finding
     * such an order open at the venue, moves it back (OrderLedger.reopen): the ledger's conclusion was
     * drawn from answers that missed it, and the venue's book is the truth. (Fills move a CANCELED or
     * FAILED order on too, see {@link #canBecome} and {@link #canBecomeByFills}: trades are the venue's truth as well.)
     */
    public boolean ended() {
        return this == CANCELED || this == REJECTED || this == UNMATCHED || this == FAILED;
    }

    /** The order may be resting in the venue's book (what a cancel or an open-order sync is about). */
    public boolean restingAtVenue() {
        return this == LIVE || this == DELAYED || this == PARTIALLY_FILLED;
    }

    /** Filled in part or in full (known from fills). */
    public boolean filling() {
        return FILLING.contains(this);
    }

    /** A placement answer (resting, matched, delayed, unmatched). */
    public boolean placed() {
        return PLACED.contains(this);
    }

    /** Sent (or possibly sent) and not yet known to the ledger: recovery must resolve it. */
    public boolean unresolved() {
        return this == PENDING_SUBMIT || this == UNKNOWN;
    }
}
