package com.oddsgate.polymarket.protocol;

import com.oddsgate.polymarket.signing.OrderVersion;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.message.Flow;
import com.oddsgate.message.Json;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.VenueOutcome;
import com.oddsgate.venue.CancelAnswer;
import com.oddsgate.venue.CancelCall;
import com.oddsgate.venue.RateLimits;
import com.oddsgate.venue.RetryableVenueException;
import com.oddsgate.venue.VenueMetrics;
import com.oddsgate.venue.VenueStatus;

/**
 * Route glue around {@code POST /order}: puts the recorded signed body and fresh L2 headers on the
 * message before the HTTP call, and turns the HTTP answer into a {@link VenueOutcome} after it.
 * Each (re)delivery starts from the ticket, so a retry sends the same bytes with a new timestamp.
 */
public class PolymarketSubmission {

    static final String ORDER_PATH = "/order";

    private final PolymarketAccounts accounts;
    private final PolymarketAnswers answers;
    private final Clock clock;
    private final VenueMetrics metrics;
    /** Exchange property: when the venue call was prepared (System.nanoTime). */
    static final String SENT_AT = "oddsgateSentAt";

    private final PolymarketOrders orders;
    private final PolymarketVersions versions;
    private final PolymarketMarkets markets;
    private final RateLimits limits;
    private final PolymarketFunds funds;
    private final PolymarketRecovery recovery;

    public PolymarketSubmission(PolymarketAccounts accounts, PolymarketAnswers answers, Clock clock,
            VenueMetrics metrics, PolymarketOrders orders, PolymarketVersions versions,
            PolymarketMarkets markets, RateLimits limits, PolymarketFunds funds,
            PolymarketRecovery recovery) {
        this.recovery = recovery;
        this.accounts = accounts;
        this.answers = answers;
        this.clock = clock;
        this.metrics = metrics;
        this.orders = orders;
        this.versions = versions;
        this.markets = markets;
        this.limits = limits;
        this.funds = funds;
    }

    /**
     * After the venue refused the order as {@code order_version_mismatch}: asks which version it
     * expects now and, when that differs from the one signed, signs the order again for it (the
     * refused signature never reached the book, so this is a new order, not a second one). Sets
     * {@link #RESIGNED} and {@link #SUPERSEDED_HASH} when it did; otherwise leaves the refusal as it is.
     */
    public void resignForVenueVersion(Exchange exchange) {
        exchange.removeProperty(VERSION_MISMATCH);
        OrderTicket ticket = exchange.getProperty(Flow.TICKET, OrderTicket.class);
        if (exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) > 0) {
            // A redelivery: the lost first attempt may rest at the venue under the old version. Look for
            // it first; a second signature is made only once the venue says it does not hold the first.
            VenueOutcome original;
            try {
                original = recovery.lookup(ticket);
            } catch (RuntimeException unreadable) {
                exchange.setProperty(RESIGNED, false); // stays UNKNOWN: recovery looks again
                return;
            }
            if (original != null) {
                exchange.getIn().setBody(original);
                exchange.setProperty(RESIGNED, false);
                return;
            }
        }
        OrderVersion signed = orders.signedVersion(ticket.getSignedPayload(), ticket.getMarket(), ticket.getOrderHash());
        OrderVersion expected = versions.refresh();
        if (expected == signed) {
            exchange.setProperty(RESIGNED, false);
            return;
        }
        String old = ticket.getOrderHash();
        PolymarketOrders.Signed s = orders.build(ticket.getOrder(), ticket.getMarket(), null, null, expected);
        ticket.setSigned(s.orderHash(), s.body());
        exchange.setProperty(SUPERSEDED_HASH, old + " (V" + (signed == null ? "?" : signed.number()) + ")");
        exchange.setProperty(RESIGNED, true);
    }

    /** Exchange property: the venue answered order_version_mismatch to this attempt. */
    public static final String VERSION_MISMATCH = "oddsgateVersionMismatch";
    /** Exchange property: the order was signed again for the venue's version. */
    public static final String RESIGNED = "oddsgateResigned";
    /** Exchange property: the refused hash a re-signed order replaces. */
    public static final String SUPERSEDED_HASH = "oddsgateSupersededHash";

    /** Exchange property: this order already has its rate-limit token (taken before it was signed). */
    public static final String PACED = "oddsgatePaced";

    /** A new order waits its turn in the signer's bucket before it is signed; refused (429) beyond the bound. */
    public void pace(Exchange exchange) {
        OrderTicket ticket = exchange.getProperty(Flow.TICKET, OrderTicket.class);
        if (ticket == null || !ticket.isPaced()) {
            limits.admit(accounts.of(ticket).wallet().address(), 1);
        }
        exchange.setProperty(PACED, true);
    }

    /** An amend's replacement takes its token before the original is cancelled (refused now, not after). */
    public OrderTicket reserveToken(OrderTicket ticket) {
        limits.admit(accounts.of(ticket).wallet().address(), 1);
        ticket.setPaced(true);
        return ticket;
    }

    /** Every venue call but a new order's first: waits for its tokens (never refused). */
    private void awaitTurn(Exchange exchange, PolymarketAccount account, RateLimits.Kind kind, int n) {
        if (kind == RateLimits.Kind.ORDERS && Boolean.TRUE.equals(exchange.removeProperty(PACED))) {
            return;
        }
        limits.await(account.wallet().address(), kind, n);
    }

    /** What the venue's rate-limit headers say, for the signer's buckets. */
    private void observeLimits(Message in, PolymarketAccount account) {
        limits.observe(account.wallet().address(), in.getHeader("Poly-RateLimit-Tier", String.class),
                in.getHeader("Poly-RateLimit-Remaining", String.class));
    }

    /** The account a batch is sent with: every order of a venue batch is of the same one (BatchOrders groups them). */
    private PolymarketAccount batchAccount(List<OrderTicket> batch) {
        return accounts.of(batch.get(0));
    }

    /** The exact bytes to send and L2 headers over them, timestamped now (after any rate-limit wait). */
    private void authenticate(Message in, PolymarketAccount account, String method, String path, byte[] body) {
        in.setBody(body);
        account.l2Headers(clock.instant().getEpochSecond(), method, path, body).forEach(in::setHeader);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setHeader(Exchange.HTTP_METHOD, method);
    }

    public void prepare(Exchange exchange) {
        OrderTicket ticket = exchange.getProperty(Flow.TICKET, OrderTicket.class);
        PolymarketAccount account = accounts.of(ticket);
        awaitTurn(exchange, account, RateLimits.Kind.ORDERS, 1);
        authenticate(exchange.getIn(), account, "POST", ORDER_PATH, ticket.getSignedPayload().getBytes(StandardCharsets.UTF_8));
        exchange.setProperty(SENT_AT, System.nanoTime());
    }

    private void timed(Exchange exchange, String outcome) {
        Long sent = exchange.getProperty(SENT_AT, Long.class);
        if (sent != null && metrics != null) {
            metrics.roundTrip("polymarket", outcome, Duration.ofNanos(System.nanoTime() - sent));
        }
    }

    /** {@code DELETE /order {"orderID"}} for the order in the exchange's record. */
    public void prepareCancel(Exchange exchange) {
        OrderRecord r = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        PolymarketAccount account = accounts.of(r);
        awaitTurn(exchange, account, RateLimits.Kind.CANCELS, 1);
        authenticate(exchange.getIn(), account, "DELETE", ORDER_PATH, ("{\"orderID\":\"" + r.orderHash() + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    static final String ORDERS_PATH = "/orders";

    /** {@code POST /orders}: the batch's recorded signed bodies as one array, fresh L2 headers each attempt. */
    public void prepareBatch(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<OrderTicket> batch = exchange.getProperty(Flow.BATCH, List.class);
        StringBuilder json = new StringBuilder("[");
        for (OrderTicket t : batch) {
            json.append(json.length() > 1 ? "," : "").append(t.getSignedPayload());
        }
        PolymarketAccount account = batchAccount(batch);
        awaitTurn(exchange, account, RateLimits.Kind.ORDERS, batch.size());
        authenticate(exchange.getIn(), account, "POST", ORDERS_PATH, json.append(']').toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The batch answer, one element per order in the order sent; transport trouble for the whole batch is retried. */
    public List<VenueOutcome> batchAnswer(Exchange exchange) {
        Message in = exchange.getIn();
        @SuppressWarnings("unchecked")
        List<OrderTicket> batch = exchange.getProperty(Flow.BATCH, List.class);
        observeLimits(in, batchAccount(batch));
        VenueStatus.Answer answer = VenueStatus.answer(in, "Polymarket", "a batch of " + batch.size());
        int status = answer.status();
        String body = answer.body();
        JsonNode j = Json.tryRead(body);
        List<VenueOutcome> out = new ArrayList<>();
        boolean versionMoved = false;
        for (int i = 0; i < batch.size(); i++) {
            boolean accepted = status >= 200 && status < 300;
            VenueOutcome o = j != null && j.isArray() && j.size() == batch.size() ? answers.map(200, j.get(i).toString(), null)
                    // Accepted, but the answer does not say which order got what: each is UNKNOWN, resolved by hash.
                    : accepted ? new VenueOutcome(OrderState.UNKNOWN, batch.get(i).getOrderHash(), "the batch was accepted but its answer"
                            + " cannot be read per order; resolving by order hash", body)
                    // The whole batch was refused (e.g. HTTP 400): every order is, for the same reason.
                    : answers.map(status, body, null);
            versionMoved |= o.reason() != null && o.reason().contains("order_version_mismatch");
            // A refusal of a redelivered batch may be about orders its lost first attempt placed.
            out.add(VenueStatus.notFinalOnRetry(in, o, "order hash"));
        }
        if (versionMoved) {
            versions.refresh(); // a batch is not re-signed (its orders are refused), but the next orders sign right
        }
        return out;
    }

    /**
     * One bulk cancel call: {@code DELETE /cancel-all}, {@code DELETE /cancel-market-orders
     * {market, asset_id}} or {@code DELETE /orders [hashes]}, with fresh L2 headers for each attempt.
     */
    public void prepareBulkCancel(Exchange exchange) {
        CancelCall call = exchange.getProperty(Flow.CANCEL_CALL, CancelCall.class);
        String path;
        String body;
        switch (call.scope()) {
            case "all" -> {
                path = "/cancel-all";
                body = null;
            }
            case "market" -> {
                ObjectNode q = Json.MAPPER.createObjectNode();
                if (call.market() != null) {
                    q.put("market", call.market());
                }
                if (call.tokenId() != null) {
                    q.put("asset_id", call.tokenId());
                }
                path = "/cancel-market-orders";
                body = q.toString();
            }
            default -> {
                ArrayNode ids = Json.MAPPER.createArrayNode();
                call.orders().forEach(r -> ids.add(r.orderHash()));
                path = "/orders";
                body = ids.toString();
            }
        }
        PolymarketAccount account = accounts.of(call.account());
        awaitTurn(exchange, account, RateLimits.Kind.CANCELS, 1);
        authenticate(exchange.getIn(), account, "DELETE", path, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code {"canceled":[hashes],"not_canceled":{hash: reason}}}, hashes lower-cased. */
    public CancelAnswer bulkCancelAnswer(Exchange exchange) {
        CancelCall call = exchange.getProperty(Flow.CANCEL_CALL, CancelCall.class);
        OrderRecord one = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        observeLimits(exchange.getIn(), call != null ? accounts.of(call.account()) : accounts.of(one));
        VenueStatus.Answer answer = VenueStatus.answer(exchange.getIn(), "Polymarket", "a cancel");
        Set<String> canceled = new HashSet<>();
        Map<String, String> notCanceled = new HashMap<>();
        JsonNode j = Json.tryRead(answer.body());
        if (!answer.ok() || j == null) {
            return CancelAnswer.refused("HTTP " + answer.status() + " " + answer.body(), answer.body());
        }
        j.path("canceled").forEach(id -> canceled.add(id.asText().toLowerCase(Locale.ROOT)));
        j.path("not_canceled").fields().forEachRemaining(e -> notCanceled.put(e.getKey().toLowerCase(Locale.ROOT),
                e.getValue().asText()));
        return new CancelAnswer(canceled, notCanceled, answer.body(), null);
    }

    /** {@code {"canceled":[ids],"not_canceled":{id: reason}}} → CANCELED, or the current state with the reason. */
    public VenueOutcome cancelAnswer(Exchange exchange) {
        OrderRecord r = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        CancelAnswer a = bulkCancelAnswer(exchange);
        String hash = r.orderHash().toLowerCase(Locale.ROOT);
        if (a.canceled().contains(hash)) {
            return new VenueOutcome(OrderState.CANCELED, r.orderHash(), "canceled at the venue", a.raw());
        }
        String why = a.error() != null ? a.error() : a.notCanceled().getOrDefault(hash, "venue did not cancel it");
        return new VenueOutcome(r.state(), null, "not canceled: " + why, a.raw());
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
        if (why.contains("order_version_mismatch") || why.contains("invalid order version")) {
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

    public VenueOutcome answer(Exchange exchange) {
        Message in = exchange.getIn();
        observeLimits(in, accounts.of(exchange.getProperty(Flow.TICKET, OrderTicket.class)));
        try {
            VenueOutcome mapped = afterRefusal(exchange, answers.map(in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class),
                    in.getBody(String.class), in.getHeader("Retry-After", String.class)));
            VenueOutcome outcome = VenueStatus.notFinalOnRetry(in, mapped, "order hash");
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
