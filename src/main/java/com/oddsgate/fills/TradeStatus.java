package com.oddsgate.fills;

import java.util.Locale;

/**
 * A venue trade's settlement status. The venue re-sends the same trade on every change; a status
 * only moves forward, so a late or repeated message can never take a fill back to an older state.
 */
public enum TradeStatus {
    /** Matched by the operator, sent for execution. */
    MATCHED,
    /** Mined into a block, not yet final. */
    MINED,
    /** Final and successful. */
    CONFIRMED,
    /** The transaction failed (revert or reorg) and is being retried by the operator. */
    RETRYING,
    /** Final failure: the trade did not happen, its fill no longer counts. */
    FAILED,
    /**
     * A status word we do not know. Not final and counted (the trade matched: money may have moved);
     * the next known status replaces it. A known status is never replaced by an unknown word.
     */
    UNKNOWN;

    public boolean canBecome(TradeStatus next) {
        return switch (this) {
            case UNKNOWN -> next != UNKNOWN;
            case MATCHED -> next != MATCHED && next != UNKNOWN;
            case MINED -> next == CONFIRMED || next == RETRYING || next == FAILED;
            case RETRYING -> next == MINED || next == CONFIRMED || next == FAILED;
            case CONFIRMED, FAILED -> false;
        };
    }

    /** Whether a fill in this status counts toward filled size and positions. */
    public boolean counts() {
        return this != FAILED;
    }

    /**
     * The venue's word, with or without the {@code TRADE_STATUS_} prefix. {@code MATCHED_NOT_BROADCASTED}
     * (matched, chain transaction not yet broadcast) counts as MATCHED; any other word is UNKNOWN.
     */
    public static TradeStatus parse(String venueText) {
        String s = venueText == null ? "" : venueText.trim().toUpperCase(Locale.ROOT);
        if (s.startsWith("TRADE_STATUS_")) {
            s = s.substring("TRADE_STATUS_".length());
        }
        if (s.equals("MATCHED_NOT_BROADCASTED")) {
            return MATCHED;
        }
        try {
            TradeStatus status = valueOf(s);
            return status == UNKNOWN ? UNKNOWN : status;
        } catch (IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
