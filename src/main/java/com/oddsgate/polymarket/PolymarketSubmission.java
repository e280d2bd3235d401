package com.oddsgate.polymarket;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.oddsgate.api.Flow;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.VenueOutcome;
import com.oddsgate.venue.RetryableVenueException;

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

    public PolymarketSubmission(PolymarketAccount account, PolymarketAnswers answers, Clock clock) {
        this.account = account;
        this.answers = answers;
        this.clock = clock;
    }

    public void prepare(Exchange exchange) {
        OrderTicket ticket = exchange.getProperty(Flow.TICKET, OrderTicket.class);
        byte[] body = ticket.getSignedPayload().getBytes(StandardCharsets.UTF_8);
        Message in = exchange.getIn();
        in.setBody(body);
        account.l2Headers(clock.instant().getEpochSecond(), "POST", ORDER_PATH, body).forEach(in::setHeader);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setHeader(Exchange.HTTP_METHOD, "POST");
    }

    public VenueOutcome answer(Exchange exchange) {
        Message in = exchange.getIn();
        try {
            return answers.map(in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class), in.getBody(String.class),
                    in.getHeader("Retry-After", String.class));
        } catch (RetryableVenueException e) {
            if (e.retryAfterMillis() != null) {
                // Read by Camel's redelivery to replace the backoff delay for this attempt.
                in.setHeader(Exchange.REDELIVERY_DELAY, e.retryAfterMillis());
            }
            throw e;
        }
    }
}
