package com.oddsgate.message;

import org.apache.camel.Exchange;

/**
 * How many attempts of an exchange's order placement have left for the venue. A refusal, or a stop
 * by the kill switch, is judged by whether an earlier attempt of the same bytes may have reached the
 * venue. Camel's redelivery counter cannot tell: it stays on the message after any redelivered step,
 * so a market read retried before the first send made that send look like a retry. Counted by the
 * venue-call template (routes/venue-calls.camel.yaml) right before its HTTP call, past every gate.
 */
public final class VenueAttempts {

    static final String SENT = "oddsgateAttemptsSent";
    /** Whether any attempt left on this exchange, whatever bytes it carried: not cleared by {@link #newBytes}. */
    static final String ANY_SENT = "oddsgateAnyAttemptSent";

    private VenueAttempts() {
    }

    /** This attempt leaves now (the template's last step before the call). */
    public static void leaving(Exchange exchange) {
        exchange.setProperty(SENT, sent(exchange) + 1);
        exchange.setProperty(ANY_SENT, true);
    }

    /**
     * Whether any attempt of this exchange has left, also one of bytes signed again since: what a venue
     * batch that failed asks before its orders may be called "not sent" (its first attempt's answers
     * may still be unwritten when the refused ones are signed again).
     */
    public static boolean anyLeft(Exchange exchange) {
        return Boolean.TRUE.equals(exchange.getProperty(ANY_SENT));
    }

    public static int sent(Exchange exchange) {
        return exchange.getProperty(SENT, 0, Integer.class);
    }

    /** Before an attempt leaves: whether an earlier one did. */
    public static boolean earlierLeft(Exchange exchange) {
        return sent(exchange) > 0;
    }

    /** Once an attempt is answered: whether one before it left too (its answer lost). */
    public static boolean retried(Exchange exchange) {
        return sent(exchange) > 1;
    }

    /** New signed bytes (a re-signature) that no attempt has carried yet. */
    public static void newBytes(Exchange exchange) {
        exchange.removeProperty(SENT);
    }
}
