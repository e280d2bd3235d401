package com.oddsgate.events;

/**
 * One question listed on both venues, as an operator paired it in the registry file: the Polymarket
 * market (slug), the Kalshi market (ticker), whether Kalshi's YES is Polymarket's YES
 * ({@code same}) or its NO ({@code inverted}), who approved the pairing, and whether they confirmed
 * it despite a disagreement the gateway found. The event's own YES is Polymarket's YES.
 */
public record EventPair(String id, String title, String polymarket, String kalshi, Orientation orientation, String approvedBy,
        boolean confirmed) {

    public enum Orientation {
        SAME, INVERTED;

        /** +1 when a Kalshi YES contract is the event's YES, −1 when it is the event's NO. */
        public int kalshiSign() {
            return this == SAME ? 1 : -1;
        }
    }
}
