package com.oddsgate.polymarket.protocol;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.message.Flow;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.VenueOutcome;
import com.oddsgate.venue.RateLimits;
import com.oddsgate.venue.RetryableVenueException;
import com.oddsgate.venue.VenueMetrics;
import com.oddsgate.venue.VenueStatus;

/**
 * Route glue around {@code POST /order}: puts the recorded signed body and fresh L2 headers on the
 * message before the HTTP call, and turns the HTTP answer into a {@link VenueOutcome} after it.
 * Each (re)delivery starts from the ticket, so a retry sends the same bytes with a new timestamp.
 */
public class PolymarketPlacement {

    static final String ORDER_PATH = "/order";
    /** Exchange property: when the venue call was prepared (System.nanoTime). */
    static final String SENT_AT = "oddsgateSentAt";
    /** Exchange property: the venue answered order_version_mismatch to this attempt. */
    public static final String VERSION_MISMATCH = "oddsgateVersionMismatch";

    private final ClobCalls calls;
    private final PolymarketAnswers answers;
    private final VenueMetrics metrics;
    private final PolymarketMarkets markets;
    private final PolymarketFunds funds;

    public PolymarketPlacement(ClobCalls calls, PolymarketAnswers answers, VenueMetrics metrics, PolymarketMarkets markets,
            PolymarketFunds funds) {
        this.calls = calls;
        this.answers = answers;
        this.metrics = metrics;
        this.markets = markets;
        this.funds = funds;
    }

    /** A new order waits its turn in the signer's bucket before it is signed; refused (429) beyond the bound. */
    public void pace(Exchange exchange) {
        OrderTicket ticket = exchange.getProperty(Flow.TICKET, OrderTicket.class);
        if (ticket == null || !ticket.isPaced()) {
            calls.admit(calls.accounts().of(ticket));
        }
        exchange.setProperty(ClobCalls.PACED, true);
    }

    /** An amend's replacement takes its token before the original is cancelled (refused now, not after). */
    public OrderTicket reserveToken(OrderTicket ticket) {
        calls.admit(calls.accounts().of(ticket));
        ticket.setPaced(true);
        return ticket;
    }

    public void prepare(Exchange exchange) {
        OrderTicket ticket = exchange.getProperty(Flow.TICKET, OrderTicket.class);
        PolymarketAccount account = calls.accounts().of(ticket);
        calls.awaitTurn(exchange, account, RateLimits.Kind.ORDERS, 1);
        calls.authenticate(exchange.getIn(), account, "POST", ORDER_PATH, ticket.getSignedPayload().getBytes(StandardCharsets.UTF_8));
        exchange.setProperty(SENT_AT, System.nanoTime());
    }

    public VenueOutcome answer(Exchange exchange) {
        Message in = exchange.getIn();
        calls.observeLimits(in, calls.accounts().of(exchange.getProperty(Flow.TICKET, OrderTicket.class)));
        try {
            VenueOutcome mapped = afterRefusal(exchange, answers.map(in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class),
                    in.getBody(String.class), in.getHeader("Retry-After", String.class)));
            OrderTicket ticket = exchange.getProperty(Flow.TICKET, OrderTicket.class);
            mapped = ticket != null && ticket.getOrder() != null ? PolymarketAnswers.withRestingRest(mapped, ticket.getOrder())
                    // a re-send by recovery carries the recorded bytes only: the order as the ledger holds it
                    : PolymarketAnswers.withRestingRest(mapped, exchange.getProperty(Flow.RECORD, OrderRecord.class));
            VenueOutcome outcome = VenueStatus.notFinalOnRetry(exchange, mapped, "order hash");
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

    private void timed(Exchange exchange, String outcome) {
        Long sent = exchange.getProperty(SENT_AT, Long.class);
        if (sent != null && metrics != null) {
            metrics.roundTrip("polymarket", outcome, Duration.ofNanos(System.nanoTime() - sent));
        }
    }

    /**
     * A refusal that says our data is stale: a version mismatch marks the exchange for one re-sign
     * (see the route), a tick-size refusal drops the cached market so the next order reads it anew.
     */
    private VenueOutcome afterRefusal(Exchange exchange, VenueOutcome outcome) {
        if (outcome.state() != OrderState.REJECTED || outcome.reason() == null) {
            return outcome;
        }
        String why = outcome.reason().toLowerCase(Locale.ROOT);
        if (PolymarketResign.versionRefused(outcome)) {
            exchange.setProperty(VERSION_MISMATCH, true);
        }
        OrderTicket ticket = exchange.getProperty(Flow.TICKET, OrderTicket.class);
        if (why.contains("not enough balance") && funds != null) {
            funds.forget(ticket == null ? null : ticket.getAccount());
        }
        if (why.contains("tick size") && ticket != null && ticket.getMarket() != null) {
            markets.forget(ticket.getMarket().conditionId());
            return new VenueOutcome(outcome.state(), outcome.venueOrderId(), outcome.reason()
                    + " (the market's tick size changed; market data refreshed for the next order)", outcome.rawAnswer());
        }
        return outcome;
    }
}
