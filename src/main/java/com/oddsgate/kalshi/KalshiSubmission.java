package com.oddsgate.kalshi;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.oddsgate.api.Flow;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.VenueOutcome;
import com.oddsgate.venue.RetryableVenueException;

/**
 * Route glue around Kalshi's order call: the recorded body with fresh RSA-PSS headers before the
 * HTTP call, the answer as a {@link VenueOutcome} after it.
 */
public class KalshiSubmission {

    private final KalshiAccount account;
    private final KalshiSettings settings;
    private final KalshiAnswers answers;
    private final Clock clock;
    private final com.oddsgate.ops.GatewayMetrics metrics;
    /** Exchange property: when the venue call was prepared (System.nanoTime). */
    static final String SENT_AT = "oddsgateSentAt";

    private final KalshiFunds funds;

    public KalshiSubmission(KalshiAccount account, KalshiSettings settings, KalshiAnswers answers, Clock clock,
            com.oddsgate.ops.GatewayMetrics metrics, KalshiFunds funds) {
        this.funds = funds;
        this.account = account;
        this.settings = settings;
        this.answers = answers;
        this.clock = clock;
        this.metrics = metrics;
    }

    public void prepare(Exchange exchange) {
        OrderTicket ticket = exchange.getProperty(Flow.TICKET, OrderTicket.class);
        String resource = settings.ordersResource();
        Message in = exchange.getIn();
        in.setBody(ticket.getSignedPayload().getBytes(StandardCharsets.UTF_8));
        long start = System.nanoTime();
        account.headers(clock.millis(), "POST", settings.path(resource)).forEach(in::setHeader);
        long signed = System.nanoTime();
        metrics.signed("kalshi", java.time.Duration.ofNanos(signed - start));
        exchange.setProperty(SENT_AT, signed);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setHeader(Exchange.HTTP_METHOD, "POST");
        in.setHeader(Exchange.HTTP_URI, settings.url(resource));
    }

    /** {@code POST …/orders/batched {"orders":[…]}}: the batch's recorded bodies, signed afresh each attempt. */
    public void prepareBatch(Exchange exchange) {
        @SuppressWarnings("unchecked")
        java.util.List<OrderTicket> batch = exchange.getProperty(com.oddsgate.api.BatchOrders.BATCH, java.util.List.class);
        StringBuilder json = new StringBuilder("{\"orders\":[");
        for (int i = 0; i < batch.size(); i++) {
            json.append(i == 0 ? "" : ",").append(batch.get(i).getSignedPayload());
        }
        String resource = settings.ordersResource() + "/batched";
        Message in = exchange.getIn();
        in.setBody(json.append("]}").toString().getBytes(StandardCharsets.UTF_8));
        account.headers(clock.millis(), "POST", settings.path(resource)).forEach(in::setHeader);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setHeader(Exchange.HTTP_METHOD, "POST");
        in.setHeader(Exchange.HTTP_URI, settings.url(resource));
    }

    /** One outcome per order, matched by client_order_id; transport trouble for the whole batch is retried. */
    public java.util.List<VenueOutcome> batchAnswer(Exchange exchange) {
        Message in = exchange.getIn();
        @SuppressWarnings("unchecked")
        java.util.List<OrderTicket> batch = exchange.getProperty(com.oddsgate.api.BatchOrders.BATCH, java.util.List.class);
        int status = in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = in.getBody(String.class);
        com.fasterxml.jackson.databind.JsonNode j = KalshiAnswers.parse(body);
        java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> items = new java.util.HashMap<>();
        if (status >= 200 && status < 300 && j != null) {
            j.path("orders").forEach(item -> items.put(item.path("client_order_id").asText(
                    item.path("order").path("client_order_id").asText()), item));
        }
        java.util.List<VenueOutcome> out = new java.util.ArrayList<>();
        for (OrderTicket t : batch) {
            com.fasterxml.jackson.databind.JsonNode item = items.get(t.getOrder().clientOrderId());
            if (item == null) {
                out.add(answers.placement(status >= 200 && status < 300 ? 502 : status, body, in.getHeader("Retry-After", String.class)));
            } else if (item.has("order") && item.get("order").isObject()) {
                out.add(KalshiAnswers.orderState(item.get("order"), item.toString(), "venue status "));
            } else {
                out.add(answers.placement(400, "{\"error\":" + item.path("error") + "}", null));
            }
        }
        return out;
    }

    public VenueOutcome answer(Exchange exchange) {
        Message in = exchange.getIn();
        Long sent = exchange.getProperty(SENT_AT, Long.class);
        java.time.Duration took = java.time.Duration.ofNanos(sent == null ? 0 : System.nanoTime() - sent);
        try {
            VenueOutcome outcome = answers.placement(in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class),
                    in.getBody(String.class), in.getHeader("Retry-After", String.class));
            metrics.roundTrip("kalshi", outcome.state().name(), took);
            if (outcome.state() == com.oddsgate.order.OrderState.REJECTED && outcome.reason() != null
                    && outcome.reason().contains("insufficient_balance")) {
                funds.forget(); // our balance figure is stale: the next BUY reads it again
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
