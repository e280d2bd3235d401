package com.oddsgate.polymarket.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.message.Flow;
import com.oddsgate.message.Json;
import com.oddsgate.message.VenueAttempts;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.VenueOutcome;
import com.oddsgate.venue.RateLimits;
import com.oddsgate.venue.VenueStatus;

/** Route glue around {@code POST /orders}: up to 15 recorded signed orders of one account in one call. */
public class PolymarketBatches {

    static final String ORDERS_PATH = "/orders";

    /** Exchange property: the orders of a batch signed again for the venue's order version, to be sent as a batch of their own. */
    public static final String RESIGNED = "oddsgateResignedBatch";

    private final ClobCalls calls;
    private final PolymarketAnswers answers;
    private final PolymarketVersions versions;
    private final PolymarketResign resign;
    private final OrderLedger ledger;

    public PolymarketBatches(ClobCalls calls, PolymarketAnswers answers, PolymarketVersions versions, PolymarketResign resign,
            OrderLedger ledger) {
        this.calls = calls;
        this.answers = answers;
        this.versions = versions;
        this.resign = resign;
        this.ledger = ledger;
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

    /**
     * The batch answer, one outcome per order sent. Each item that names an order ({@code orderID},
     * the order hash) is that order's; an item that names none (a refusal) is placed by position only
     * where the answer provably keeps the batch's order (every named item at its own order's place),
     * or where one such item and one order are left. An order no item can be tied to is UNKNOWN,
     * resolved by hash — another order's answer is never recorded as its own. Transport trouble for
     * the whole batch is retried.
     */
    public List<VenueOutcome> batchAnswer(Exchange exchange) {
        Message in = exchange.getIn();
        @SuppressWarnings("unchecked")
        List<OrderTicket> batch = exchange.getProperty(Flow.BATCH, List.class);
        calls.observeLimits(in, batchAccount(batch));
        VenueStatus.Answer answer = VenueStatus.answer(in, "Polymarket", "a batch of " + batch.size());
        List<VenueOutcome> out = new ArrayList<>();
        boolean versionMoved = false;
        for (VenueOutcome o : outcomes(answers, answer.status(), answer.body(), batch)) {
            versionMoved |= PolymarketResign.versionRefused(o);
            // A refusal of a redelivered batch may be about orders its lost first attempt placed.
            out.add(VenueStatus.notFinalOnRetry(exchange, o, "order hash"));
        }
        if (versionMoved) {
            versions.refresh(); // for resignRefused, and for the orders signed next
        }
        return out;
    }

    /**
     * After a batch's answer: each order it refused as signed for another order version (a refusal,
     * so a first attempt: a redelivery's is UNKNOWN already) is signed once more for the version the
     * venue expects — its refused signature never reached the book, as for a single order
     * ({@link PolymarketResign}) — and its new hash recorded before anything is sent. Its outcome in
     * the body becomes null (recorded after its own send); the re-signed tickets go to {@link #RESIGNED},
     * to be sent once, as a batch of their own. Never again after that send.
     */
    public void resignRefused(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<OrderTicket> batch = exchange.getProperty(Flow.BATCH, List.class);
        @SuppressWarnings("unchecked")
        List<VenueOutcome> outcomes = new ArrayList<>(exchange.getIn().getBody(List.class));
        List<OrderTicket> resigned = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (!PolymarketResign.versionRefused(outcomes.get(i))) {
                continue;
            }
            OrderTicket t = batch.get(i);
            String oldHash = t.getOrderHash();
            String oldBody = t.getSignedPayload();
            String superseded = resign.resign(t, versions.current());
            if (superseded == null) {
                continue; // the venue expects the version it was signed for: the refusal stands
            }
            try {
                ledger.recordResigned(t, superseded);
            } catch (RuntimeException notRecorded) {
                t.setSigned(oldHash, oldBody); // never sent unrecorded: the refusal stands
                continue;
            }
            outcomes.set(i, null);
            resigned.add(t);
        }
        exchange.getIn().setBody(outcomes);
        exchange.setProperty(RESIGNED, resigned);
        if (!resigned.isEmpty()) {
            VenueAttempts.newBytes(exchange); // the re-sent batch is these bytes' first attempt
        }
    }

    /**
     * Each order's outcome from the batch answer's status and body. A list answers per order whatever
     * its HTTP status: an order it names nowhere (or not so that it can be told whose) may have been
     * placed, so it is UNKNOWN, resolved by hash — never the refusal of a neighbour. Only an answer that
     * is not a list (an error object: the whole batch refused) is every order's.
     */
    static List<VenueOutcome> outcomes(PolymarketAnswers answers, int status, String body, List<OrderTicket> batch) {
        JsonNode j = Json.tryRead(body);
        boolean accepted = status >= 200 && status < 300;
        // (A 425/429/5xx is retried whole, same bytes, whatever its body: answers.map throws for it.)
        boolean perOrder = j != null && j.isArray() && !VenueStatus.retryable(status);
        JsonNode[] items = perOrder ? itemsByOrder(j, batch) : null;
        List<VenueOutcome> out = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            out.add(items != null && items[i] != null
                    ? PolymarketAnswers.withRestingRest(answers.map(200, items[i].toString(), null), batch.get(i).getOrder())
                    // Accepted, or answered per order, but nothing here says which order got what: UNKNOWN, resolved by hash.
                    : accepted || perOrder ? new VenueOutcome(OrderState.UNKNOWN, batch.get(i).getOrderHash(), "the batch was"
                            + (accepted ? " accepted" : " answered HTTP " + status + " per order") + " but its answer cannot be tied"
                            + " to this order; resolving by order hash", body)
                    // The whole batch was refused (e.g. HTTP 400): every order is, for the same reason.
                    : answers.map(status, body, null));
        }
        return out;
    }

    /** The answer's item for each order of the batch, or null where none can be tied to it. */
    static JsonNode[] itemsByOrder(JsonNode array, List<OrderTicket> batch) {
        JsonNode[] items = new JsonNode[batch.size()];
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            String hash = batch.get(i).getOrderHash();
            if (hash == null || index.put(hash.toLowerCase(Locale.ROOT), i) != null) {
                return items; // an order without its hash, or one order twice: no item can be told to be whose
            }
        }
        boolean sameSize = array.size() == batch.size();
        boolean inOrder = sameSize;
        boolean clean = sameSize; // every named item names a distinct order of this batch
        List<JsonNode> unnamed = new ArrayList<>();
        for (int k = 0; k < array.size(); k++) {
            JsonNode item = array.get(k);
            String id = item.path("orderID").asText("");
            if (id.isEmpty()) {
                unnamed.add(item);
                continue;
            }
            Integer i = index.get(id.toLowerCase(Locale.ROOT));
            if (i != null && items[i] == null) {
                items[i] = item;
            } else {
                clean = false; // naming no order of ours, or one already answered: the rest cannot be placed
            }
            inOrder &= i != null && i == k; // a named item elsewhere: positions say nothing
        }
        List<Integer> left = new ArrayList<>();
        for (int i = 0; i < items.length; i++) {
            if (items[i] == null) {
                left.add(i);
            }
        }
        if (inOrder && clean) {
            left.forEach(i -> items[i] = array.get(i));
        } else if (clean && left.size() == 1 && unnamed.size() == 1) {
            items[left.get(0)] = unnamed.get(0);
        }
        return items;
    }
}
