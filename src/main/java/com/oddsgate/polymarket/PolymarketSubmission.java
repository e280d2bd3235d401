package com.oddsgate.polymarket;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.api.Flow;
import com.oddsgate.api.Json;
import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.VenueOutcome;
import com.oddsgate.venue.RetryableVenueException;
import com.oddsgate.venue.VenueStatus;

/**
 * Route glue around {@code POST /order}: puts the recorded signed body and fresh L2 headers on the
 * message before the HTTP call, and turns the HTTP answer into a {@link VenueOutcome} after it.
 * Each (re)delivery starts from the ticket, so a retry sends the same bytes with a new timestamp.
 */
public class PolymarketSubmission {

    static final String ORDER_PATH = "/order";

    private final PolymarketAccount account;
    private final PolymarketAnswers answers;
    private final Clock clock;
    private final com.oddsgate.ops.GatewayMetrics metrics;
    /** Exchange property: when the venue call was prepared (System.nanoTime). */
    static final String SENT_AT = "oddsgateSentAt";

    public PolymarketSubmission(PolymarketAccount account, PolymarketAnswers answers, Clock clock,
            com.oddsgate.ops.GatewayMetrics metrics) {
        this.account = account;
        this.answers = answers;
        this.clock = clock;
        this.metrics = metrics;
    }

    public void prepare(Exchange exchange) {
        OrderTicket ticket = exchange.getProperty(Flow.TICKET, OrderTicket.class);
        byte[] body = ticket.getSignedPayload().getBytes(StandardCharsets.UTF_8);
        Message in = exchange.getIn();
        in.setBody(body);
        account.l2Headers(clock.instant().getEpochSecond(), "POST", ORDER_PATH, body).forEach(in::setHeader);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setHeader(Exchange.HTTP_METHOD, "POST");
        exchange.setProperty(SENT_AT, System.nanoTime());
    }

    private void timed(Exchange exchange, String outcome) {
        Long sent = exchange.getProperty(SENT_AT, Long.class);
        if (sent != null && metrics != null) {
            metrics.roundTrip("polymarket", outcome, java.time.Duration.ofNanos(System.nanoTime() - sent));
        }
    }

    /** {@code DELETE /order {"orderID"}} for the order in the exchange's record. */
    public void prepareCancel(Exchange exchange) {
        OrderRecord r = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        byte[] body = ("{\"orderID\":\"" + r.orderHash() + "\"}").getBytes(StandardCharsets.UTF_8);
        Message in = exchange.getIn();
        in.setBody(body);
        account.l2Headers(clock.instant().getEpochSecond(), "DELETE", ORDER_PATH, body).forEach(in::setHeader);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setHeader(Exchange.HTTP_METHOD, "DELETE");
    }

    /** {@code {"canceled":[ids],"not_canceled":{id: reason}}} → CANCELED, or the current state with the reason. */
    public VenueOutcome cancelAnswer(Exchange exchange) {
        OrderRecord r = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        VenueStatus.Answer answer = VenueStatus.answer(exchange.getIn(), "Polymarket", "a cancel");
        int status = answer.status();
        String body = answer.body();
        JsonNode j = null;
        try {
            j = body == null || body.isBlank() ? null : Json.MAPPER.readTree(body);
        } catch (java.io.IOException e) {
            // reported below as the raw body
        }
        if (status >= 200 && status < 300 && j != null) {
            for (JsonNode id : j.path("canceled")) {
                if (id.asText().equalsIgnoreCase(r.orderHash())) {
                    return new VenueOutcome(OrderState.CANCELED, r.orderHash(), "canceled at the venue", body);
                }
            }
            String why = j.path("not_canceled").path(r.orderHash()).asText("venue did not cancel it");
            return new VenueOutcome(r.state(), null, "not canceled: " + why, body);
        }
        return new VenueOutcome(r.state(), null, "not canceled: HTTP " + status + (body == null ? "" : " " + body), body);
    }

    public VenueOutcome answer(Exchange exchange) {
        Message in = exchange.getIn();
        try {
            VenueOutcome outcome = answers.map(in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class),
                    in.getBody(String.class), in.getHeader("Retry-After", String.class));
            timed(exchange, outcome.state().name());
            return outcome;
        } catch (RetryableVenueException e) {
            timed(exchange, "retryable-" + e.status());
            if (e.retryAfterMillis() != null) {
                // Read by Camel's redelivery to replace the backoff delay for this attempt.
                in.setHeader(Exchange.REDELIVERY_DELAY, e.retryAfterMillis());
            }
            throw e;
        }
    }
}
