package com.oddsgate.api;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.oddsgate.ledger.InFlightOrders;
import com.oddsgate.ledger.LedgerFaults;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.message.ApiRefusal;
import com.oddsgate.message.Flow;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.VenueOutcome;

/** {@code DELETE /api/orders/{id}}: which orders may be cancelled, and what the venue's answer does to them. */
public class OrderCancels {

    private static final Logger LOG = LoggerFactory.getLogger(OrderCancels.class);

    private final OrderLedger ledger;

    public OrderCancels(OrderLedger ledger) {
        this.ledger = ledger;
    }

    /** Property: who asked for the cancel, as the source of the history entries. */
    static final String BY = "oddsgateCancelBy";
    /** Property: the cancel of an unresolved order was written ({@link OrderLedger#askCancel}); it is looked up next. */
    static final String ASKED = "oddsgateCancelAsked";

    /** The cancel's order (found and judged cancellable by the route): who asks, and the order as the body. */
    public void load(Exchange exchange) {
        OrderRecord r = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        if (exchange.getProperty(BY) == null) { // set already when the order was looked up first (askWhileUnresolved)
            exchange.setProperty(BY, source(exchange));
        }
        exchange.setProperty(Flow.ORDER_ID, r.id());
        exchange.getIn().setBody(r);
    }

    /**
     * A cancel of an order whose placement's answer is unknown (PENDING_SUBMIT, UNKNOWN): refused
     * while this gateway works on the order itself (its submission waits for a redelivery, a recovery
     * looks it up), else noted in the ledger first — from then on it is never sent again, and wherever
     * it turns out to rest it is cancelled — and the order (as the body) is looked up by the route.
     */
    public void askWhileUnresolved(Exchange exchange) {
        OrderRecord r = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        String source = source(exchange);
        exchange.setProperty(BY, source);
        exchange.setProperty(Flow.ORDER_ID, r.id()); // before looking: of two racing, the later one sees the earlier
        try {
            if (InFlightOrders.othersOn(exchange, r.id())) {
                throw new ApiRefusal.Conflict("order " + r.id() + " is " + r.state() + " and being submitted or looked up by this"
                        + " gateway right now; ask again in a moment");
            }
            // Not asked when the order moved on meanwhile (its answer came): then it is cancelled, or not, as it is now.
            exchange.setProperty(ASKED, ledger.askCancel(r.id(), source, "cancel asked for while its placement's answer is"
                    + " unknown: not sent again from now on, and cancelled wherever it is found open"));
        } finally {
            // The lookup (recovery's route, an enrich's copy of this exchange) claims the order for itself.
            exchange.removeProperty(Flow.ORDER_ID);
        }
        exchange.getIn().setBody(r);
    }

    /**
     * The order as the lookup left it (the record the rest of the cancel works on); the body is its
     * view, with a note when it is still unresolved (the route answers 202 then: the cancel stands).
     */
    public Map<String, Object> resolved(Exchange exchange) {
        OrderRecord r = ledger.find(exchange.getProperty(Flow.RECORD, OrderRecord.class).id()).orElseThrow();
        exchange.setProperty(Flow.RECORD, r);
        Map<String, Object> view = OrderViews.view(r);
        if (r.state().unresolved()) {
            view.put("note", cancelStands(r));
        }
        return view;
    }

    /** Why a cancel asked for an order still unresolved after its lookup is answered 202 (or so listed). */
    static String cancelStands(OrderRecord r) {
        return "where the order is could not be told now (" + r.reason() + "); the cancel stands: it is not sent again, and if"
                + " found open at the venue it is cancelled";
    }

    /** The venue could not be reached after redeliveries: the order keeps its state; the attempt is in its history. */
    public void unreachable(Exchange exchange) {
        OrderRecord r = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        learnFoundId(exchange, r);
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = "cancel not delivered: " + (e == null ? "venue unreachable" : e.getMessage());
        ledger.recordOutcome(r.id(), new VenueOutcome(r.state(), null, reason, null), exchange.getProperty(BY, "api-cancel", String.class));
        Map<String, Object> view = OrderViews.view(ledger.find(r.id()).orElseThrow());
        view.put("error", reason);
        OrderViews.respond(exchange, 502, view);
    }

    /**
     * The ledger failed during the cancel (cancel-errors). Before the venue was asked nothing was sent:
     * 503, try again. After it answered, its answer is given back unrecorded: 502 — the order's record
     * catches up at the open-order sync (or a cancel asked again). Nothing is written: the ledger just failed.
     */
    public void ledgerFailed(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String why = e == null ? "unknown" : LedgerFaults.why(e);
        OrderRecord r = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        Map<String, Object> out = new LinkedHashMap<>();
        if (r != null) {
            out.put("id", r.id());
        }
        // Logged here: the handler takes the failure, so a caller's own catch (recovery's cancel) never sees it.
        LOG.warn("cancel of order {}: the ledger failed ({}), {}", r == null ? "?" : r.id(), why,
                exchange.getIn().getBody() instanceof VenueOutcome ? "after the venue answered" : "before the venue was asked");
        if (exchange.getIn().getBody() instanceof VenueOutcome answered) {
            out.put("error", "the venue answered the cancel, but the ledger could not record it (" + why + "); the order's record"
                    + " catches up at the open-order sync");
            out.put("venueState", answered.state().name());
            out.put("venueReason", answered.reason());
            OrderViews.respond(exchange, 502, out);
        } else {
            out.put("error", "the ledger failed (" + why + "): no cancel was sent; try again");
            OrderViews.respond(exchange, 503, out);
        }
    }

    /** Records the venue's answer (CANCELED, or a "not canceled" reason): the order as it is now is the body (the route answers 200 or 409). */
    public Map<String, Object> record(Exchange exchange) {
        OrderRecord r = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        learnFoundId(exchange, r);
        VenueOutcome outcome = exchange.getIn().getBody(VenueOutcome.class);
        boolean moved = ledger.recordOutcome(r.id(), outcome, exchange.getProperty(BY, "api-cancel", String.class));
        if (Boolean.TRUE.equals(exchange.getProperty(Flow.CANCEL_UNDECIDED))) {
            if (exchange.getProperty(OrderAmends.REPLACEMENT) != null) {
                // An amend's: it answers that nothing was replaced and the original stays the trader's working
                // order, so its cancel is not kept; the look still counts for the sync (review).
                ledger.sawMissing(r.id());
            } else {
                undecided(ledger, r.id(), exchange.getProperty(BY, "api-cancel", String.class));
            }
        }
        // Only the venue's own "cancelled" for this call lets an amend replace the order (of two racing
        // cancels the venue confirms one). An order a lookup found gone — cancelled by an earlier attempt
        // whose answer was lost, or by someone else — is CANCELED in the ledger but not replaced.
        boolean confirmed = Boolean.TRUE.equals(exchange.getProperty(Flow.CANCEL_CONFIRMED));
        exchange.setProperty(Flow.CANCELED_HERE, outcome.state() == OrderState.CANCELED && confirmed);
        exchange.setProperty(Flow.CANCEL_FOUND_GONE, moved && outcome.state() == OrderState.CANCELED && !confirmed);
        return OrderViews.view(ledger.find(r.id()).orElseThrow());
    }

    /**
     * The venue no longer holds the order open and cannot say whether it was cancelled or matched: the
     * cancel is kept as asked (the open-order sync cancels it wherever it turns up resting, and never
     * takes it for meant to rest), and this look counts as the sync's first (it decides min-age on).
     */
    static void undecided(OrderLedger ledger, long orderId, String by) {
        ledger.askCancelResting(orderId, by, "cancel kept as asked: the venue no longer holds the order open and cannot say whether"
                + " it was cancelled or matched; the open-order sync decides, and cancels it should it turn up resting");
        ledger.sawMissing(orderId);
    }

    /** Who asked, as the source of the history entries. */
    private static String source(Exchange exchange) {
        String by = exchange.getIn().getHeader("X-Requested-By", String.class);
        return "api-cancel:" + (by == null || by.isBlank() ? "api" : BulkCancels.actor(by));
    }

    /** The venue's id a cancel found by client_order_id, kept whatever the cancel's answer: the next cancel needs no search. */
    private void learnFoundId(Exchange exchange, OrderRecord r) {
        String found = exchange.getProperty(Flow.CANCEL_FOUND_ID, String.class);
        if (found != null && r.venueOrderId() == null) {
            ledger.learnVenueOrderId(r.id(), found, "found by its client_order_id for a cancel");
        }
    }
}
