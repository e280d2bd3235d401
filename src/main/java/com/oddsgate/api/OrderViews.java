package com.oddsgate.api;

import com.oddsgate.message.Json;
import com.oddsgate.message.ApiRefusal;
import com.oddsgate.message.Flow;
import com.oddsgate.message.VenueAttempts;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.polymarket.protocol.PolymarketMarkets;

/**
 * The REST answers: an order as the ledger holds it, with a status that says what happened
 * (201 placed or recorded, 200 repeat of a known clientOrderId, 400 refused by the gateway,
 * 422 refused by the venue, 202 outcome pending, 502/503 venue unreachable).
 */
public class OrderViews {

    static final int MAX_LIMIT = 500;

    private final OrderLedger ledger;
    private final PolymarketMarkets polymarketMarkets;
    private final FillViews fills;

    public OrderViews(OrderLedger ledger, PolymarketMarkets polymarketMarkets, FillViews fills) {
        this.ledger = ledger;
        this.polymarketMarkets = polymarketMarkets;
        this.fills = fills;
    }

    /** Last step of every intake path: the recorded order and an HTTP status. */
    public void render(Exchange exchange) {
        Long id = exchange.getProperty(Flow.ORDER_ID, Long.class);
        OrderTicket ticket = exchange.getProperty(Flow.TICKET, OrderTicket.class);
        Map<String, Object> view = new LinkedHashMap<>();
        Integer status = exchange.getProperty(Flow.HTTP_STATUS, Integer.class);
        if (id == null) {
            view.put("error", "request could not be recorded");
            respond(exchange, 500, view);
            return;
        }
        OrderRecord r = ledger.find(id).orElseThrow();
        List<?> violations = exchange.getProperty(Flow.VIOLATIONS, List.class);
        if (violations != null) {
            view.put("error", "order rejected: " + r.reason());
            view.put("violations", violations);
        } else if (r.state() == OrderState.REJECTED) {
            view.put("error", "order rejected: " + r.reason());
        }
        view.putAll(view(r));
        if (status == null) {
            if (ticket != null && ticket.isDuplicate()) {
                status = 200;
            } else if (r.state() == OrderState.REJECTED) {
                status = 422;
            } else if (r.state().unresolved()) {
                status = 202;
            } else {
                status = 201;
            }
        }
        respond(exchange, status, view);
    }

    /**
     * A request that failed and whose failure the ledger could not record either (it is what failed):
     * what is known — the order's id if it had one. Signed (its intent may be recorded: recovery sends
     * those bytes or finds them) or sent, its outcome is unknown: 502, as for an unreachable venue; else 503,
     * nothing sent, and one left RECEIVED is closed by recovery.
     */
    public void unrecorded(Exchange exchange) {
        OrderTicket ticket = exchange.getProperty(Flow.TICKET, OrderTicket.class);
        boolean signed = VenueAttempts.sent(exchange) > 0 || ticket != null && ticket.getSignedPayload() != null;
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("error", signed
                ? "the request failed after the order was signed, and the ledger could not record the failure: its outcome is"
                        + " unknown (recovery settles it by its hash); look it up, or send it again only with the same clientOrderId"
                : "the request failed before the order was signed, and the ledger could not record the failure: nothing was"
                        + " sent, nor will be (recovery closes its record); look it up by its id, and send it again under a new"
                        + " clientOrderId (the same one names this request's record)");
        view.put("id", exchange.getProperty(Flow.ORDER_ID, Long.class));
        respond(exchange, signed ? 502 : 503, view);
    }

    /** The order a path's {@code {id}} names, or null (the route answers 404 then). */
    public OrderRecord find(String id) {
        Long n = parseId(id);
        return n == null ? null : ledger.find(n).orElse(null);
    }

    /** The whole order: its view, its replacements, fills and history. */
    public Map<String, Object> getOrder(OrderRecord r) {
        Map<String, Object> view = view(r);
        view.put("replacedBy", ledger.replacementsOf(r.id()));
        view.put("fills", fills.merged(r.id()));
        view.put("events", ledger.events(r.id()));
        return view;
    }

    public Map<String, Object> listOrders(Exchange exchange) {
        Message in = exchange.getIn();
        String state = in.getHeader("state", String.class);
        if (state != null && !state.isBlank()) {
            try {
                OrderState.valueOf(state.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ApiRefusal(400, "unknown state '" + state + "'",
                        List.of(Map.of("field", "state", "reason", "must be one of " + List.of(OrderState.values()))));
            }
        }
        int limit = 50;
        String l = in.getHeader("limit", String.class);
        if (l != null && !l.isBlank()) {
            try {
                limit = Math.max(1, Math.min(MAX_LIMIT, Integer.parseInt(l.trim())));
            } catch (NumberFormatException e) {
                throw new ApiRefusal(400, "limit must be a whole number",
                        List.of(Map.of("field", "limit", "reason", "must be a whole number")));
            }
        }
        List<Map<String, Object>> orders = ledger.list(state, in.getHeader("venue", String.class), limit).stream()
                .map(OrderViews::view).toList();
        return Map.of("orders", orders, "count", orders.size());
    }

    /** A Polymarket market by its Gamma slug, as the gateway sees it; unknown: 404. */
    public Map<String, Object> market(String slug) {
        try {
            return polymarketMarkets.describe(polymarketMarkets.bySlug(slug));
        } catch (OrderRejectedException e) {
            throw new ApiRefusal.NotFound(e.getMessage(), e.violations());
        }
    }

    public static Map<String, Object> view(OrderRecord r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", r.id());
        v.put("clientOrderId", r.clientOrderId());
        v.put("state", r.state().name());
        v.put("venueOrderId", r.venueOrderId());
        v.put("reason", r.reason());
        v.put("venue", r.venue());
        v.put("account", r.account());
        v.put("market", r.market());
        v.put("tokenId", r.tokenId());
        v.put("outcome", r.outcome());
        v.put("side", r.side());
        v.put("price", r.price() == null ? null : r.price().toPlainString());
        v.put("size", r.size() == null ? null : r.size().toPlainString());
        v.put("type", r.type());
        v.put("timeInForce", r.timeInForce());
        v.put("expiration", r.expiration());
        v.put("postOnly", r.postOnly());
        v.put("reduceOnly", r.reduceOnly());
        v.put("filledSize", r.filledSize() == null ? "0" : r.filledSize().toPlainString());
        v.put("averageFillPrice", r.averageFillPrice() == null ? null : r.averageFillPrice().toPlainString());
        v.put("orderHash", r.orderHash());
        v.put("source", r.source());
        if (r.replacesOrderId() != null) {
            v.put("replacesOrderId", r.replacesOrderId());
        }
        v.put("createdAt", r.createdAt().toString());
        v.put("updatedAt", r.updatedAt().toString());
        return v;
    }

    /** Replaces every header, so nothing from the request (Authorization!) or a venue leaks into the answer. */
    public static void respond(Exchange exchange, int status, Object body) {
        Json.respond(exchange, status, body);
    }

    private static Long parseId(String s) {
        try {
            return s == null ? null : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
