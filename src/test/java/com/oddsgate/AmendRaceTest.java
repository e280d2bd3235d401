package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.polymarket.protocol.PolymarketAccount;
import com.oddsgate.polymarket.protocol.PolymarketFunds;

/**
 * An amend racing a fill: the original rests when the amend looks, and is filled (here: moved to
 * FILLED in the ledger, by a step advised in right before the cancel) by the time its cancel is
 * sent. The cancel route refuses it (409) and answers that itself; the amend must still go on: no
 * replacement, its reservation given back, and an answer that says so.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class AmendRaceTest extends GatewayTestSupport {

    @DynamicPropertySource
    static void ownLedger(DynamicPropertyRegistry r) {
        ownLedgerAndFolders(r, "amend-race");
    }

    @Autowired
    PolymarketAccount account;

    @Autowired
    PolymarketFunds funds;

    @Test
    void anOriginalFilledBetweenTheAmendsCheckAndItsCancelIsNotReplaced() throws Exception {
        Answer placed = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.24", "5", "\"clientOrderId\":\"race-original\""));
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        long id = placed.json().get("id").asLong();
        AdviceWith.adviceWith(camel, "amend-order", a -> a.weaveById("cancel-original").before()
                .process(e -> jdbc.update("UPDATE orders SET state = 'FILLED' WHERE id = ?", id)));
        int posts = venue().orderPostCount();
        BigDecimal reservedBefore = funds.reserved(account);

        Answer amend = patch("/api/orders/" + id, "{\"price\":\"0.23\"}");

        assertThat(amend.status()).as(amend.body()).isEqualTo(409);
        assertThat(amend.json().get("error").asText()).contains("could not be cancelled").contains("no replacement was placed");
        JsonNode original = amend.json().get("order");
        assertThat(original.get("state").asText()).isEqualTo("FILLED");
        assertThat(funds.reserved(account)).as("the replacement's reservation is given back").isLessThanOrEqualTo(reservedBefore);
        assertThat(venue().orderPostCount()).as("no replacement sent").isEqualTo(posts);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM orders WHERE replaces_order_id = ?", Integer.class, id))
                .as("no replacement recorded").isZero();
    }

    /** A resting order of ours; {@code meanwhile} runs once an amend of it is checked, right before its cancel. */
    long restingWithBeforeItsCancel(String clientOrderId, Runnable meanwhile) throws Exception {
        return restingWithBefore(clientOrderId, "amend-order", "cancel-original", meanwhile);
    }

    /** A resting order of ours; {@code meanwhile} runs once, when an amend of it comes to {@code step} of {@code route}. */
    long restingWithBefore(String clientOrderId, String route, String step, Runnable meanwhile) throws Exception {
        Answer placed = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.22", "5", "\"clientOrderId\":\"" + clientOrderId + "\""));
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        long id = placed.json().get("id").asLong();
        java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();
        AdviceWith.adviceWith(camel, route, a -> a.weaveById(step).before().process(e -> {
            com.oddsgate.order.OrderTicket t = e.getProperty("oddsgateReplacement", com.oddsgate.order.OrderTicket.class);
            if (t != null && t.getReplacesOrderId() == id && ran.compareAndSet(false, true)) {
                meanwhile.run();
            }
        }));
        return id;
    }

    @Test
    void aSecondAmendOfAnOrderWhileTheFirstIsUnderWayIsRefused() throws Exception {
        java.util.concurrent.atomic.AtomicReference<Answer> second = new java.util.concurrent.atomic.AtomicReference<>();
        long[] order = new long[1];
        // While the first amend is between its check and its cancel, a second one arrives (another request thread).
        order[0] = restingWithBeforeItsCancel("race-twice",
                () -> second.set(patch("/api/orders/" + order[0], "{\"price\":\"0.20\",\"clientOrderId\":\"race-twice-b\"}")));
        long id = order[0];
        int posts = venue().orderPostCount();

        Answer first = patch("/api/orders/" + id, "{\"price\":\"0.21\",\"clientOrderId\":\"race-twice-a\"}");

        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(second.get().status()).as(second.get().body()).isEqualTo(409);
        assertThat(second.get().json().get("error").asText()).contains("another amend under way");
        assertThat(jdbc.queryForList("SELECT client_order_id FROM orders WHERE replaces_order_id = ?", String.class, id))
                .as("one replacement").containsExactly("race-twice-a");
        assertThat(venue().orderPostCount()).isEqualTo(posts + 1);
        // Once the first is answered, the order (now the replacement) can be amended again.
        long replacement = first.json().get("order").get("id").asLong();
        assertThat(patch("/api/orders/" + replacement, "{\"price\":\"0.20\"}").status()).isEqualTo(201);
    }

    @Test
    void anAmendWhoseOrderAnotherInstanceReplacedMeanwhilePlacesNothing() throws Exception {
        long[] order = new long[1];
        // Another gateway instance's amend of the same order recorded its replacement first (this one's guard cannot see it).
        order[0] = restingWithBeforeItsCancel("race-elsewhere", () -> jdbc.update("INSERT INTO orders (client_order_id, source, venue,"
                + " state, replaces_order_id, created_at, updated_at) VALUES ('race-elsewhere-b', 'api-amend', 'polymarket', 'RECEIVED', ?,"
                + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", order[0]));
        long id = order[0];
        int posts = venue().orderPostCount();

        Answer amend = patch("/api/orders/" + id, "{\"price\":\"0.21\",\"clientOrderId\":\"race-elsewhere-a\"}");

        assertThat(amend.status()).as(amend.body()).isEqualTo(409);
        assertThat(amend.json().get("error").asText()).contains("another amend at the same time", "placed nothing");
        assertThat(amend.json().get("order").get("clientOrderId").asText()).isEqualTo("race-elsewhere-b");
        assertThat(venue().orderPostCount()).as("no second replacement sent").isEqualTo(posts);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM orders WHERE client_order_id = 'race-elsewhere-a'", Integer.class)).isZero();
    }

    /**
     * A DELETE of the order cancels it first: before the amend's cancel reads it (amend-order's step
     * cancel-original), or after, while the amend's own cancel is on its way to the venue (cancel-order's
     * to-polymarket-cancel). Either way the order is not the amend's to replace.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"amend-order, cancel-original", "cancel-order, to-polymarket-cancel"})
    void anOriginalADeleteCancelsWhileTheAmendIsUnderWayIsNotReplaced(String route, String step) throws Exception {
        long[] order = new long[1];
        order[0] = restingWithBefore("race-deleted-" + step, route, step,
                () -> assertThat(delete("/api/orders/" + order[0]).status()).isEqualTo(200));
        long id = order[0];
        int posts = venue().orderPostCount();

        Answer amend = patch("/api/orders/" + id, "{\"price\":\"0.21\"}");

        assertThat(amend.status()).as(amend.body()).isEqualTo(409);
        assertThat(amend.json().get("error").asText()).contains("cancelled by another request", "no replacement was placed");
        assertThat(venue().orderPostCount()).as("no replacement sent").isEqualTo(posts);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM orders WHERE replaces_order_id = ?", Integer.class, id)).isZero();
    }

    @Test
    void aRefusedAmendOfTheSameOrderDoesNotEndTheClaimOfTheOneUnderWay() throws Exception {
        java.util.List<Answer> meanwhile = new java.util.ArrayList<>();
        long[] order = new long[1];
        order[0] = restingWithBeforeItsCancel("race-claim", () -> {
            meanwhile.add(patch("/api/orders/" + order[0], "{\"price\":\"0.22\"}")); // the order's own price: refused
            meanwhile.add(patch("/api/orders/" + order[0], "{\"price\":\"0.20\"}"));
        });

        Answer first = patch("/api/orders/" + order[0], "{\"price\":\"0.21\"}");

        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(meanwhile.get(0).status()).as(meanwhile.get(0).body()).isEqualTo(400);
        assertThat(meanwhile.get(1).status()).as("still under way: " + meanwhile.get(1).body()).isEqualTo(409);
        assertThat(meanwhile.get(1).json().get("error").asText()).contains("another amend under way");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM orders WHERE replaces_order_id = ?", Integer.class, order[0])).isEqualTo(1);
    }
}
