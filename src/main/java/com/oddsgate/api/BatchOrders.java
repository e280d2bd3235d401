package com.oddsgate.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.ledger.InstanceLease;
import com.oddsgate.ledger.LedgerFaults;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.message.ApiRefusal;
import com.oddsgate.message.Flow;
import com.oddsgate.message.Json;
import com.oddsgate.message.VenueAttempts;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.VenueOutcome;
import com.oddsgate.order.Violation;

/**
 * {@code POST /api/orders/batch}: an array of orders, each taken like a single one (recorded,
 * checked, signed, its intent recorded) and then sent in venue batches — Polymarket
 * {@code POST /orders} with at most {@link #VENUE_BATCH} orders, which also stays within the
 * lowest rate-limit burst; Kalshi {@code POST …/orders/batched} with at most {@link #KALSHI_BATCH}. Every order gets its own outcome; a refused one does not stop the rest.
 */
public class BatchOrders {

    private static final Logger LOG = LoggerFactory.getLogger(BatchOrders.class);

    /** Polymarket's limit per {@code POST /orders}. */
    public static final int VENUE_BATCH = 15;
    /** Kalshi's limit per batched create. */
    public static final int KALSHI_BATCH = 20;
    /** Orders per request to the gateway. */
    static final int MAX_ORDERS = 200;

    private final RestOrders restOrders;
    private final OrderLedger ledger;

    public BatchOrders(RestOrders restOrders, OrderLedger ledger) {
        this.restOrders = restOrders;
        this.ledger = ledger;
    }

    /**
     * One ticket per array element (normalized as {@code POST /api/orders} would); a body that is
     * not an array of at most {@link #MAX_ORDERS} becomes one ticket refused with the reason, so even
     * that request is recorded.
     */
    public List<OrderTicket> tickets(Exchange exchange) {
        String body = exchange.getIn().getBody(String.class);
        JsonNode root;
        try {
            root = Json.ONE_VALUE.readTree(body == null ? "" : body);
        } catch (IOException e) {
            root = null;
        }
        JsonNode list = root != null && root.isObject() ? root.get("orders") : root;
        List<OrderTicket> out = new ArrayList<>();
        if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_ORDERS) {
            OrderTicket t = restOrders.ticket(body);
            t.getViolations().add(new Violation("body", "must be a JSON array of 1 to " + MAX_ORDERS + " orders (or {\"orders\": [...]})"));
            out.add(t);
        } else {
            list.forEach(o -> out.add(restOrders.ticket(o.toString())));
        }
        exchange.setProperty(Flow.BATCH_TICKETS, out);
        return out;
    }

    /** One venue call's worth of signed, recorded orders. */
    public record VenueBatch(String venue, List<OrderTicket> tickets) {
    }

    /**
     * The orders held for a venue batch (signed, intent recorded, not yet sent), per venue and
     * account (one call is authenticated as one account), in calls of at most the venue's limit.
     */
    public List<VenueBatch> venueBatches(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<OrderTicket> tickets = exchange.getProperty(Flow.BATCH_TICKETS, List.class);
        List<VenueBatch> batches = new ArrayList<>();
        for (String venue : List.of("polymarket", "kalshi")) {
            int limit = venue.equals("polymarket") ? VENUE_BATCH : KALSHI_BATCH;
            Map<String, List<OrderTicket>> byAccount = new LinkedHashMap<>();
            for (OrderTicket t : tickets) {
                if (venue.equals(t.getVenue()) && !t.isDuplicate() && t.getSignedPayload() != null && t.getOrderId() != null
                        && pendingSubmit(t, tickets)) {
                    // Signed orders name their account (the venue route resolved it).
                    byAccount.computeIfAbsent(String.valueOf(t.getAccount()), k -> new ArrayList<>()).add(t);
                }
            }
            for (List<OrderTicket> waiting : byAccount.values()) {
                for (int i = 0; i < waiting.size(); i += limit) {
                    batches.add(new VenueBatch(venue, List.copyOf(waiting.subList(i, Math.min(waiting.size(), i + limit)))));
                }
            }
        }
        return batches;
    }

    /**
     * Whether the order still waits for its venue batch. A ledger that cannot say fails the request
     * (503): nothing was sent, and each signed order is written REJECTED where the ledger takes it —
     * else recovery would make its first send minutes after the caller had its answer.
     */
    private boolean pendingSubmit(OrderTicket t, List<OrderTicket> tickets) {
        try {
            return ledger.find(t.getOrderId()).map(r -> r.state() == OrderState.PENDING_SUBMIT).orElse(false);
        } catch (RuntimeException e) {
            if (!LedgerFaults.in(e)) {
                throw e;
            }
            String why = "not sent: the ledger failed before the venue batches (" + LedgerFaults.why(e) + ")";
            for (OrderTicket signed : tickets) {
                if (signed.getSignedPayload() != null && signed.getOrderId() != null && !signed.isDuplicate()) {
                    try {
                        ledger.recordOutcome(signed.getOrderId(), new VenueOutcome(OrderState.REJECTED, null, why, null), "batch");
                    } catch (RuntimeException unwritten) {
                        // Not asked again: a ledger that hangs would hold the request up for each order's timeout.
                        LOG.warn("batch orders from {} on not recorded REJECTED ({}); recovery settles them", signed.getOrderId(),
                                LedgerFaults.why(unwritten));
                        break;
                    }
                }
            }
            throw new ApiRefusal(503, "the ledger failed before the venue batches: nothing was sent (" + LedgerFaults.why(e) + ")",
                    List.of());
        }
    }

    /** Each order of a venue batch gets its own answer. */
    public void recordOutcomes(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<OrderTicket> batch = exchange.getProperty(Flow.BATCH, List.class);
        @SuppressWarnings("unchecked")
        List<VenueOutcome> outcomes = exchange.getIn().getBody(List.class);
        for (int i = 0; i < batch.size(); i++) {
            if (outcomes.get(i) == null) {
                continue; // signed again for the venue's order version: recorded once it is sent (polymarket-batch)
            }
            ledger.recordOutcome(batch.get(i).getOrderId(), outcomes.get(i), exchange.getProperty("oddsgateBatchVenue", String.class) + "-batch");
        }
    }

    /**
     * A venue batch still unanswered after redeliveries: its orders are UNKNOWN; recovery finds them by
     * hash. If no attempt of it left (stopped at a gate: a cancel asked meanwhile, a ledger read that
     * failed), nothing was sent: each order is REJECTED — else recovery would make its first send
     * minutes after the caller had its answer. Not so when this instance's lease lapsed: another
     * instance may be taking the orders over.
     */
    public void unreachable(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (!VenueAttempts.anyLeft(exchange) && !(e instanceof InstanceLease.LeaseLapsed)) {
            everyOrder(exchange, OrderState.REJECTED, "not sent: the venue batch stopped before its first attempt left ("
                    + (e == null ? "refused" : e.getMessage()) + ")", false);
            return;
        }
        everyOrder(exchange, OrderState.UNKNOWN, "venue batch not answered (" + (e == null ? "venue unreachable" : e.getMessage())
                + "); recovery resolves it by order hash", false);
    }

    /**
     * The ledger failed in a venue batch (its last gate's read, the answers' write). Not redelivered:
     * a ledger fault is no venue's. Nothing left yet: each order REJECTED, "not sent"; an attempt
     * left: UNKNOWN, for recovery to resolve by hash. At the first write the ledger refuses too, the
     * rest are left as they are (logged): recovery settles them.
     */
    public void ledgerFailed(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String why = e == null ? "the ledger failed" : "the ledger failed: " + LedgerFaults.why(e);
        if (VenueAttempts.anyLeft(exchange)) {
            everyOrder(exchange, OrderState.UNKNOWN, why + "; the venue batch may have landed: recovery resolves it by order hash", true);
        } else {
            everyOrder(exchange, OrderState.REJECTED, "not sent: " + why + " before the venue batch left", true);
        }
    }

    /** The batch was refused before its first attempt went out (the kill switch): nothing was sent, each order REJECTED. */
    public void refused(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        everyOrder(exchange, OrderState.REJECTED, "not sent: " + (e == null ? "refused" : e.getMessage()), false);
    }

    /** @param eachOnItsOwn a ledger failure is logged, not thrown, and the orders from there on are left to recovery */
    private void everyOrder(Exchange exchange, OrderState state, String reason, boolean eachOnItsOwn) {
        @SuppressWarnings("unchecked")
        List<OrderTicket> batch = exchange.getProperty(Flow.BATCH, List.class);
        for (OrderTicket t : batch) {
            try {
                if (ledger.heldElsewhere(t.getOrderId())) {
                    continue; // taken over by another instance (CancelAsks): it settles the order
                }
                ledger.recordOutcome(t.getOrderId(), new VenueOutcome(state, null, reason, null),
                        exchange.getProperty("oddsgateBatchVenue", String.class) + "-batch");
            } catch (RuntimeException unwritten) {
                if (!eachOnItsOwn || !LedgerFaults.in(unwritten)) {
                    throw unwritten;
                }
                // Not asked again: a ledger that hangs would hold the request up for each order's timeout.
                LOG.warn("batch orders {} not recorded {} from order {} on ({}); recovery settles them", batch.stream()
                        .map(OrderTicket::getOrderId).toList(), state, t.getOrderId(), LedgerFaults.why(unwritten));
                return;
            }
        }
    }

    /** Every order of the request in its order, with its state, and a count per state. */
    public Map<String, Object> summary(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<OrderTicket> tickets = exchange.getProperty(Flow.BATCH_TICKETS, List.class);
        List<Map<String, Object>> orders = new ArrayList<>();
        Map<String, Integer> states = new TreeMap<>();
        for (OrderTicket t : tickets) {
            OrderRecord r = t.getOrderId() == null ? null : ledger.find(t.getOrderId()).orElse(null);
            Map<String, Object> v = r == null ? new LinkedHashMap<>(Map.of("state", "REJECTED")) : OrderViews.view(r);
            if (!t.getViolations().isEmpty()) {
                v.put("violations", t.getViolations());
            }
            orders.add(v);
            states.merge(String.valueOf(v.get("state")), 1, Integer::sum);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("count", orders.size());
        out.put("states", states);
        out.put("venueBatches", exchange.getProperty("oddsgateVenueBatches", 0, Integer.class));
        out.put("orders", orders);
        return out;
    }
}
