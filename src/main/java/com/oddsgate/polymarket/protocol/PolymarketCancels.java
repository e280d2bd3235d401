package com.oddsgate.polymarket.protocol;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.message.Flow;
import com.oddsgate.message.Json;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.VenueOutcome;
import com.oddsgate.venue.CancelAnswer;
import com.oddsgate.venue.CancelCall;
import com.oddsgate.venue.RateLimits;
import com.oddsgate.venue.VenueStatus;

/** Route glue around the CLOB's cancels: one order, a market, a list of orders, or all. */
public class PolymarketCancels {

    private final ClobCalls calls;
    private final PolymarketRecovery recovery;

    public PolymarketCancels(ClobCalls calls, PolymarketRecovery recovery) {
        this.calls = calls;
        this.recovery = recovery;
    }

    /** {@code DELETE /order {"orderID"}} for the order in the exchange's record. */
    public void prepareCancel(Exchange exchange) {
        OrderRecord r = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        PolymarketAccount account = calls.accounts().of(r);
        calls.awaitTurn(exchange, account, RateLimits.Kind.CANCELS, 1);
        calls.authenticate(exchange.getIn(), account, "DELETE", PolymarketPlacement.ORDER_PATH,
                ("{\"orderID\":\"" + r.orderHash() + "\"}").getBytes(StandardCharsets.UTF_8));
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
                path = PolymarketBatches.ORDERS_PATH;
                body = ids.toString();
            }
        }
        PolymarketAccount account = calls.accounts().of(call.account());
        calls.awaitTurn(exchange, account, RateLimits.Kind.CANCELS, 1);
        calls.authenticate(exchange.getIn(), account, "DELETE", path, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code {"canceled":[hashes],"not_canceled":{hash: reason}}}, hashes lower-cased. */
    public CancelAnswer bulkCancelAnswer(Exchange exchange) {
        CancelCall call = exchange.getProperty(Flow.CANCEL_CALL, CancelCall.class);
        OrderRecord one = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        calls.observeLimits(exchange.getIn(), call != null ? calls.accounts().of(call.account()) : calls.accounts().of(one));
        VenueStatus.Answer answer = VenueStatus.answer(exchange.getIn(), "Polymarket", "a cancel");
        Set<String> canceled = new HashSet<>();
        Map<String, String> notCanceled = new HashMap<>();
        JsonNode j = Json.tryRead(answer.body());
        if (answer.ok() && j == null) {
            // A 2xx whose body cannot be read may have cancelled: the orders it named are looked up (review).
            List<OrderRecord> named = call != null && call.scope().equals("ids") ? call.orders() : one != null ? List.of(one) : List.of();
            Map<String, VenueOutcome> found = new HashMap<>();
            for (OrderRecord r : named) {
                if (r.orderHash() != null) {
                    found.put(r.orderHash().toLowerCase(Locale.ROOT), recovery.afterNotCanceled(r, "its HTTP " + answer.status()
                            + " answer could not be read", answer.body()));
                }
            }
            if (!found.isEmpty()) {
                return new CancelAnswer(Set.of(), Map.of(), answer.body(), null, found);
            }
        }
        if (!answer.ok() || j == null) {
            return CancelAnswer.refused("HTTP " + answer.status() + " " + answer.body(), answer.body());
        }
        j.path("canceled").forEach(id -> canceled.add(id.asText().toLowerCase(Locale.ROOT)));
        j.path("not_canceled").fields().forEachRemaining(e -> notCanceled.put(e.getKey().toLowerCase(Locale.ROOT),
                e.getValue().asText()));
        // An order of ours a list cancel did not cancel is looked up: gone from the book (a lost answer
        // to an earlier attempt of this call cancelled it) or still open, the ledger learns which. Not
        // for cancel-all and market cancels (the kill switch's sweep): the open-order sync sees to those.
        Map<String, VenueOutcome> found = new HashMap<>();
        if (call != null && call.scope().equals("ids")) {
            for (OrderRecord r : call.orders()) {
                String hash = r.orderHash() == null ? null : r.orderHash().toLowerCase(Locale.ROOT);
                if (hash != null && notCanceled.containsKey(hash) && !canceled.contains(hash)) {
                    found.put(hash, recovery.afterNotCanceled(r, notCanceled.get(hash), answer.body()));
                }
            }
        }
        return new CancelAnswer(canceled, notCanceled, answer.body(), null, found);
    }

    /**
     * {@code {"canceled":[ids],"not_canceled":{id: reason}}} → CANCELED (confirmed: this call cancelled
     * it). Not cancelled: the order is looked up ({@link PolymarketRecovery#afterNotCanceled}), since a
     * retry after a lost answer is refused for the very order its first attempt cancelled. Refused
     * outright (an error status): the current state with the reason.
     */
    public VenueOutcome cancelAnswer(Exchange exchange) {
        OrderRecord r = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        CancelAnswer a = bulkCancelAnswer(exchange);
        String hash = r.orderHash().toLowerCase(Locale.ROOT);
        if (a.canceled().contains(hash)) {
            exchange.setProperty(Flow.CANCEL_CONFIRMED, true);
            return new VenueOutcome(OrderState.CANCELED, r.orderHash(), "canceled at the venue", a.raw());
        }
        VenueOutcome outcome;
        if (a.found().containsKey(hash)) { // its answer unreadable: as the lookup found it
            outcome = a.found().get(hash);
        } else if (a.error() != null) {
            return new VenueOutcome(r.state(), null, "not canceled: " + a.error(), a.raw());
        } else {
            outcome = recovery.afterNotCanceled(r, a.notCanceled().getOrDefault(hash, "the answer does not name the order"), a.raw());
        }
        if (PolymarketRecovery.undecided(outcome)) {
            exchange.setProperty(Flow.CANCEL_UNDECIDED, true);
        }
        return outcome;
    }
}
