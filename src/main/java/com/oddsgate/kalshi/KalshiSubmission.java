package com.oddsgate.kalshi;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.oddsgate.message.Flow;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.VenueOutcome;
import com.oddsgate.venue.CallMethod;
import com.oddsgate.venue.RetryableVenueException;
import com.oddsgate.venue.VenueMetrics;
import com.oddsgate.venue.VenueStatus;

/**
 * Route glue around Kalshi's order call: the recorded body with fresh RSA-PSS headers before the
 * HTTP call, the answer as a {@link VenueOutcome} after it.
 */
public class KalshiSubmission {

    private final KalshiAccounts accounts;
    private final KalshiSettings settings;
    private final KalshiAnswers answers;
    private final VenueMetrics metrics;
    /** Exchange property: when the venue call was prepared (System.nanoTime). */
    static final String SENT_AT = "oddsgateSentAt";

    private final KalshiFunds funds;

    public KalshiSubmission(KalshiAccounts accounts, KalshiSettings settings, KalshiAnswers answers,
            VenueMetrics metrics, KalshiFunds funds) {
        this.funds = funds;
        this.accounts = accounts;
        this.settings = settings;
        this.answers = answers;
        this.metrics = metrics;
    }

    /** Exchange property: this order took its write tokens before it was built (see {@link #pace}). */
    public static final String PACED = "oddsgatePaced";

    /**
     * A new order waits its turn in the key's write bucket before its body is built and recorded;
     * refused (429, nothing sent) beyond the bound. Its first send then does not wait again.
     */
    public void pace(Exchange exchange) {
        OrderTicket ticket = exchange.getProperty(Flow.TICKET, OrderTicket.class);
        if (ticket == null || !ticket.isPaced()) {
            accounts.of(ticket).admit(KalshiRateLimits.CREATE_ITEM);
        }
        exchange.setProperty(PACED, true);
    }

    /** An amend's replacement takes its write tokens before the original is cancelled (refused now, not after). */
    public OrderTicket reserveToken(OrderTicket ticket) {
        accounts.of(ticket).admit(KalshiRateLimits.CREATE_ITEM);
        ticket.setPaced(true);
        return ticket;
    }

    public void prepare(Exchange exchange) {
        OrderTicket ticket = exchange.getProperty(Flow.TICKET, OrderTicket.class);
        String resource = KalshiSettings.ORDERS;
        Message in = exchange.getIn();
        in.setBody(ticket.getSignedPayload().getBytes(StandardCharsets.UTF_8));
        long start = System.nanoTime();
        boolean paced = Boolean.TRUE.equals(exchange.removeProperty(PACED));
        KalshiAccount account = accounts.of(ticket);
        (paced ? account.signedNow("POST", settings.path(resource)) : account.paced("POST", settings.path(resource)))
                .forEach(in::setHeader);
        long signed = System.nanoTime();
        metrics.signed("kalshi", Duration.ofNanos(signed - start));
        exchange.setProperty(SENT_AT, signed);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        CallMethod.set(in, "POST");
    }

    /** {@code POST …/orders/batched {"orders":[…]}}: the batch's recorded bodies, signed afresh each attempt. */
    public void prepareBatch(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<OrderTicket> batch = exchange.getProperty(Flow.BATCH, List.class);
        StringBuilder json = new StringBuilder("{\"orders\":[");
        for (int i = 0; i < batch.size(); i++) {
            json.append(i == 0 ? "" : ",").append(batch.get(i).getSignedPayload());
        }
        String resource = KalshiSettings.ORDERS + "/batched";
        Message in = exchange.getIn();
        in.setBody(json.append("]}").toString().getBytes(StandardCharsets.UTF_8));
        // Every item is billed: the batch waits until the write bucket holds all of it, at the moment it is sent.
        // A venue batch is of one key (BatchOrders groups them).
        accounts.of(batch.get(0)).paced("POST", settings.path(resource), KalshiRateLimits.CREATE_ITEM * batch.size())
                .forEach(in::setHeader);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        CallMethod.set(in, "POST");
    }

    /**
     * One outcome per order: the answer's items are matched by client_order_id, else by position
     * (the venue answers in request order). An item list is read whatever the status: an item with
     * an order id is an order at the venue, refused or not its neighbours (only an error without a
     * list refuses the whole batch). A success without a list names no order: each is UNKNOWN,
     * resolved by client_order_id. Transport trouble for the whole batch is retried.
     */
    public List<VenueOutcome> batchAnswer(Exchange exchange) {
        Message in = exchange.getIn();
        @SuppressWarnings("unchecked")
        List<OrderTicket> batch = exchange.getProperty(Flow.BATCH, List.class);
        int status = in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = in.getBody(String.class);
        JsonNode j = KalshiAnswers.parse(body);
        // A status to retry is retried, list or not (its items would be no final word).
        boolean ok = j != null && j.path("orders").isArray() && !VenueStatus.retryable(status);
        boolean unlisted = !ok && status >= 200 && status < 300;
        Map<String, JsonNode> byClientId = new HashMap<>();
        JsonNode items = ok ? j.get("orders") : null;
        if (ok) {
            items.forEach(item -> byClientId.put(item.path("client_order_id").asText(
                    item.path("order").path("client_order_id").asText()), item));
        }
        List<VenueOutcome> out = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            VenueOutcome o = unlisted ? new VenueOutcome(OrderState.UNKNOWN, null, "the batch answer (HTTP " + status + ") lists"
                    + " no orders; resolving by client_order_id", body) : batchItem(batch, i, ok, items, byClientId, status, body, in);
            out.add(VenueStatus.notFinalOnRetry(exchange, o, "client_order_id"));
        }
        return out;
    }

    /** One order's outcome in a batch answer. */
    private VenueOutcome batchItem(List<OrderTicket> batch, int i, boolean ok, JsonNode items, Map<String, JsonNode> byClientId,
            int status, String body, Message in) {
        OrderTicket t = batch.get(i);
        JsonNode item = !ok ? null : byClientId.getOrDefault(clientOrderId(t),
                items.size() == batch.size() && unnamed(items.get(i)) ? items.get(i) : null);
        if (item == null) {
            // Accepted or not, the answer does not say for this order: UNKNOWN, resolved by client_order_id.
            if (ok) {
                return new VenueOutcome(OrderState.UNKNOWN, null, "the batch answer does not name this order;"
                        + " resolving by client_order_id", body);
            }
            VenueOutcome whole = answers.placement(status, body, in.getHeader("Retry-After", String.class), timeInForce(t));
            if (whole.state() == OrderState.UNKNOWN && whole.reason() != null && whole.reason().startsWith(KalshiAnswers.HELD)) {
                // Some order of the batch has its client_order_id held, not said which: not this order's word (KalshiVenue.heldOnce).
                return new VenueOutcome(OrderState.UNKNOWN, null, "the batch was refused as a whole (HTTP " + status + "): a"
                        + " client_order_id of it is used already; resolving by client_order_id", body);
            }
            return whole;
        }
        if (item.hasNonNull("error")) {
            return KalshiAnswers.refusal(400, item, item.toString());
        }
        return KalshiAnswers.created(item, item.toString(), timeInForce(t));
    }

    /** An item that names no order (a refusal without client_order_id): tied to an order only by its place. */
    private static boolean unnamed(JsonNode item) {
        return !item.hasNonNull("client_order_id") && !item.path("order").hasNonNull("client_order_id");
    }

    private static String clientOrderId(OrderTicket t) {
        return t.getOrder() != null ? t.getOrder().clientOrderId() : payload(t).path("client_order_id").asText();
    }

    /** The time_in_force the recorded body asked for (IOC/FOK orders never rest). */
    private static String timeInForce(OrderTicket t) {
        return t.getOrder() != null ? KalshiOrders.timeInForce(t.getOrder().timeInForce())
                : payload(t).path("time_in_force").asText("");
    }

    private static JsonNode payload(OrderTicket t) {
        JsonNode j = KalshiAnswers.parse(t.getSignedPayload());
        return j == null ? MissingNode.getInstance() : j;
    }

    public VenueOutcome answer(Exchange exchange) {
        Message in = exchange.getIn();
        Long sent = exchange.getProperty(SENT_AT, Long.class);
        Duration took = Duration.ofNanos(sent == null ? 0 : System.nanoTime() - sent);
        try {
            VenueOutcome outcome = VenueStatus.notFinalOnRetry(exchange, answers.placement(
                    in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class), in.getBody(String.class),
                    in.getHeader("Retry-After", String.class), timeInForce(exchange.getProperty(Flow.TICKET, OrderTicket.class))),
                    "client_order_id");
            metrics.roundTrip("kalshi", outcome.state().name(), took);
            if (outcome.state() == OrderState.REJECTED && outcome.reason() != null
                    && outcome.reason().contains("insufficient_balance")) {
                // our balance figure of that key is stale: its next BUY reads it again
                funds.forget(exchange.getProperty(Flow.TICKET, OrderTicket.class).getAccount());
            }
            return outcome;
        } catch (RetryableVenueException e) {
            metrics.roundTrip("kalshi", "retryable-" + e.status(), took);
            if (e.retryAfterMillis() != null) {
                in.setHeader(Exchange.REDELIVERY_DELAY, e.retryAfterMillis());
            }
            throw e;
        }
    }
}
