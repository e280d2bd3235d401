package com.oddsgate.polymarket.protocol;

import java.util.Locale;

import org.apache.camel.Exchange;

import com.oddsgate.message.Flow;
import com.oddsgate.message.VenueAttempts;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.VenueOutcome;
import com.oddsgate.polymarket.signing.OrderVersion;

/**
 * The one case where an order is signed a second time: the venue refused the first signature, on
 * its first attempt, as {@code order_version_mismatch}, so that signature never reached the book.
 * Never after a lost answer: the first signature may be there.
 */
public class PolymarketResign {

    /** Exchange property: the order was signed again for the venue's version. */
    public static final String RESIGNED = "oddsgateResigned";
    /** Exchange property: the refused hash a re-signed order replaces. */
    public static final String SUPERSEDED_HASH = "oddsgateSupersededHash";

    private final PolymarketOrders orders;
    private final PolymarketVersions versions;
    private final PolymarketRecovery recovery;

    public PolymarketResign(PolymarketOrders orders, PolymarketVersions versions, PolymarketRecovery recovery) {
        this.orders = orders;
        this.versions = versions;
        this.recovery = recovery;
    }

    /**
     * After the venue refused the order as {@code order_version_mismatch}: asks which version it
     * expects now and, when that differs from the one signed, signs the order again for it (the
     * refused signature never reached the book, so this is a new order, not a second one). Sets
     * {@link #RESIGNED} and {@link #SUPERSEDED_HASH} when it did; otherwise leaves the refusal as it is.
     */
    public void resignForVenueVersion(Exchange exchange) {
        exchange.removeProperty(PolymarketPlacement.VERSION_MISMATCH);
        OrderTicket ticket = exchange.getProperty(Flow.TICKET, OrderTicket.class);
        if (VenueAttempts.retried(exchange)) {
            // A redelivery: the lost first attempt may be at the venue under the old version, and "not
            // found" does not prove it is not: an order that matched at once is no longer open, and its
            // trades can trail the match. Found, it is recorded as the venue holds it; not found, it is
            // NOT signed again (that could put a second order of the same intent on the book): it stays
            // UNKNOWN and recovery resolves it — found later, or refused as it was signed, never re-signed.
            exchange.setProperty(RESIGNED, false);
            VenueOutcome original;
            try {
                original = recovery.lookup(ticket);
            } catch (RuntimeException unreadable) {
                return; // stays UNKNOWN: recovery looks again
            }
            VenueOutcome refused = exchange.getIn().getBody(VenueOutcome.class);
            exchange.getIn().setBody(original != null ? original : new VenueOutcome(OrderState.UNKNOWN, ticket.getOrderHash(),
                    "not signed again for the venue's order version: the first attempt, whose answer was lost, may be at"
                            + " the venue (matched at once, its trades not listed yet); " + (refused == null ? "" : refused.reason()),
                    refused == null ? null : refused.rawAnswer()));
            return;
        }
        String superseded = resign(ticket, versions.refresh());
        if (superseded == null) {
            exchange.setProperty(RESIGNED, false);
            return;
        }
        VenueAttempts.newBytes(exchange); // the resubmit is these bytes' first attempt
        exchange.setProperty(SUPERSEDED_HASH, superseded);
        exchange.setProperty(RESIGNED, true);
    }

    /**
     * Signs a ticket whose first attempt was refused for its order version again for {@code expected},
     * when that differs from the version it was signed for: the hash it replaces, with its version
     * (for the ledger), or null when the version is the same (the refusal stands). Only for a refusal
     * of a first attempt: the refused signature never reached the book.
     */
    String resign(OrderTicket ticket, OrderVersion expected) {
        OrderVersion signed = orders.signedVersion(ticket.getSignedPayload(), ticket.getMarket(), ticket.getOrderHash());
        if (expected == signed) {
            return null;
        }
        String old = ticket.getOrderHash();
        PolymarketOrders.Signed s = orders.build(ticket.getOrder(), ticket.getMarket(), null, null, expected);
        ticket.setSigned(s.orderHash(), s.body());
        return old + " (V" + (signed == null ? "?" : signed.number()) + ")";
    }

    /** Whether a venue's refusal says the order was signed for another order version (both wordings the venue uses). */
    static boolean versionRefused(VenueOutcome outcome) {
        if (outcome == null || outcome.state() != OrderState.REJECTED || outcome.reason() == null) {
            return false;
        }
        String why = outcome.reason().toLowerCase(Locale.ROOT);
        return why.contains("order_version_mismatch") || why.contains("invalid order version");
    }
}
