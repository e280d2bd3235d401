package com.oddsgate.polymarket.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.message.Flow;
import com.oddsgate.message.Json;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.VenueOutcome;
import com.oddsgate.venue.RateLimits;
import com.oddsgate.venue.VenueStatus;

/** Route glue around {@code POST /orders}: up to 15 recorded signed orders of one account in one call. */
public class PolymarketBatches {

    static final String ORDERS_PATH = "/orders";

    private final ClobCalls calls;
    private final PolymarketAnswers answers;
    private final PolymarketVersions versions;

    public PolymarketBatches(ClobCalls calls, PolymarketAnswers answers, PolymarketVersions versions) {
        this.calls = calls;
        this.answers = answers;
        this.versions = versions;
    }

    /** The account a batch is sent with: every order of a venue batch is of the same one (BatchOrders groups them). */
    private PolymarketAccount batchAccount(List<OrderTicket> batch) {
        return calls.accounts().of(batch.get(0));
    }

    /** The batch's recorded signed bodies as one array, fresh L2 headers each attempt. */
    public void prepareBatch(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<OrderTicket> batch = exchange.getProperty(Flow.BATCH, List.class);
        StringBuilder json = new StringBuilder("[");
        for (OrderTicket t : batch) {
            json.append(json.length() > 1 ? "," : "").append(t.getSignedPayload());
        }
        PolymarketAccount account = batchAccount(batch);
        calls.awaitTurn(exchange, account, RateLimits.Kind.ORDERS, batch.size());
        calls.authenticate(exchange.getIn(), account, "POST", ORDERS_PATH, json.append(']').toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The batch answer, one element per order in the order sent; transport trouble for the whole batch is retried. */
    public List<VenueOutcome> batchAnswer(Exchange exchange) {
        Message in = exchange.getIn();
        @SuppressWarnings("unchecked")
        List<OrderTicket> batch = exchange.getProperty(Flow.BATCH, List.class);
        calls.observeLimits(in, batchAccount(batch));
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
            out.add(VenueStatus.notFinalOnRetry(exchange, o, "order hash"));
        }
        if (versionMoved) {
            versions.refresh(); // a batch is not re-signed (its orders are refused), but the next orders sign right
        }
        return out;
    }
}
