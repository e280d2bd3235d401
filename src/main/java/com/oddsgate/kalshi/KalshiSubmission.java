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

    public KalshiSubmission(KalshiAccount account, KalshiSettings settings, KalshiAnswers answers, Clock clock) {
        this.account = account;
        this.settings = settings;
        this.answers = answers;
        this.clock = clock;
    }

    public void prepare(Exchange exchange) {
        OrderTicket ticket = exchange.getProperty(Flow.TICKET, OrderTicket.class);
        String resource = settings.ordersResource();
        Message in = exchange.getIn();
        in.setBody(ticket.getSignedPayload().getBytes(StandardCharsets.UTF_8));
        account.headers(clock.millis(), "POST", settings.path(resource)).forEach(in::setHeader);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setHeader(Exchange.HTTP_METHOD, "POST");
        in.setHeader(Exchange.HTTP_URI, settings.url(resource));
    }

    public VenueOutcome answer(Exchange exchange) {
        Message in = exchange.getIn();
        try {
            return answers.placement(in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class), in.getBody(String.class),
                    in.getHeader("Retry-After", String.class));
        } catch (RetryableVenueException e) {
            if (e.retryAfterMillis() != null) {
                in.setHeader(Exchange.REDELIVERY_DELAY, e.retryAfterMillis());
            }
            throw e;
        }
    }
}
