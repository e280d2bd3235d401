package com.oddsgate.api;

import com.oddsgate.message.Flow;
import java.util.Map;

import org.apache.camel.Exchange;

import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.VenueOutcome;

/** {@code DELETE /api/orders/{id}}: which orders may be cancelled, and what the venue's answer does to them. */
public class OrderCancels {

    private final OrderLedger ledger;

    public OrderCancels(OrderLedger ledger) {
        this.ledger = ledger;
    }

    /** Property: who asked for the cancel, as the source of the history entries. */
    static final String BY = "oddsgateCancelBy";

    /** The cancel's order (found and judged cancellable by the route): who asks, and the order as the body. */
    public void load(Exchange exchange) {
        OrderRecord r = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        String by = exchange.getIn().getHeader("X-Requested-By", String.class);
        exchange.setProperty(BY, "api-cancel:" + (by == null || by.isBlank() ? "api" : BulkCancels.actor(by)));
        exchange.setProperty(Flow.ORDER_ID, r.id());
        exchange.getIn().setBody(r);
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

    /** Records the venue's answer (CANCELED, or a "not canceled" reason): the order as it is now is the body (the route answers 200 or 409). */
    public Map<String, Object> record(Exchange exchange) {
        OrderRecord r = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        learnFoundId(exchange, r);
        VenueOutcome outcome = exchange.getIn().getBody(VenueOutcome.class);
        boolean moved = ledger.recordOutcome(r.id(), outcome, exchange.getProperty(BY, "api-cancel", String.class));
        // Only the venue's own "cancelled" for this call lets an amend replace the order (of two racing
        // cancels the venue confirms one). An order a lookup found gone — cancelled by an earlier attempt
        // whose answer was lost, or by someone else — is CANCELED in the ledger but not replaced.
        boolean confirmed = Boolean.TRUE.equals(exchange.getProperty(Flow.CANCEL_CONFIRMED));
        exchange.setProperty(Flow.CANCELED_HERE, outcome.state() == OrderState.CANCELED && confirmed);
        exchange.setProperty(Flow.CANCEL_FOUND_GONE, moved && outcome.state() == OrderState.CANCELED && !confirmed);
        return OrderViews.view(ledger.find(r.id()).orElseThrow());
    }

    /** The venue's id a cancel found by client_order_id, kept whatever the cancel's answer: the next cancel needs no search. */
    private void learnFoundId(Exchange exchange, OrderRecord r) {
        String found = exchange.getProperty(Flow.CANCEL_FOUND_ID, String.class);
        if (found != null && r.venueOrderId() == null) {
            ledger.learnVenueOrderId(r.id(), found, "found by its client_order_id for a cancel");
        }
    }
}
