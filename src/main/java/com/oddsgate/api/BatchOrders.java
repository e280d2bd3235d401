package com.oddsgate.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.camel.Exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.message.Flow;
import com.oddsgate.message.Json;
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
                        && ledger.find(t.getOrderId()).map(r -> r.state() == OrderState.PENDING_SUBMIT).orElse(false)) {
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

    /** A venue batch still unanswered after redeliveries: its orders are UNKNOWN; recovery finds them by hash. */
    public void unreachable(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        everyOrder(exchange, OrderState.UNKNOWN, "venue batch not answered (" + (e == null ? "venue unreachable" : e.getMessage())
                + "); recovery resolves it by order hash");
    }

    /** The batch was refused before its first attempt went out (the kill switch): nothing was sent, each order REJECTED. */
    public void refused(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        everyOrder(exchange, OrderState.REJECTED, "not sent: " + (e == null ? "refused" : e.getMessage()));
    }

    private void everyOrder(Exchange exchange, OrderState state, String reason) {
        @SuppressWarnings("unchecked")
        List<OrderTicket> batch = exchange.getProperty(Flow.BATCH, List.class);
        for (OrderTicket t : batch) {
            if (ledger.heldElsewhere(t.getOrderId())) {
                continue; // taken over by another instance (CancelAsks): it settles the order
            }
            ledger.recordOutcome(t.getOrderId(), new VenueOutcome(state, null, reason, null),
                    exchange.getProperty("oddsgateBatchVenue", String.class) + "-batch");
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
