package com.oddsgate.kalshi;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.message.ApiRefusal;
import com.oddsgate.message.Flow;
import com.oddsgate.message.Json;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.VenueOutcome;
import com.oddsgate.venue.ListPage;
import com.oddsgate.venue.CallMethod;
import com.oddsgate.venue.CancelAnswer;
import com.oddsgate.venue.CancelCall;
import com.oddsgate.venue.RetryableVenueException;
import com.oddsgate.venue.VenueReads;
import com.oddsgate.venue.VenueStatus;

/**
 * Kalshi calls other than placement: recovery by client_order_id, cancellation, and the signed
 * account reads (orders, fills, positions, balance) the REST API passes through.
 */
public class KalshiVenue {

    /** REST resource name → the read that asks Kalshi (venue-reads.camel.yaml), and the query parameters passed on. */
    static final Map<String, String> READS = Map.of("orders", "kalshi-orders", "fills", "kalshi-fills",
            "positions", "kalshi-positions", "balance", "kalshi-balance");
    static final Set<String> READ_PARAMS = Set.of("cursor", "limit", "ticker", "order_id", "status", "event_ticker", "min_ts",
            "max_ts");

    /** Property of each resting order read for a cancel or a sync: the name of the key that holds it. */
    public static final String HELD_BY = "oddsgateAccount";

    private static final Logger LOG = LoggerFactory.getLogger(KalshiVenue.class);

    private final KalshiAccounts accounts;
    private final KalshiSettings settings;
    private final VenueReads reads;
    private final OrderLedger ledger;
    /** How long an order Kalshi said it holds is kept UNKNOWN while its list does not show it ({@link #heldOnce}). */
    private final Duration heldFor;
    private final Clock clock;

    public KalshiVenue(KalshiAccounts accounts, KalshiSettings settings, VenueReads reads, OrderLedger ledger, Duration heldFor,
            Clock clock) {
        this.accounts = accounts;
        this.settings = settings;
        this.reads = reads;
        this.ledger = ledger;
        this.heldFor = heldFor;
        this.clock = clock;
    }

    /**
     * Kalshi's view of an order whose answer was lost, found by its client_order_id among every
     * page of the market's orders; null when the venue does not hold it.
     */
    public VenueOutcome lookup(OrderRecord order) {
        for (JsonNode o : orders(accounts.of(order), "ticker=" + enc(order.market())).values()) {
            if (order.clientOrderId().equals(o.path("client_order_id").asText())) {
                return KalshiAnswers.orderState(o, o.toString(), "found at the venue by client_order_id: ");
            }
        }
        return null;
    }

    /**
     * After {@link #lookup} found nothing: an order Kalshi once answered 409 to ({@link KalshiAnswers#HELD})
     * is held there under its client_order_id — this intent's own earlier attempt (an id is used again
     * only after a refusal before anything was sent). The market's list not showing it (a list that
     * trails the book by moments) is no sign that it is gone: UNKNOWN, neither sent again (it would
     * meet another 409) nor ended as never placed; a later recovery pass finds it once listed. For
     * {@code heldFor} from its record (twice oddsgate.recovery.resend-within): a list that still does
     * not show it by then speaks of an id held by something else (another market, another ledger on the
     * key), and the order is concluded as any other not found (RecoveryScan.notHeld) — should it turn
     * up resting, the open-order sync reopens and cancels it. Anything else passes through.
     */
    public VenueOutcome heldOnce(VenueOutcome seen, OrderRecord order) {
        if (seen != null || Duration.between(order.createdAt(), clock.instant()).compareTo(heldFor) > 0 || !heldBefore(order)) {
            return seen;
        }
        LOG.warn("Kalshi order {} ({}): the venue said it holds its client_order_id, but its orders of {} do not list it;"
                + " left UNKNOWN, looked up again", order.id(), order.clientOrderId(), order.market());
        return new VenueOutcome(OrderState.UNKNOWN, null, "Kalshi said it holds this client_order_id (409), but its orders of "
                + order.market() + " do not list it: not sent again, looked up again", null);
    }

    private boolean heldBefore(OrderRecord order) {
        return (order.reason() != null && order.reason().contains(KalshiAnswers.HELD))
                || ledger.historySays(order.id(), KalshiAnswers.HELD);
    }

    /** {@code GET /portfolio/orders/{id}} with the order's key: its state at the venue; null when the venue does not know it. */
    public VenueOutcome order(OrderRecord order) {
        return order(accounts.of(order), order.venueOrderId());
    }

    private VenueOutcome order(KalshiAccount account, String venueOrderId) {
        VenueReads.Response r = reads.get("kalshi-order", Map.of("orderId", venueOrderId), "", account.signed(settings));
        if (r.status() == 404) {
            return null;
        }
        if (!r.ok() || r.json() == null || !r.json().path("order").isObject()) {
            throw new IllegalStateException("Kalshi GET /portfolio/orders/{id} answered HTTP " + r.status());
        }
        return KalshiAnswers.orderState(r.json().get("order"), r.json().toString(), "read at the venue: ");
    }

    /**
     * Before {@code DELETE /api/orders?all=true} or {@code ?market=} reaches Kalshi: its resting orders,
     * for {@code api.BulkCancels} to cancel every one of them. A failed read is noted, not fatal: the
     * orders the ledger knows are still cancelled.
     */
    public void restingForCancel(Exchange exchange) {
        Message in = exchange.getIn();
        boolean everything = "true".equalsIgnoreCase(in.getHeader("all", String.class));
        if (!accounts.configured() || "polymarket".equalsIgnoreCase(in.getHeader("venue", String.class))
                || in.getHeader("ids") != null || in.getHeader("tokenId") != null || (!everything && in.getHeader("market") == null)) {
            return;
        }
        try {
            exchange.setProperty(Flow.KALSHI_RESTING, openOrders());
        } catch (RuntimeException e) {
            exchange.setProperty(Flow.KALSHI_RESTING_ERROR, e.getMessage());
        }
    }

    /**
     * Every resting order of every key ({@code GET /portfolio/orders?status=resting}, every page):
     * order id → what a cancel needs of it (ticker, client_order_id, and the key that holds it,
     * {@link #HELD_BY}); the rest of each order is not kept, so many resting orders stay small.
     */
    public Map<String, JsonNode> openOrders() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (KalshiAccount a : accounts.configuredAccounts()) {
            orders(a, "status=resting", (id, o) -> out.put(id, Json.MAPPER.createObjectNode().put("ticker", o.path("ticker").asText())
                    .put("client_order_id", o.path("client_order_id").asText("")).put(HELD_BY, a.name())));
        }
        return out;
    }

    /**
     * Every resting order of every key, order id → where it rests and under which client_order_id
     * ("" when it has none): all an open-order sync needs — the client_order_id names an order whose
     * placement answer (and with it the venue's id) the ledger never read; the key and the ticker
     * keep it from being taken for another key's order of the same client_order_id.
     */
    public Map<String, Resting> openOrderIds() {
        Map<String, Resting> out = new HashMap<>();
        for (KalshiAccount a : accounts.configuredAccounts()) {
            orders(a, "status=resting", (id, o) -> out.put(id, new Resting(a.name(), o.path("ticker").asText(""),
                    o.path("client_order_id").asText(""))));
        }
        return out;
    }

    /** A resting order's place: the key that holds it, its ticker and its client_order_id. */
    public record Resting(String account, String ticker, String clientOrderId) {
    }

    /** Where a ledger order would rest if it does: its key, its market, its client order id (null: its key is not configured). */
    public Resting restingAs(OrderRecord r) {
        try {
            return new Resting(accounts.of(r).name(), r.market(), r.clientOrderId());
        } catch (RuntimeException unknownAccount) {
            return null;
        }
    }

    /** Every page of {@code GET /portfolio/orders?<filter>} of a key (the cursor is empty on the last page): order id → order. */
    private Map<String, JsonNode> orders(KalshiAccount account, String filter) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        orders(account, filter, out::put);
        return out;
    }

    /** {@link #orders(KalshiAccount, String)} page by page, each order handed on as it is read. */
    private void orders(KalshiAccount account, String filter, BiConsumer<String, JsonNode> each) {
        String cursor = "";
        for (int page = 0; page < 10_000; page++) {
            String query = filter + "&limit=200" + (cursor.isEmpty() ? "" : "&cursor=" + enc(cursor));
            VenueReads.Response r = reads.get("kalshi-orders", Map.of(), query, account.signed(settings));
            if (!r.ok() || r.json() == null) {
                throw new IllegalStateException("Kalshi GET /portfolio/orders answered HTTP " + r.status());
            }
            ListPage.items(r.json(), "orders", "Kalshi GET /portfolio/orders").forEach(o -> each.accept(o.path("order_id").asText(), o));
            String next = ListPage.cursor(r.json(), "cursor", "Kalshi GET /portfolio/orders");
            if (next.isEmpty()) {
                return;
            }
            if (next.equals(cursor)) {
                throw new IllegalStateException("Kalshi GET /portfolio/orders returned the same cursor twice");
            }
            cursor = next;
        }
        throw new IllegalStateException("Kalshi GET /portfolio/orders did not end after 10,000 pages");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    public OrderTicket resend(OrderRecord order) {
        return OrderTicket.resend(order.id(), null, order.signedPayload(), accounts.of(order).name());
    }

    public void prepareCancel(Exchange exchange) {
        OrderRecord r = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        String id = cancelId(exchange, r);
        String resource = KalshiSettings.ORDERS + "/" + id;
        Message in = exchange.getIn();
        in.setBody(null);
        accounts.of(r).paced("DELETE", settings.path(resource)).forEach(in::setHeader);
        CallMethod.set(in, "DELETE");
        in.setHeader(Exchange.HTTP_PATH, "/" + id); // after the route's …/portfolio/events/orders
    }

    /**
     * The venue's id of the order a cancel is for: the ledger's, or — its placement answer never read —
     * the one Kalshi holds under its client_order_id (looked up once per cancel; the answer records it).
     * Without either there is nothing at Kalshi to cancel: a 409 saying so, never a DELETE of "null".
     */
    private String cancelId(Exchange exchange, OrderRecord r) {
        if (r.venueOrderId() != null) {
            return r.venueOrderId();
        }
        String found = exchange.getProperty(Flow.CANCEL_FOUND_ID, String.class);
        if (found == null) {
            VenueOutcome held;
            try {
                held = lookup(r);
            } catch (RetryableVenueException again) {
                throw again; // 429, 5xx, no answer: the cancel is retried as a whole
            } catch (RuntimeException refused) {
                throw ApiRefusal.venueRefused("order " + r.id() + " has no Kalshi order id and Kalshi could not be asked for it by"
                        + " client_order_id: " + refused.getMessage(), null);
            }
            if (held == null || held.venueOrderId() == null) {
                throw new ApiRefusal.Conflict("order " + r.id() + " has no Kalshi order id, and Kalshi holds no order under its"
                        + " client_order_id " + r.clientOrderId() + " in " + r.market() + ": there is nothing there to cancel");
            }
            found = held.venueOrderId();
            exchange.setProperty(Flow.CANCEL_FOUND_ID, found);
        }
        return found;
    }

    /**
     * {@code {order_id, reduced_by}} → CANCELED. A 404 means the order is no longer open (filled, or
     * cancelled already): the order is read to learn which, so the ledger ends in the venue's truth.
     */
    public VenueOutcome cancelAnswer(Exchange exchange) {
        OrderRecord r = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        String id = exchange.getProperty(Flow.CANCEL_FOUND_ID, r.venueOrderId(), String.class);
        VenueStatus.Answer answer = VenueStatus.answer(exchange.getIn(), "Kalshi", "a cancel");
        String body = answer.body();
        if (answer.ok()) {
            JsonNode j = KalshiAnswers.parse(body);
            if (j == null || !(j.has("order_id") || j.has("reduced_by") || j.has("reduced_by_fp"))) {
                // A success that is not the cancel's answer (a proxy's page, another shape) does not say the
                // venue cancelled: the order is read back, as after a 404, and is not "cancelled by this call".
                return notOpen(r, id, "HTTP " + answer.status() + " with a body that is not the cancel's answer", body);
            }
            BigDecimal reduced = KalshiAnswers.count(j, "reduced_by");
            exchange.setProperty(Flow.CANCEL_CONFIRMED, true);
            if (reduced != null) {
                exchange.setProperty(Flow.CANCEL_REDUCED_BY, reduced);
            }
            return new VenueOutcome(OrderState.CANCELED, id, "canceled at the venue"
                    + (reduced == null ? "" : " (reduced by " + reduced.toPlainString() + ")"), body);
        }
        if (answer.status() == 404) {
            return notOpen(r, id, "HTTP 404" + KalshiAnswers.error(KalshiAnswers.parse(body), ""), body);
        }
        return new VenueOutcome(r.state(), null, "not canceled: HTTP " + answer.status()
                + KalshiAnswers.error(KalshiAnswers.parse(body), ""), body);
    }

    /** A cancel found the order not open: its state as the venue reports it, or not canceled when unreadable. */
    private VenueOutcome notOpen(OrderRecord r, String id, String why, String raw) {
        VenueOutcome read;
        try {
            read = order(accounts.of(r), id);
        } catch (RuntimeException e) { // the read failed: the other orders of the answer still count
            return new VenueOutcome(r.state(), null, "not canceled: " + why + "; the order could not be read back ("
                    + e.getMessage() + ")", raw);
        }
        if (read == null) {
            return new VenueOutcome(r.state(), null, "not canceled: " + why + "; the venue does not know the order", raw);
        }
        return new VenueOutcome(read.state(), id, "cancel answered " + why + "; " + read.reason(), read.rawAnswer());
    }

    /** One batched cancel: {@code DELETE …/orders/batched {"orders":[{"order_id"}]}}, signed afresh for each attempt. */
    public void prepareBulkCancel(Exchange exchange) {
        CancelCall call = exchange.getProperty(Flow.CANCEL_CALL, CancelCall.class);
        String resource = KalshiSettings.ORDERS + "/batched";
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode orders = body.putArray("orders");
        call.orders().forEach(r -> orders.addObject().put("order_id", r.venueOrderId()));
        call.foreign().forEach(id -> orders.addObject().put("order_id", id));
        Message in = exchange.getIn();
        in.setBody(body.toString().getBytes(StandardCharsets.UTF_8));
        accounts.of(call.account()).paced("DELETE", settings.path(resource), KalshiRateLimits.CANCEL_ITEM * orders.size())
                .forEach(in::setHeader);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        CallMethod.set(in, "DELETE");
    }

    /**
     * Each item: {@code reduced_by} (cancelled) or an {@code error}. An order the venue reports
     * {@code not_found} is read, and its true state (filled, cancelled already) goes to the ledger.
     */
    public CancelAnswer bulkCancelAnswer(Exchange exchange) {
        VenueStatus.Answer answer = VenueStatus.answer(exchange.getIn(), "Kalshi", "a batched cancel");
        JsonNode j = KalshiAnswers.parse(answer.body());
        if (!answer.ok() || j == null) {
            return CancelAnswer.refused("HTTP " + answer.status() + KalshiAnswers.error(j, ""), answer.body());
        }
        CancelCall call = exchange.getProperty(Flow.CANCEL_CALL, CancelCall.class);
        Map<String, OrderRecord> ours = new HashMap<>();
        call.orders().forEach(r -> ours.put(r.venueOrderId(), r));
        Set<String> canceled = new HashSet<>();
        Map<String, String> notCanceled = new HashMap<>();
        Map<String, VenueOutcome> found = new HashMap<>();
        for (JsonNode item : j.path("orders")) {
            String id = item.path("order_id").asText(item.path("order").path("order_id").asText());
            if (!item.hasNonNull("error")) {
                canceled.add(id);
                continue;
            }
            String why = KalshiAnswers.error(item, "").replaceFirst("^: ", "");
            OrderRecord r = ours.get(id);
            if (r != null && why.contains("not_found")) {
                found.put(id, notOpen(r, r.venueOrderId(), why, item.toString()));
            } else {
                notCanceled.put(id, why);
            }
        }
        return new CancelAnswer(canceled, notCanceled, answer.body(), null, found);
    }

    /** {@code GET /api/venues/kalshi/{resource}?account=}: a signed read with the key (default: main) passed through unchanged. */
    public Object read(Exchange exchange) {
        Message in = exchange.getIn();
        KalshiAccount account;
        try {
            account = accounts.of(in.getHeader("account", String.class));
        } catch (OrderRejectedException e) {
            throw new ApiRefusal(400, e.getMessage(), e.violations());
        }
        String name = in.getHeader("resource", String.class);
        String read = READS.get(name);
        if (read == null) {
            throw new ApiRefusal.NotFound("unknown Kalshi resource '" + name + "'", List.of(Map.of("field", "resource",
                    "reason", "must be one of " + List.copyOf(new TreeSet<>(READS.keySet())))));
        }
        StringBuilder query = new StringBuilder();
        Map<String, String> params = new LinkedHashMap<>();
        READ_PARAMS.forEach(p -> {
            String v = in.getHeader(p, String.class);
            if (v != null && !v.isBlank()) {
                params.put(p, v);
            }
        });
        params.forEach((k, v) -> query.append(query.length() == 0 ? "" : "&").append(k).append('=')
                .append(enc(v)));
        VenueReads.Response r = reads.get(read, Map.of(), query.toString(), account.signed(settings));
        if (!r.ok() || r.json() == null) {
            throw ApiRefusal.venueRefused("Kalshi answered HTTP " + r.status(), r.json());
        }
        return r.json();
    }
}
