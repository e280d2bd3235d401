package com.oddsgate.api;

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

    /** Property set true when the order can be sent a cancel; otherwise the answer (404/409) is already made. */
    public static final String CANCELLABLE = "oddsgateCancellable";

    /** Puts the order on the exchange; answers 404/409 itself when there is nothing to cancel. */
    public void load(Exchange exchange) {
        exchange.setProperty(CANCELLABLE, false);
        String id = exchange.getIn().getHeader("id", String.class);
        OrderRecord r = null;
        try {
            r = ledger.find(Long.parseLong(id.trim())).orElse(null);
        } catch (NumberFormatException | NullPointerException e) {
            // not an id: 404 below
        }
        if (r == null) {
            OrderViews.respond(exchange, 404, Map.of("error", "no order with id " + id));
            return;
        }
        if (r.state() != OrderState.LIVE && r.state() != OrderState.DELAYED) {
            OrderViews.respond(exchange, 409, Map.of("error", "order " + r.id() + " is " + r.state()
                    + "; only LIVE or DELAYED orders can be cancelled", "state", r.state().name()));
            return;
        }
        exchange.setProperty(Flow.RECORD, r);
        exchange.setProperty(Flow.ORDER_ID, r.id());
        exchange.getIn().setBody(r);
        exchange.setProperty(CANCELLABLE, true);
    }

    /** The venue could not be reached after redeliveries: the order keeps its state; the attempt is in its history. */
    public void unreachable(Exchange exchange) {
        OrderRecord r = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = "cancel not delivered: " + (e == null ? "venue unreachable" : e.getMessage());
        ledger.recordOutcome(r.id(), new VenueOutcome(r.state(), null, reason, null), "api-cancel");
        Map<String, Object> view = OrderViews.view(ledger.find(r.id()).orElseThrow());
        view.put("error", reason);
        OrderViews.respond(exchange, 502, view);
    }

    /** Records the venue's answer (CANCELED, or a "not canceled" reason) and answers 200 or 409. */
    public void record(Exchange exchange) {
        OrderRecord r = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        VenueOutcome outcome = exchange.getIn().getBody(VenueOutcome.class);
        ledger.recordOutcome(r.id(), outcome, "api-cancel");
        OrderRecord now = ledger.find(r.id()).orElseThrow();
        Map<String, Object> view = OrderViews.view(now);
        OrderViews.respond(exchange, now.state() == OrderState.CANCELED ? 200 : 409, view);
    }
}
