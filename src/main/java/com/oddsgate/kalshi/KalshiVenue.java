package com.oddsgate.kalshi;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.api.Flow;
import com.oddsgate.api.OrderViews;
import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.VenueOutcome;
import com.oddsgate.venue.JsonHttp;
import com.oddsgate.venue.VenueStatus;

/**
 * Kalshi calls other than placement: recovery by client_order_id, cancellation, and the signed
 * account reads (orders, fills, positions, balance) the REST API passes through.
 */
public class KalshiVenue {

    /** REST resource name → Kalshi path, and the query parameters passed on. */
    static final Map<String, String> READS = Map.of("orders", "/portfolio/orders", "fills", "/portfolio/fills",
            "positions", "/portfolio/positions", "balance", "/portfolio/balance");
    static final Set<String> READ_PARAMS = Set.of("cursor", "limit", "ticker", "order_id", "status", "event_ticker");

    private final KalshiAccount account;
    private final KalshiSettings settings;
    private final JsonHttp http;
    private final Clock clock;

    public KalshiVenue(KalshiAccount account, KalshiSettings settings, JsonHttp http, Clock clock) {
        this.account = account;
        this.settings = settings;
        this.http = http;
        this.clock = clock;
    }

    /** Kalshi's view of an order whose answer was lost, found by its client_order_id; null when absent. */
    public VenueOutcome lookup(OrderRecord order) {
        String resource = "/portfolio/orders";
        String query = "?ticker=" + order.market();
        JsonHttp.Response r = http.get(settings.url(resource) + query, account.headers(clock.millis(), "GET", settings.path(resource)));
        if (!r.ok() || r.json() == null) {
            throw new IllegalStateException("Kalshi order lookup answered HTTP " + r.status());
        }
        for (JsonNode o : r.json().path("orders")) {
            if (order.clientOrderId().equals(o.path("client_order_id").asText())) {
                return KalshiAnswers.orderState(o, o.toString(), "found at the venue by client_order_id: ");
            }
        }
        return null;
    }

    /** Every resting order of the key ({@code GET /portfolio/orders?status=resting}, cursor paging): order id → order. */
    public Map<String, JsonNode> openOrders() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        String resource = "/portfolio/orders";
        String cursor = "";
        for (int page = 0; page < 1000; page++) {
            String query = "?status=resting&limit=200" + (cursor.isEmpty() ? "" : "&cursor="
                    + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8));
            JsonHttp.Response r = http.get(settings.url(resource) + query, account.headers(clock.millis(), "GET", settings.path(resource)));
            if (!r.ok() || r.json() == null) {
                throw new IllegalStateException("Kalshi GET /portfolio/orders answered HTTP " + r.status());
            }
            r.json().path("orders").forEach(o -> out.put(o.path("order_id").asText(), o));
            String next = r.json().path("cursor").asText("");
            if (next.isEmpty() || next.equals(cursor)) {
                break;
            }
            cursor = next;
        }
        return out;
    }

    public OrderTicket resend(OrderRecord order) {
        return OrderTicket.resend(order.id(), null, order.signedPayload());
    }

    public void prepareCancel(Exchange exchange) {
        OrderRecord r = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        String resource = settings.ordersResource() + "/" + r.venueOrderId();
        Message in = exchange.getIn();
        in.setBody(null);
        account.headers(clock.millis(), "DELETE", settings.path(resource)).forEach(in::setHeader);
        in.setHeader(Exchange.HTTP_METHOD, "DELETE");
        in.setHeader(Exchange.HTTP_URI, settings.url(resource));
    }

    public VenueOutcome cancelAnswer(Exchange exchange) {
        OrderRecord r = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        VenueStatus.Answer answer = VenueStatus.answer(exchange.getIn(), "Kalshi", "a cancel");
        int status = answer.status();
        String body = answer.body();
        if (answer.ok()) {
            return new VenueOutcome(OrderState.CANCELED, r.venueOrderId(), "canceled at the venue", body);
        }
        return new VenueOutcome(r.state(), null, "not canceled: HTTP " + status + KalshiAnswers.error(KalshiAnswers.parse(body), ""), body);
    }

    /** One batched cancel: {@code DELETE …/orders/batched {"ids":[…]}}, signed afresh for each attempt. */
    public void prepareBulkCancel(Exchange exchange) {
        com.oddsgate.api.BulkCancels.Call call = exchange.getProperty(com.oddsgate.api.BulkCancels.CALL, com.oddsgate.api.BulkCancels.Call.class);
        String resource = settings.ordersResource() + "/batched";
        com.fasterxml.jackson.databind.node.ObjectNode body = com.oddsgate.api.Json.MAPPER.createObjectNode();
        call.orders().forEach(r -> body.withArray("ids").add(r.venueOrderId()));
        Message in = exchange.getIn();
        in.setBody(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        account.headers(clock.millis(), "DELETE", settings.path(resource)).forEach(in::setHeader);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setHeader(Exchange.HTTP_METHOD, "DELETE");
        in.setHeader(Exchange.HTTP_URI, settings.url(resource));
    }

    /** Each item: the order (status canceled) or an error naming the order. */
    public com.oddsgate.api.BulkCancels.Answer bulkCancelAnswer(Exchange exchange) {
        VenueStatus.Answer answer = VenueStatus.answer(exchange.getIn(), "Kalshi", "a batched cancel");
        JsonNode j = KalshiAnswers.parse(answer.body());
        if (!answer.ok() || j == null) {
            return com.oddsgate.api.BulkCancels.Answer.refused("HTTP " + answer.status() + KalshiAnswers.error(j, ""), answer.body());
        }
        java.util.Set<String> canceled = new java.util.HashSet<>();
        java.util.Map<String, String> notCanceled = new java.util.HashMap<>();
        for (JsonNode item : j.path("orders")) {
            JsonNode o = item.path("order");
            if (o.isObject() && "canceled".equals(o.path("status").asText())) {
                canceled.add(o.path("order_id").asText());
            } else {
                notCanceled.put(item.path("order_id").asText(o.path("order_id").asText()),
                        item.path("error").path("message").asText(item.path("error").asText("not canceled")));
            }
        }
        return new com.oddsgate.api.BulkCancels.Answer(canceled, notCanceled, answer.body(), null);
    }

    /** {@code GET /api/venues/kalshi/{resource}}: a signed read passed through unchanged. */
    public void read(Exchange exchange) {
        Message in = exchange.getIn();
        String name = in.getHeader("resource", String.class);
        String resource = READS.get(name);
        if (resource == null) {
            OrderViews.respond(exchange, 404, Map.of("error", "unknown Kalshi resource '" + name + "'",
                    "resources", List.copyOf(new java.util.TreeSet<>(READS.keySet()))));
            return;
        }
        StringBuilder query = new StringBuilder();
        Map<String, String> params = new LinkedHashMap<>();
        READ_PARAMS.forEach(p -> {
            String v = in.getHeader(p, String.class);
            if (v != null && !v.isBlank()) {
                params.put(p, v);
            }
        });
        params.forEach((k, v) -> query.append(query.length() == 0 ? '?' : '&').append(k).append('=')
                .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)));
        JsonHttp.Response r = http.get(settings.url(resource) + query, account.headers(clock.millis(), "GET", settings.path(resource)));
        OrderViews.respond(exchange, r.ok() ? 200 : 502, r.json() != null ? r.json()
                : Map.of("error", "Kalshi answered HTTP " + r.status()));
    }
}
