package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.polymarket.protocol.PolymarketAccount;
import com.oddsgate.sim.PolymarketSim;
import com.oddsgate.polymarket.protocol.PolymarketFunds;
import com.oddsgate.sim.VenueFaults;

/**
 * The order lifecycle around placement (issue 5): cancel one / by market / all, amend, batches,
 * the venue's version switch, its rate limits, money checks, open-order sync, market data. Every
 * test leaves the shared simulator as it found it.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class LifecycleTest extends GatewayTestSupport {

    @Autowired
    PolymarketAccount account;

    @Autowired
    PolymarketFunds funds;

    private JsonNode resting(String market, String price, String size, String clientOrderId) {
        Answer a = post("/api/orders", order(market, "YES", "BUY", price, size, "\"clientOrderId\":\"" + clientOrderId + "\""));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        assertThat(a.json().get("state").asText()).isEqualTo("LIVE");
        return a.json();
    }

    /** A Kalshi BUY YES resting at the venue: the order as answered. */
    private JsonNode restingKalshi(String price, String size, String clientOrderId) {
        Answer a = post("/api/orders", KalshiFlowTest.kalshiOrder("YES", "BUY", price, size, "\"clientOrderId\":\"" + clientOrderId + "\""));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        assertThat(a.json().get("state").asText()).isEqualTo("LIVE");
        return a.json();
    }

    private String venueStatus(JsonNode order) {
        return venue().orders().get(order.get("orderHash").asText()).status();
    }

    private JsonNode view(JsonNode order) {
        return get("/api/orders/" + order.get("id").asLong()).json();
    }

    /** The call, with the venue's next {@code count} requests of {@code target} given {@code kind}; quiet again after. */
    private static Answer underFault(VenueFaults.Kind kind, int count, VenueFaults.Target target,
            java.util.function.Supplier<Answer> call) {
        SIM.faults().lostAnswerAfter(java.time.Duration.ofMillis(3500)).next(kind, count, target);
        try {
            return call.get();
        } finally {
            SIM.faults().quiet();
        }
    }

    @Test
    void anAmendWhoseCancelCannotBeDeliveredPlacesNothingAndGivesItsReservationBack() {
        JsonNode o = resting("sim-btc-100k", "0.24", "5", "lc-amend-unreachable");
        int posts = venue().orderPostCount();
        BigDecimal reservedBefore = funds.reserved(account);
        // Every attempt of the original's cancel (and its redeliveries) is answered 503.
        Answer amend = underFault(VenueFaults.Kind.UNAVAILABLE, 10, VenueFaults.Target.ORDER_WRITES,
                () -> patch("/api/orders/" + o.get("id").asLong(), "{\"price\":\"0.23\"}"));
        assertThat(amend.status()).as(amend.body()).isEqualTo(502);
        assertThat(amend.json().get("error").asText()).contains("no replacement was placed");
        assertThat(amend.json().get("order").get("state").asText()).isEqualTo("LIVE");
        assertThat(funds.reserved(account)).as("the replacement's reservation is given back").isLessThanOrEqualTo(reservedBefore);
        assertThat(venue().orderPostCount()).as("no replacement sent").isEqualTo(posts);
        assertThat(venueStatus(o)).isEqualTo("LIVE");
        assertThat(view(o).get("events").findValuesAsText("detail")).anyMatch(d -> d.startsWith("cancel not delivered"));
        delete("/api/orders/" + o.get("id").asLong());
    }

    @Test
    void cancelOneByMarketAndAllEachEndCanceledWithTheVenuesAnswer() {
        JsonNode one = resting("sim-btc-100k", "0.21", "5", "lc-cancel-one");
        JsonNode m1 = resting("sim-btc-100k", "0.22", "5", "lc-cancel-m1");
        JsonNode m2 = resting("sim-btc-100k", "0.23", "5", "lc-cancel-m2");
        JsonNode a1 = resting("sim-election-a", "0.11", "5", "lc-cancel-a1");
        Answer k = post("/api/orders", KalshiFlowTest.kalshiOrder("YES", "BUY", "0.10", "3", "\"clientOrderId\":\"lc-cancel-k\""));
        assertThat(k.json().get("state").asText()).isEqualTo("LIVE");

        Answer c = delete("/api/orders/" + one.get("id").asLong(), "desk-7");
        assertThat(c.status()).as(c.body()).isEqualTo(200);
        assertThat(c.json().get("state").asText()).isEqualTo("CANCELED");
        assertThat(venueStatus(one)).isEqualTo("CANCELED");
        assertThat(view(one).get("events").findValuesAsText("source")).contains("api-cancel:desk-7");

        Answer byMarket = delete("/api/orders?venue=polymarket&market=sim-btc-100k", "desk-7");
        assertThat(byMarket.status()).as(byMarket.body()).isEqualTo(200);
        for (JsonNode o : List.of(m1, m2)) {
            assertThat(venueStatus(o)).as("the simulator's book no longer holds it").isEqualTo("CANCELED");
            JsonNode v = view(o);
            assertThat(v.get("state").asText()).isEqualTo("CANCELED");
            assertThat(v.get("events").findValuesAsText("detail")).anyMatch(d -> d.contains("market cancel requested by desk-7"));
            assertThat(v.get("events").findValuesAsText("venueAnswer")).as("the venue's answer is kept")
                    .anyMatch(a -> a.contains("\"canceled\"") && a.contains(o.get("orderHash").asText()));
        }
        assertThat(venueStatus(a1)).as("another market is untouched").isEqualTo("LIVE");

        Answer unsaid = delete("/api/orders");
        assertThat(unsaid.status()).as("cancelling everything needs all=true").isEqualTo(400);
        assertThat(unsaid.body()).contains("all=true");
        assertThat(venueStatus(a1)).isEqualTo("LIVE");

        Answer all = delete("/api/orders?all=true");
        assertThat(all.status()).as(all.body()).isEqualTo(200);
        assertThat(venueStatus(a1)).isEqualTo("CANCELED");
        assertThat(view(a1).get("state").asText()).isEqualTo("CANCELED");
        assertThat(KalshiFlowTest.venueOrder("lc-cancel-k").status()).isEqualTo("canceled");
        assertThat(get("/api/orders/" + k.json().get("id").asLong()).json().get("state").asText()).isEqualTo("CANCELED");
    }

    @Test
    void cancellingAnOrderTheVenueFilledAnswersItsNotCanceledReasonAndTheLedgerLearnsTheFill() {
        JsonNode o = resting("sim-btc-100k", "0.24", "5", "lc-cancel-filled");
        venue().fillResting(List.of(o.get("orderHash").asText()), new BigDecimal("5"), 1); // the gateway has not seen the fill yet
        Answer c = delete("/api/orders/" + o.get("id").asLong());
        assertThat(c.status()).as(c.body()).isEqualTo(409);
        // The venue would not cancel it: looked up, it is gone from the book and its trade is recorded.
        assertThat(c.json().get("state").asText()).isEqualTo("FILLED");
        assertThat(c.json().get("filledSize").asText()).isEqualTo("5");
        assertThat(view(o).get("events").findValuesAsText("detail"))
                .anyMatch(d -> d.contains("not canceled: " + com.oddsgate.sim.PolymarketSim.GONE + "; no longer open at the venue"));
    }

    /**
     * The venue's "order can't be found - already canceled or matched" does not tell a match whose trades
     * trail from a cancel: 202, the order as it was, never CANCELED on that (review: the trader was told
     * "cancelled" of an order that had filled). Its trades, once listed, tell: FILLED.
     */
    @Test
    void aCancelOfAnOrderThatMatchedWhileItsTradesLagIsNotRecordedCanceled() {
        JsonNode o = resting("sim-btc-100k", "0.24", "5", "lc-cancel-lag");
        venue().tradesLag(true); // matched at the venue, not on /data/trades yet
        try {
            venue().fillResting(List.of(o.get("orderHash").asText()), new BigDecimal("5"), 1);
            Answer c = delete("/api/orders/" + o.get("id").asLong());
            assertThat(c.status()).as(c.body()).isEqualTo(202);
            assertThat(c.json().get("state").asText()).as("gone from the book, cancelled or matched: not CANCELED").isEqualTo("LIVE");
            assertThat(c.json().get("reason").asText()).startsWith(com.oddsgate.polymarket.protocol.PolymarketRecovery.UNDECIDED);
        } finally {
            venue().tradesLag(false);
        }
        post("/api/orders/sync", ""); // its trades listed now: read, and the sync has nothing to conclude
        assertThat(view(o).get("state").asText()).isEqualTo("FILLED");
    }

    /** An order object that says MATCHED (a lookup answering ended orders, which the docs do not promise) is matched, never cancelled by two looks. */
    @Test
    void aSyncTakesTheOrderObjectsOwnMatchedAndNeverConcludesACancelOverIt() {
        JsonNode o = resting("sim-btc-100k", "0.24", "5", "lc-sync-says-matched");
        venue().tradesLag(true);
        venue().endedOrdersAnswered(true);
        try {
            venue().fillResting(List.of(o.get("orderHash").asText()), new BigDecimal("5"), 1);
            post("/api/orders/sync", "");
            post("/api/orders/sync", ""); // two looks (min-age 0 s here): without the order's word, "cancelled outside"
            assertThat(view(o).get("state").asText()).as(view(o).toString()).isEqualTo("MATCHED");
        } finally {
            venue().endedOrdersAnswered(false);
            venue().tradesLag(false);
        }
        post("/api/fills/sync", ""); // its trades listed now: the fills move it on
        assertThat(view(o).get("state").asText()).isEqualTo("FILLED");
    }

    @Test
    void aCancelWhoseAnswerIsLostEndsCanceledWhenItsRetryFindsTheOrderGone() {
        JsonNode o = resting("sim-btc-100k", "0.24", "5", "lc-cancel-lost");
        // The venue cancels it, the answer never arrives; the retry is told "can't be found - already canceled or matched".
        Answer c = underFault(VenueFaults.Kind.LOST_ANSWER, 1, VenueFaults.Target.ORDER_WRITES,
                () -> delete("/api/orders/" + o.get("id").asLong()));
        assertThat(venueStatus(o)).isEqualTo("CANCELED");
        // Cancelled, or matched with its trades not listed yet: the venue's words cannot say, so neither does the answer.
        assertThat(c.status()).as(c.body()).isEqualTo(202);
        assertThat(c.json().get("state").asText()).isEqualTo("LIVE");
        // The trader's cancel is kept (review): should the order turn up resting, the sync cancels it, never takes it for meant to rest.
        assertThat(jdbc.queryForObject("SELECT cancel_asked_at FROM orders WHERE id = ?", java.sql.Timestamp.class,
                o.get("id").asLong())).isNotNull();
        assertThat(view(o).get("events").findValuesAsText("detail")).anyMatch(d -> d.startsWith("cancel kept as asked"));
        // The cancel's look counts as the sync's first: the next sync, min-age on (0 s here), still finds it off the book, untraded.
        post("/api/orders/sync", "");
        assertThat(view(o).get("state").asText()).isEqualTo("CANCELED");
        assertThat(view(o).get("reason").asText()).contains("no longer open at the venue at two looks", "nor traded");
    }

    /** A cancel answered 2xx with a body that is not its answer may have cancelled: looked up, not taken as refused (review). */
    @Test
    void aCancelAnsweredUnreadablyIsLookedUp() {
        JsonNode o = resting("sim-btc-100k", "0.24", "5", "lc-cancel-unreadable");
        Answer c = underFault(VenueFaults.Kind.UNREADABLE_SUCCESS, 1, VenueFaults.Target.ORDER_WRITES,
                () -> delete("/api/orders/" + o.get("id").asLong()));
        assertThat(venueStatus(o)).isEqualTo("CANCELED");
        assertThat(c.status()).as(c.body()).isEqualTo(202);
        assertThat(c.json().get("reason").asText()).contains("could not be read", "no trade listed");
        post("/api/orders/sync", "");
        assertThat(view(o).get("state").asText()).isEqualTo("CANCELED");
    }

    @Test
    void aListCancelWhoseAnswerIsLostFindsItsOrdersGoneOnTheRetry() {
        JsonNode a = resting("sim-btc-100k", "0.21", "5", "lc-list-lost-a");
        JsonNode b = resting("sim-btc-100k", "0.22", "5", "lc-list-lost-b");
        Answer c = underFault(VenueFaults.Kind.LOST_ANSWER, 1, VenueFaults.Target.ORDER_WRITES,
                () -> delete("/api/orders?ids=" + a.get("id").asLong() + "," + b.get("id").asLong()));
        assertThat(c.json().get("canceled").asInt()).as("cancelled or matched, the venue's words cannot say: " + c.body()).isZero();
        assertThat(c.json().get("orders").findValuesAsText("result")).containsOnly("undecided");
        assertThat(view(a).get("state").asText()).isEqualTo("LIVE");
        post("/api/orders/sync", "");
        post("/api/orders/sync", ""); // off the book, untraded, at two syncs
        assertThat(view(a).get("state").asText()).isEqualTo("CANCELED");
        assertThat(view(b).get("state").asText()).isEqualTo("CANCELED");
    }

    @Test
    void anAmendWhoseCancelAnswerIsLostDoesNotReplaceAnOriginalItCannotTellItCancelled() {
        JsonNode o = resting("sim-btc-100k", "0.24", "5", "lc-amend-lost");
        int posts = venue().orderPostCount();
        BigDecimal reservedBefore = funds.reserved(account);
        Answer amend = underFault(VenueFaults.Kind.LOST_ANSWER, 1, VenueFaults.Target.ORDER_WRITES,
                () -> patch("/api/orders/" + o.get("id").asLong(), "{\"price\":\"0.23\"}"));
        // No answer of the venue said this amend cancelled it (its retry was told "can't be found - already
        // canceled or matched"): cancelled or matched, nothing is placed in its stead.
        assertThat(amend.status()).as(amend.body()).isEqualTo(409);
        assertThat(amend.json().get("error").asText()).contains(com.oddsgate.polymarket.protocol.PolymarketRecovery.UNDECIDED)
                .contains("no replacement was placed");
        assertThat(venueStatus(o)).isEqualTo("CANCELED");
        assertThat(venue().orderPostCount()).as("no replacement sent").isEqualTo(posts);
        assertThat(funds.reserved(account)).isLessThanOrEqualTo(reservedBefore);
        assertThat(jdbc.queryForObject("SELECT cancel_asked_at FROM orders WHERE id = ?", java.sql.Timestamp.class,
                o.get("id").asLong())).as("an amend's cancel is not kept: the original stays the trader's working order").isNull();
        // The ledger ends in the venue's truth: off the book, untraded, at two syncs.
        post("/api/orders/sync", "");
        post("/api/orders/sync", "");
        assertThat(view(o).get("state").asText()).isEqualTo("CANCELED");
    }

    @Test
    void aPriceOnlyAmendPlacesWhatWasLeftWhenItsCancelTookTheOrderOffTheBook() {
        // Polymarket: 4 of 10 traded at the venue, the gateway not told yet; the cancel's answer says
        // nothing of it, so the original's trades are read before the replacement goes out.
        JsonNode p = resting("sim-btc-100k", "0.24", "10", "lc-amend-left");
        venue().fillResting(List.of(p.get("orderHash").asText()), new BigDecimal("4"), 1);
        assertThat(view(p).get("filledSize").asText()).isEqualTo("0");
        Answer amended = patch("/api/orders/" + p.get("id").asLong(), "{\"price\":\"0.23\"}");
        assertThat(amended.status()).as(amended.body()).isEqualTo(201);
        assertThat(amended.json().get("order").get("size").asText()).as("10 less the 4 that traded unseen").isEqualTo("6");
        assertThat(venue().orders().get(amended.json().get("order").get("orderHash").asText()).originalSize())
                .isEqualByComparingTo("6");
        assertThat(amended.json().get("replaced").get("filledSize").asText()).isEqualTo("4");
        delete("/api/orders/" + amended.json().get("order").get("id").asLong());

        // Kalshi: its cancel answer says what it took off the book (reduced_by).
        Answer k = post("/api/orders", KalshiFlowTest.kalshiOrder("YES", "BUY", "0.20", "8", "\"clientOrderId\":\"lc-k-left\""));
        assertThat(k.json().get("state").asText()).isEqualTo("LIVE");
        kalshi().fillResting("lc-k-left", new BigDecimal("3"));
        Answer ka = patch("/api/orders/" + k.json().get("id").asLong(), "{\"price\":\"0.21\"}");
        assertThat(ka.status()).as(ka.body()).isEqualTo(201);
        assertThat(ka.json().get("order").get("size").asText()).isEqualTo("5");
        assertThat(KalshiFlowTest.venueOrder("lc-k-left-a1").count()).isEqualByComparingTo("5");
        assertThat(get("/api/orders/" + k.json().get("id").asLong()).json().get("events").findValuesAsText("detail"))
                .anyMatch(d -> d.contains("what was left when the cancel took the order off the book: 5 (the amend began with 8)"));
        delete("/api/orders/" + ka.json().get("order").get("id").asLong());

        // Matched at the venue, its trades not listed yet: what the venue holds as matched, read right
        // before the cancel, still keeps the traded size out of the replacement.
        JsonNode lag = resting("sim-btc-100k", "0.24", "10", "lc-amend-lag");
        venue().tradesLag(true);
        Answer lagged;
        try {
            venue().fillResting(List.of(lag.get("orderHash").asText()), new BigDecimal("3"), 1);
            lagged = patch("/api/orders/" + lag.get("id").asLong(), "{\"price\":\"0.23\"}");
        } finally {
            venue().tradesLag(false);
        }
        assertThat(lagged.status()).as(lagged.body()).isEqualTo(201);
        assertThat(lagged.json().get("order").get("size").asText()).as("10 less the 3 matched, whose trade is not listed yet")
                .isEqualTo("7");
        delete("/api/orders/" + lagged.json().get("order").get("id").asLong());

        // What is left below the market's minimum size (5): nothing placed, rather than a replacement the venue refuses.
        JsonNode small = resting("sim-btc-100k", "0.24", "10", "lc-amend-small");
        venue().fillResting(List.of(small.get("orderHash").asText()), new BigDecimal("7"), 1);
        int before = venue().orderPostCount();
        Answer tooSmall = patch("/api/orders/" + small.get("id").asLong(), "{\"price\":\"0.23\"}");
        assertThat(tooSmall.status()).as(tooSmall.body()).isEqualTo(409);
        assertThat(tooSmall.json().get("error").asText()).contains("3, is below the market's minimum size of 5");
        assertThat(venue().orderPostCount()).isEqualTo(before);

        // Polymarket, the trades not readable after the cancel: what is left is not known, nothing placed.
        JsonNode u = resting("sim-btc-100k", "0.24", "10", "lc-amend-unread");
        int posts = venue().orderPostCount();
        Answer withheld = underFault(VenueFaults.Kind.UNAVAILABLE, 20, VenueFaults.Target.FILL_READS,
                () -> patch("/api/orders/" + u.get("id").asLong(), "{\"price\":\"0.23\"}"));
        assertThat(withheld.status()).as(withheld.body()).isEqualTo(409);
        assertThat(withheld.json().get("error").asText()).contains("could not be read").contains("no replacement was placed");
        assertThat(venueStatus(u)).isEqualTo("CANCELED");
        assertThat(venue().orderPostCount()).isEqualTo(posts);
    }

    @Test
    void aPriceOnlyAmendWhoseMatchedSizeCannotBeReadCancelsNothing() {
        // Polymarket: 3 of 10 matched, their trade not listed yet, and what the venue holds as matched
        // cannot be read. Sized by the trades alone the replacement would place the 3 again: the amend
        // stops before the cancel.
        JsonNode o = resting("sim-btc-100k", "0.24", "10", "lc-amend-matched-unread");
        venue().tradesLag(true);
        int posts = venue().orderPostCount();
        BigDecimal reservedBefore = funds.reserved(account);
        Answer amend;
        try {
            venue().fillResting(List.of(o.get("orderHash").asText()), new BigDecimal("3"), 1);
            amend = underFault(VenueFaults.Kind.UNAVAILABLE, 20, VenueFaults.Target.ORDER_READS,
                    () -> patch("/api/orders/" + o.get("id").asLong(), "{\"price\":\"0.23\"}"));
        } finally {
            venue().tradesLag(false);
        }
        assertThat(amend.status()).as(amend.body()).isEqualTo(502);
        assertThat(amend.json().get("error").asText()).contains("could not be read", "the original was not cancelled");
        assertThat(amend.json().get("order").get("state").asText()).isEqualTo("LIVE");
        assertThat(venueStatus(o)).as("not cancelled at the venue").isEqualTo("LIVE");
        assertThat(venue().orderPostCount()).as("no replacement sent").isEqualTo(posts);
        assertThat(funds.reserved(account)).as("the replacement's reservation is given back").isLessThanOrEqualTo(reservedBefore);
        assertThat(view(o).get("events").findValuesAsText("detail")).anyMatch(d -> d.startsWith("amend stopped before the cancel"));
        // Readable again: the amend goes through and leaves the 3 out.
        Answer again = patch("/api/orders/" + o.get("id").asLong(), "{\"price\":\"0.23\"}");
        assertThat(again.status()).as(again.body()).isEqualTo(201);
        assertThat(again.json().get("order").get("size").asText()).isEqualTo("7");
        delete("/api/orders/" + again.json().get("order").get("id").asLong());
    }

    @Test
    void aKalshiAmendWhoseCancelAnswerDoesNotSayWhatItTookOffPlacesNothing() {
        Answer k = post("/api/orders", KalshiFlowTest.kalshiOrder("YES", "BUY", "0.20", "8", "\"clientOrderId\":\"lc-k-unread\""));
        assertThat(k.json().get("state").asText()).isEqualTo("LIVE");
        kalshi().fillResting("lc-k-unread", new BigDecimal("3"));
        int posts = kalshi().orderPostCount();
        // The cancel is done at the venue and answered 200, but with a body that is not its answer.
        Answer amend = underFault(VenueFaults.Kind.UNREADABLE_SUCCESS, 1, VenueFaults.Target.ORDER_WRITES,
                () -> patch("/api/orders/" + k.json().get("id").asLong(), "{\"price\":\"0.21\"}"));
        // Not taken for the cancel's answer: the order is read back (cancelled, the ledger says so), but
        // nothing said this amend's cancel took it, nor how much was left, so nothing is placed.
        assertThat(amend.status()).as(amend.body()).isEqualTo(409);
        assertThat(amend.json().get("error").asText()).contains("not by the venue's answer to this amend's cancel",
                "no replacement was placed");
        assertThat(amend.json().get("order").get("state").asText()).isEqualTo("CANCELED");
        assertThat(amend.json().get("order").get("reason").asText()).contains("not the cancel's answer");
        assertThat(KalshiFlowTest.venueOrder("lc-k-unread").status()).isEqualTo("canceled");
        assertThat(kalshi().orderPostCount()).as("no replacement sent").isEqualTo(posts);
    }

    @Test
    void aPriceOnlyAmendOfAPartlyFilledOrderPlacesWhatIsLeftAndATakenClientOrderIdCancelsNothing() {
        JsonNode o = resting("sim-btc-100k", "0.24", "10", "lc-amend-partly");
        venue().fillResting(List.of(o.get("orderHash").asText()), new BigDecimal("4"), 1);
        post("/api/fills/sync", "");
        assertThat(view(o).get("filledSize").asText()).isEqualTo("4");

        // A clientOrderId that is already an order's: refused before anything is cancelled.
        Answer taken = patch("/api/orders/" + o.get("id").asLong(), "{\"price\":\"0.23\",\"clientOrderId\":\"lc-amend-partly\"}");
        assertThat(taken.status()).as(taken.body()).isEqualTo(400);
        assertThat(taken.json().get("violations").findValuesAsText("field")).contains("clientOrderId");
        assertThat(venueStatus(o)).isEqualTo("LIVE");

        Answer amended = patch("/api/orders/" + o.get("id").asLong(), "{\"price\":\"0.23\"}");
        assertThat(amended.status()).as(amended.body()).isEqualTo(201);
        assertThat(amended.json().get("order").get("size").asText()).as("10 less the 4 that traded").isEqualTo("6");
        assertThat(venue().orders().get(amended.json().get("order").get("orderHash").asText()).originalSize())
                .isEqualByComparingTo("6");
        delete("/api/orders/" + amended.json().get("order").get("id").asLong());
    }

    @Test
    void anInvalidAmendLeavesTheOriginalLiveAndAValidOneReplacesItLinked() {
        JsonNode o = resting("sim-btc-100k", "0.25", "10", "lc-amend");
        int posts = venue().orderPostCount();

        Answer bad = patch("/api/orders/" + o.get("id").asLong(), "{\"price\":\"0.255\"}");
        assertThat(bad.status()).as(bad.body()).isEqualTo(400);
        assertThat(bad.json().get("violations").findValuesAsText("field")).contains("price");
        assertThat(view(o).get("state").asText()).isEqualTo("LIVE");
        assertThat(venueStatus(o)).isEqualTo("LIVE");
        assertThat(venue().orderPostCount()).as("nothing sent").isEqualTo(posts);
        assertThat(view(o).get("events").findValuesAsText("detail")).anyMatch(d -> d.startsWith("amend refused"));

        Answer tooSmall = patch("/api/orders/" + o.get("id").asLong(), "{\"size\":\"2\"}");
        assertThat(tooSmall.status()).as("below the market's minimum size: " + tooSmall.body()).isEqualTo(400);
        assertThat(venueStatus(o)).isEqualTo("LIVE");

        // Refused before anything is checked or reserved, each with the field and why; the original untouched.
        Answer side = patch("/api/orders/" + o.get("id").asLong(), "{\"price\":\"0.26\",\"side\":\"SELL\"}");
        assertThat(side.status()).as(side.body()).isEqualTo(400);
        assertThat(side.json().get("violations").findValuesAsText("field")).containsExactly("side");
        Answer same = patch("/api/orders/" + o.get("id").asLong(), "{\"price\":\"0.25\"}");
        assertThat(same.status()).as(same.body()).isEqualTo(400);
        assertThat(same.json().get("violations").findValuesAsText("reason")).anyMatch(r -> r.contains("nothing to amend"));
        assertThat(patch("/api/orders/" + o.get("id").asLong(), "not json").status()).isEqualTo(400);
        Answer unknown = patch("/api/orders/987654321", "{\"price\":\"0.26\"}");
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).isEqualTo("no order with id 987654321");
        assertThat(view(o).get("state").asText()).isEqualTo("LIVE");
        assertThat(venue().orderPostCount()).as("nothing sent").isEqualTo(posts);

        Answer good = patch("/api/orders/" + o.get("id").asLong(), "{\"price\":\"0.26\",\"size\":\"12\"}");
        assertThat(good.status()).as(good.body()).isEqualTo(201);
        JsonNode replacement = good.json().get("order");
        assertThat(good.json().get("replaced").get("state").asText()).isEqualTo("CANCELED");
        assertThat(replacement.get("state").asText()).isEqualTo("LIVE");
        assertThat(replacement.get("price").asText()).isEqualTo("0.26");
        assertThat(replacement.get("size").asText()).isEqualTo("12");
        assertThat(replacement.get("replacesOrderId").asLong()).isEqualTo(o.get("id").asLong());
        assertThat(view(o).get("replacedBy").get(0).asLong()).isEqualTo(replacement.get("id").asLong());
        assertThat(venueStatus(o)).isEqualTo("CANCELED");
        assertThat(venueStatus(replacement)).isEqualTo("LIVE");
    }

    @Test
    void aBatchOfFortyGoesOutInVenueBatchesOfAtMostFifteenEachWithItsOwnState() {
        int batches = venue().batchPostCount();
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 40; i++) {
            body.append(i == 0 ? "" : ",").append(order("sim-election-a", "YES", "BUY", "0.1" + (i % 9), "5",
                    "\"clientOrderId\":\"lc-batch-" + i + "\""));
        }
        body.append(",").append(order("sim-election-a", "YES", "BUY", "0.105", "5", "\"clientOrderId\":\"lc-batch-off-grid\""));
        for (int i = 0; i < 3; i++) {
            body.append(",").append(KalshiFlowTest.kalshiOrder("YES", "BUY", "0.1" + i, "2", "\"clientOrderId\":\"lc-batch-k" + i + "\""));
        }
        int kalshiBatches = kalshi().batchPostCount();
        Answer a = post("/api/orders/batch", body.append("]").toString());
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(venue().batchPostCount() - batches).as("40 orders in batches of at most 15").isEqualTo(3);
        assertThat(kalshi().batchPostCount() - kalshiBatches).as("Kalshi's three in one batched create").isEqualTo(1);
        assertThat(a.json().get("venueBatches").asInt()).isEqualTo(4);
        JsonNode orders = a.json().get("orders");
        assertThat(orders).hasSize(44);
        for (int i = 41; i < 44; i++) {
            assertThat(orders.get(i).get("state").asText()).as(orders.get(i).toString()).isEqualTo("LIVE");
            assertThat(KalshiFlowTest.venueOrder("lc-batch-k" + (i - 41)).status()).isEqualTo("resting");
        }
        delete("/api/orders?venue=kalshi&all=true");
        for (int i = 0; i < 40; i++) {
            assertThat(orders.get(i).get("state").asText()).as(orders.get(i).toString()).isEqualTo("LIVE");
            assertThat(venueStatus(orders.get(i))).isEqualTo("LIVE");
        }
        assertThat(orders.get(40).get("state").asText()).isEqualTo("REJECTED");
        assertThat(orders.get(40).get("reason").asText()).contains("price");

        Answer cancel = delete("/api/orders?market=sim-election-a");
        assertThat(cancel.json().get("canceled").asInt()).isGreaterThanOrEqualTo(40);
    }

    @Test
    void whenTheVenueSwitchesToVersionThreeTheNextOrderIsResignedAndAcceptedAfterOneRetry() {
        // The gateway has read V2 (a preview signs with the version it knows): run alone, its first read would find V3.
        post("/api/orders/preview", order("sim-btc-100k", "YES", "BUY", "0.27", "5", null));
        int posts = venue().orderPostCount();
        venue().setVersion(3);
        try {
            JsonNode o = resting("sim-btc-100k", "0.27", "5", "lc-version-3");
            assertThat(venue().orderPostCount() - posts).as("one refusal, one retry").isEqualTo(2);
            assertThat(venue().orders()).containsKey(o.get("orderHash").asText());
            assertThat(view(o).get("events").findValuesAsText("detail")).anyMatch(d -> d.contains("signed again"));
            String v3Exchange = com.oddsgate.polymarket.signing.Exchanges.exchangeFor(com.oddsgate.polymarket.signing.OrderVersion.V3, 137, false);
            assertThat(get("/api/account").json().get("polymarket").get("signsAgainst").asText()).isEqualTo(v3Exchange);
            // A preview now says what it signs (review: it named the configured version, 2, next to a V3 hash).
            JsonNode preview = post("/api/orders/preview", order("sim-btc-100k", "YES", "BUY", "0.27", "5", null)).json();
            assertThat(preview.get("exchange").asText()).isEqualTo(v3Exchange);
            assertThat(preview.get("orderVersion").asInt()).isEqualTo(3);
        } finally {
            venue().setVersion(2);
        }
        // Back on V2: the next order is refused once more and re-signed again; nothing is stuck.
        resting("sim-btc-100k", "0.27", "5", "lc-version-2-again");
    }

    @Test
    void anAmendToASizeTheLedgerCannotHoldIsRefusedBeforeTheOriginalIsCancelled() {
        // A SELL: no money check stands in the way of the size (a Kalshi ask, resting).
        Answer o = post("/api/orders", KalshiFlowTest.kalshiOrder("YES", "SELL", "0.93", "2", "\"clientOrderId\":\"lc-amend-huge\""));
        assertThat(o.json().get("state").asText()).as(o.body()).isEqualTo("LIVE");
        Answer huge = patch("/api/orders/" + o.json().get("id").asLong(), "{\"size\":\"1" + "0".repeat(18) + "\"}");
        assertThat(huge.status()).as(huge.body()).isEqualTo(400);
        assertThat(huge.json().get("violations").findValuesAsText("field")).contains("size");
        assertThat(KalshiFlowTest.venueOrder("lc-amend-huge").status()).as("the original still rests").isEqualTo("resting");
        delete("/api/orders/" + o.json().get("id").asLong());

        // A Polymarket order recorded with reduceOnly before it was refused (it went out without it): amended as it was placed.
        JsonNode old = resting("sim-btc-100k", "0.24", "5", "lc-amend-old-reduce-only");
        jdbc.update("UPDATE orders SET reduce_only = TRUE WHERE id = ?", old.get("id").asLong());
        Answer amended = patch("/api/orders/" + old.get("id").asLong(), "{\"price\":\"0.23\"}");
        assertThat(amended.status()).as(amended.body()).isEqualTo(201);
        delete("/api/orders/" + amended.json().get("order").get("id").asLong());
    }

    @Test
    void aBatchRefusedForItsOrderVersionIsSignedOnceMoreAndPlacedOnce() {
        delete("/api/orders/" + resting("sim-election-a", "0.11", "5", "lc-batch-v2-first").get("id").asLong()); // V2 known here
        int batches = venue().batchPostCount();
        int held = venue().orders().size();
        venue().setVersion(3); // the gateway signs for V2: the batch's orders are refused for their version
        JsonNode orders;
        try {
            Answer a = post("/api/orders/batch", "[" + order("sim-election-a", "YES", "BUY", "0.12", "5",
                    "\"clientOrderId\":\"lc-batch-v3-a\"") + "," + order("sim-election-a", "YES", "BUY", "0.13", "5",
                    "\"clientOrderId\":\"lc-batch-v3-b\"") + "]");
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            orders = a.json().get("orders");
            assertThat(venue().batchPostCount() - batches).as("refused once, sent once more").isEqualTo(2);
            assertThat(venue().orders().size() - held).as("one order each at the venue").isEqualTo(2);
            for (JsonNode o : orders) {
                assertThat(o.get("state").asText()).as(o.toString()).isEqualTo("LIVE");
                assertThat(venue().orders()).containsKey(o.get("orderHash").asText());
                assertThat(view(o).get("events").findValuesAsText("detail")).anyMatch(d -> d.contains("signed again"));
            }
        } finally {
            venue().setVersion(2);
        }
        for (JsonNode o : orders) {
            delete("/api/orders/" + o.get("id").asLong());
        }
    }

    @Test
    void aVersionSwitchRightAfterALostAnswerFindsTheOriginalInsteadOfSigningAgain() {
        // The venue takes the V2 order, its answer is lost (held past the read timeout) and the venue
        // moves to V3: the retry of the same bytes is refused as order_version_mismatch.
        SIM.faults().lostAnswerAfter(java.time.Duration.ofMillis(3500))
                .next(com.oddsgate.sim.VenueFaults.Kind.VERSION_SWITCH, 1, com.oddsgate.sim.VenueFaults.Target.ORDER_WRITES);
        int held = venue().orders().size();
        try {
            JsonNode o = resting("sim-btc-100k", "0.26", "5", "lc-version-lost");
            assertThat(venue().version()).as("the fault moved the venue to V3").isEqualTo(3);
            assertThat(venue().orders().size() - held).as("one order at the venue, never a second signature").isEqualTo(1);
            assertThat(venue().orders()).containsKey(o.get("orderHash").asText());
            assertThat(view(o).get("events").findValuesAsText("detail")).noneMatch(d -> d.contains("signed again"))
                    .anyMatch(d -> d.contains("found at the venue by order hash"));
        } finally {
            SIM.faults().quiet();
            venue().setVersion(2);
        }
    }

    @Test
    void aVersionSwitchAfterALostAnswerOfAnOrderThatMatchedAtOnceIsNeverSignedAgain() {
        // The FOK BUY takes seeded liquidity at once, so the venue no longer holds it open; its trade is
        // not listed yet, its answer is lost and the venue moves to V3: the retry of the same bytes is
        // refused for its version, and looking the order up finds nothing. Signing it again for V3 would
        // put a second order of the same intent on the book.
        venue().tradesLag(true);
        SIM.faults().lostAnswerAfter(java.time.Duration.ofMillis(3500))
                .next(com.oddsgate.sim.VenueFaults.Kind.VERSION_SWITCH, 1, com.oddsgate.sim.VenueFaults.Target.ORDER_WRITES);
        int held = venue().orders().size();
        int posts = venue().orderPostCount();
        JsonNode o;
        try {
            Answer a = post("/api/orders", order("sim-longshot", "YES", "BUY", "0.016", "100",
                    "\"timeInForce\":\"FOK\",\"clientOrderId\":\"lc-version-matched\""));
            o = a.json();
            assertThat(venue().version()).as("the fault moved the venue to V3").isEqualTo(3);
            assertThat(o.get("state").asText()).as(a.body()).isEqualTo("UNKNOWN");
            assertThat(venue().orders().size() - held).as("one order at the venue, never a second signature").isEqualTo(1);
            assertThat(venue().orders()).containsKey(o.get("orderHash").asText());
            assertThat(venue().orderPostCount() - posts).as("the first attempt and the retry of its bytes").isEqualTo(2);
            assertThat(view(o).get("events").findValuesAsText("detail")).noneMatch(d -> d.contains("signed again for the venue's version"))
                    .anyMatch(d -> d.contains("not signed again"));
            // Recovery, the trade still not listed: the lookup finds nothing and the re-send of the same
            // bytes is refused for its version. That says nothing of the first attempt: not REJECTED
            // (final), but CANCELED, which its fills can still move on.
            runRecovery();
            JsonNode recovered = view(o);
            assertThat(recovered.get("state").asText()).as(recovered.toString()).isEqualTo("CANCELED");
            assertThat(recovered.get("reason").asText()).contains("re-send was refused", "cancelled at the venue, or never placed");
            assertThat(venue().orders().size() - held).as("still one order at the venue").isEqualTo(1);
        } finally {
            SIM.faults().quiet();
            venue().setVersion(2);
            venue().tradesLag(false);
        }
        // Its trade listed, the venue's truth reaches the ledger: the one order, filled.
        post("/api/fills/sync", "");
        assertThat(view(o).get("state").asText()).isEqualTo("FILLED");
        assertThat(view(o).get("filledSize").asText()).isEqualTo("100");
    }

    @Test
    void aBurstOfTwoHundredAtTheLowestTierIsPacedNotRejected() throws Exception {
        venue().rateTier(PolymarketSim.RateTier.LOWEST);
        int limited = venue().rateLimitedCount();
        try {
            resting("sim-longshot", "0.002", "5", "lc-burst-tier"); // its answer tells the gateway the tier
            long start = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(50);
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String body = order("sim-longshot", "YES", "BUY", "0.00" + (2 + i % 8), "5", "\"clientOrderId\":\"lc-burst-" + i + "\"");
                answers.add(pool.submit(() -> post("/api/orders", body)));
            }
            for (Future<Answer> f : answers) {
                Answer a = f.get();
                assertThat(a.status()).as(a.body()).isEqualTo(201);
                assertThat(a.json().get("state").asText()).isEqualTo("LIVE");
            }
            pool.shutdown();
            // Paced, not rejected: 60 at once, then 40 a second, so the last waited about 3.5 s.
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(java.time.Duration.ofSeconds(3));
            // The venue may still refuse a straggler whose arrival bunched up behind the ledger; it
            // was retried after Retry-After (every order above is LIVE), but the bucket kept it rare: unpaced,
            // some 140 of the 200 would be refused (the bound leaves room for a host that stalls).
            assertThat(venue().rateLimitedCount() - limited).as("429s from the venue").isLessThan(30);
        } finally {
            venue().rateTier(PolymarketSim.RateTier.TOP);
            delete("/api/orders?market=sim-longshot");
        }
    }

    @Test
    void aBuyWhoseAmountPlusFeeExceedsTheBalanceIsRefusedBeforeSigning() {
        String funder = account.wallet().address();
        venue().setCollateral(funder, new BigDecimal("10"));
        venue().setTakerFee("sim-btc-100k", new BigDecimal("0.04"), 1);
        try {
            JsonNode acct = get("/api/account?refresh=true").json();
            assertThat(acct.get("polymarket").get("collateral").asText()).isEqualTo("10");
            int posts = venue().orderPostCount();
            // 0.50 x 20 = 10.00, taker fee 20 x 0.04 x (0.5 x 0.5)^1 = 0.20: 10.20 > 10.
            Answer a = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.50", "20", "\"clientOrderId\":\"lc-funds-no\""));
            assertThat(a.status()).as(a.body()).isEqualTo(400);
            assertThat(a.json().get("reason").asText()).contains("not enough balance", "10 + fee 0.2 = 10.2", "balance is 10");
            assertThat(a.json().get("orderHash").isNull()).as("never signed").isTrue();
            assertThat(venue().orderPostCount()).isEqualTo(posts);
            // 0.50 x 19 = 9.50 + 0.19 fits; a post-only BUY only makes, and makers pay none.
            Answer b = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.50", "19", "\"clientOrderId\":\"lc-funds-yes\""));
            assertThat(b.status()).as(b.body()).isEqualTo(201);
            // The gateway counts what it just committed: a second one no longer fits the balance it read.
            Answer c = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.50", "5", "\"clientOrderId\":\"lc-funds-again\""));
            assertThat(c.status()).as(c.body()).isEqualTo(400);
        } finally {
            venue().setCollateral(funder, new BigDecimal("100000"));
            venue().setTakerFee("sim-btc-100k", BigDecimal.ZERO, 1);
            get("/api/account?refresh=true");
            delete("/api/orders?market=sim-btc-100k");
        }
    }

    @Test
    void aTickSizeRefusalRefreshesTheMarketSoTheNextOrderIsRefusedBeforeSigning() {
        resting("sim-longshot", "0.003", "5", "lc-tick-cached");
        venue().setTickSize("sim-longshot", new BigDecimal("0.01")); // no market channel in this context: the cache is stale
        try {
            Answer stale = post("/api/orders", order("sim-longshot", "YES", "BUY", "0.004", "5", "\"clientOrderId\":\"lc-tick-stale\""));
            assertThat(stale.status()).as(stale.body()).isEqualTo(422);
            assertThat(stale.json().get("reason").asText()).contains("tick size", "market data refreshed");
            int posts = venue().orderPostCount();
            Answer next = post("/api/orders", order("sim-longshot", "YES", "BUY", "0.004", "5", "\"clientOrderId\":\"lc-tick-fresh\""));
            assertThat(next.status()).as(next.body()).isEqualTo(400);
            assertThat(next.json().get("violations").findValuesAsText("field")).contains("price");
            assertThat(venue().orderPostCount()).as("refused before signing").isEqualTo(posts);
        } finally {
            venue().setTickSize("sim-longshot", new BigDecimal("0.001"));
            markets.forget(markets.bySlug("sim-longshot").conditionId());
            delete("/api/orders?market=sim-longshot");
        }
    }

    @Test
    void aSyncWhosePolymarketListFailsStillSyncsKalshi() {
        Answer k = post("/api/orders", KalshiFlowTest.kalshiOrder("YES", "BUY", "0.11", "3", "\"clientOrderId\":\"lc-sync-poly-down\""));
        assertThat(k.json().get("state").asText()).isEqualTo("LIVE");
        // The first order read of the sync, Polymarket's list, meets a CDN page.
        Answer s = underFault(VenueFaults.Kind.CDN_403, 1, VenueFaults.Target.ORDER_READS, () -> post("/api/orders/sync", ""));
        assertThat(s.status()).as(s.body()).isEqualTo(200);
        assertThat(s.json().get("polymarket").has("error")).as(s.body()).isTrue();
        assertThat(s.json().has("kalshi")).as("one venue failing does not stop the other: " + s.body()).isTrue();
        assertThat(s.json().get("kalshi").has("openAtVenue")).as(s.body()).isTrue();
        delete("/api/orders/" + k.json().get("id").asLong());
    }

    /** The ledger concluded, a minute ago, that the order had ended, and who concluded it. */
    private void endedInTheLedger(long id, String by, String reason) {
        java.sql.Timestamp before = java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(60));
        jdbc.update("UPDATE orders SET state = 'CANCELED', reason = ?, updated_at = ? WHERE id = ?", reason, before, id);
        jdbc.update("INSERT INTO order_events (order_id, at, from_state, to_state, source, detail) VALUES (?, ?, 'LIVE', 'CANCELED', ?, ?)",
                id, before, by, reason);
    }

    @Test
    void anOrderTheLedgerEndedThatTheVenueStillHoldsOpenIsReopenedBySync() {
        // Ended by an earlier sync's conclusion ("cancelled outside the gateway"): nobody here asked for
        // it to go, so found open it is simply LIVE again, at both venues.
        JsonNode p = resting("sim-btc-100k", "0.28", "6", "lc-sync-reopen");
        Answer k = post("/api/orders", KalshiFlowTest.kalshiOrder("YES", "BUY", "0.12", "3", "\"clientOrderId\":\"lc-sync-reopen-k\""));
        assertThat(k.json().get("state").asText()).isEqualTo("LIVE");
        String outside = "no longer open at the venue (open-order sync): cancelled outside the gateway or by the venue";
        endedInTheLedger(p.get("id").asLong(), "sync", outside);
        endedInTheLedger(k.json().get("id").asLong(), "sync", outside);
        // Ended by a trader's cancel whose answer was lost and whose lookup missed the order: found open,
        // it is reopened and cancelled, as the trader asked.
        JsonNode c = resting("sim-btc-100k", "0.27", "6", "lc-sync-reopen-cancel");
        endedInTheLedger(c.get("id").asLong(), "api-cancel:desk", "cancelled at the venue, or never placed");

        // Its cancel cannot be delivered this time (every cancel attempt meets a 503).
        Answer s = underFault(VenueFaults.Kind.UNAVAILABLE, 20, VenueFaults.Target.ORDER_WRITES, () -> post("/api/orders/sync", ""));

        assertThat(s.status()).as(s.body()).isEqualTo(200);
        assertThat(view(c).get("state").asText()).as("reopened; its cancel failed: the next sync tries again").isEqualTo("LIVE");
        assertThat(view(p).get("state").asText()).as("the venue holds it open: the ledger says so again").isEqualTo("LIVE");
        assertThat(view(p).get("events").findValuesAsText("detail")).anyMatch(d -> d.startsWith("open at the venue (open-order sync,"));
        assertThat(venueStatus(p)).isEqualTo("LIVE");
        assertThat(get("/api/orders/" + k.json().get("id").asLong()).json().get("state").asText()).isEqualTo("LIVE");
        assertThat(s.json().get("polymarket").get("reopened").findValuesAsText("id")).hasSize(2);
        assertThat(s.json().get("kalshi").get("reopened").findValuesAsText("from")).containsExactly("CANCELED");

        Answer next = post("/api/orders/sync", "");
        assertThat(next.json().get("polymarket").get("reopened").size()).as("nothing to reopen: it is LIVE").isZero();
        JsonNode cancelled = view(c);
        assertThat(cancelled.get("state").asText()).as(cancelled.toString()).isEqualTo("CANCELED");
        assertThat(venueStatus(c)).as("cancelled at the venue now, as the trader asked").isEqualTo("CANCELED");
        assertThat(cancelled.get("events").findValuesAsText("detail")).anyMatch(d -> d.contains("not meant to rest (ended by api-cancel:desk)"));

        // Cancelled for real now: the sync leaves them ended.
        delete("/api/orders/" + p.get("id").asLong());
        delete("/api/orders/" + k.json().get("id").asLong());
        Answer again = post("/api/orders/sync", "");
        assertThat(again.json().get("polymarket").get("reopened").size()).isZero();
        assertThat(view(p).get("state").asText()).isEqualTo("CANCELED");
    }

    @Test
    void aKalshiOrderEndedWithoutItsVenueIdIsFoundOpenByItsClientOrderIdAndCancelled() {
        long id = restingKalshi("0.11", "2", "lc-sync-no-venue-id").get("id").asLong();
        String venueId = KalshiFlowTest.venueOrder("lc-sync-no-venue-id").orderId();
        // Its placement answer was lost and its re-send refused: recovery ended it, the venue's id never read.
        jdbc.update("UPDATE orders SET venue_order_id = NULL WHERE id = ?", id);
        endedInTheLedger(id, "recovery", "its re-send was refused (HTTP 400) and the venue holds it neither open nor traded");

        Answer s = post("/api/orders/sync", "");

        assertThat(s.status()).as(s.body()).isEqualTo(200);
        assertThat(s.json().get("kalshi").get("reopened").findValuesAsText("id")).as(s.body()).contains(String.valueOf(id));
        assertThat(jdbc.queryForObject("SELECT venue_order_id FROM orders WHERE id = ?", String.class, id))
                .as("the venue's id, learned from its list").isEqualTo(venueId);
        assertThat(KalshiFlowTest.venueOrder("lc-sync-no-venue-id").status()).as("recovery had given it up: cancelled at the venue")
                .isEqualTo("canceled");
        assertThat(get("/api/orders/" + id).json().get("state").asText()).isEqualTo("CANCELED");

        // Resting in the ledger without the venue's id: the list names it by client_order_id, not as a stranger's.
        Answer r = post("/api/orders", KalshiFlowTest.kalshiOrder("YES", "BUY", "0.11", "2", "\"clientOrderId\":\"lc-sync-no-venue-id-2\""));
        long resting = r.json().get("id").asLong();
        int strangers = post("/api/orders/sync", "").json().get("kalshi").get("notPlacedByGateway").asInt(); // other tests' ledgers
        jdbc.update("UPDATE orders SET venue_order_id = NULL, created_at = ? WHERE id = ?",
                java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(60)), resting);
        Answer again = post("/api/orders/sync", "");
        assertThat(again.json().get("kalshi").get("notPlacedByGateway").asInt()).as(again.body()).isEqualTo(strangers);
        assertThat(jdbc.queryForObject("SELECT venue_order_id FROM orders WHERE id = ?", String.class, resting))
                .isEqualTo(KalshiFlowTest.venueOrder("lc-sync-no-venue-id-2").orderId());
        assertThat(get("/api/orders/" + resting).json().get("state").asText()).isEqualTo("LIVE");
        delete("/api/orders/" + resting);

        // The same client_order_id resting under another ticker (or another key) is not this order.
        Answer e = post("/api/orders", KalshiFlowTest.kalshiOrder("YES", "BUY", "0.11", "2", "\"clientOrderId\":\"lc-sync-no-venue-id-3\""));
        long elsewhere = e.json().get("id").asLong();
        String itsVenueId = KalshiFlowTest.venueOrder("lc-sync-no-venue-id-3").orderId();
        jdbc.update("UPDATE orders SET venue_order_id = NULL, market = 'SIM-KX-ELSEWHERE', created_at = ? WHERE id = ?",
                java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(60)), elsewhere);
        Answer third = post("/api/orders/sync", "");
        assertThat(jdbc.queryForObject("SELECT venue_order_id FROM orders WHERE id = ?", String.class, elsewhere)).isNull();
        assertThat(third.json().get("kalshi").get("notPlacedByGateway").asInt()).as(third.body()).isEqualTo(strangers + 1);
        jdbc.update("UPDATE orders SET venue_order_id = ?, market = 'SIM-KX-RAIN' WHERE id = ?", itsVenueId, elsewhere);
        delete("/api/orders/" + elsewhere);
    }

    @Test
    void anOrderTheOpenListMissesAndWhoseLookupNamesItWithAnUnknownWordIsNotCancelledBySync() {
        JsonNode o = resting("sim-btc-100k", "0.28", "9", "lc-sync-unknown-word");
        venue().lagOpenList(o.get("orderHash").asText(), true); // resting, but the list does not show it yet
        Answer s;
        try {
            // The list and the lookup by hash answer with a status word nobody documented.
            s = underFault(VenueFaults.Kind.UNKNOWN_STATUS, 10, VenueFaults.Target.ORDER_READS, () -> post("/api/orders/sync", ""));
        } finally {
            venue().lagOpenList(o.get("orderHash").asText(), false);
        }
        assertThat(s.status()).as(s.body()).isEqualTo(200);
        assertThat(view(o).get("state").asText()).as("the venue holds it, under a word the gateway cannot name: not CANCELED")
                .isEqualTo("LIVE");
        assertThat(venueStatus(o)).isEqualTo("LIVE");
        delete("/api/orders/" + o.get("id").asLong());
    }

    /**
     * Polymarket's matching delay (in-game trading): a marketable order is answered "delayed", is
     * neither open nor traded while held, and is matched when the delay is over. The ledger holds it
     * DELAYED — a sync looking meanwhile concludes nothing from one look — and FILLED once its trade is read.
     */
    @Test
    void anOrderHeldByTheMatchingDelayIsDelayedThenFilled() {
        // Long enough for the answer, a look at the venue and a whole sync over the shared ledger on a slow host.
        venue().matchingDelay("sim-btc-100k", Duration.ofMillis(5000));
        Answer a;
        try {
            a = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.62", "5", "\"clientOrderId\":\"lc-delayed\""));
        } finally {
            venue().matchingDelay("sim-btc-100k", null);
        }
        assertThat(a.status()).as(a.body()).isLessThan(300);
        assertThat(a.json().get("state").asText()).isEqualTo("DELAYED");
        String hash = a.json().get("orderHash").asText();
        assertThat(venue().orders().get(hash).status()).isEqualTo("DELAYED");
        post("/api/orders/sync", ""); // held: neither listed open nor traded — one look concludes nothing
        assertThat(view(a.json()).get("state").asText()).isEqualTo("DELAYED");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> venue().orders().get(hash).status().equals("MATCHED"));
        post("/api/fills/sync", "");
        JsonNode filled = view(a.json());
        assertThat(filled.get("state").asText()).isEqualTo("FILLED");
        assertThat(new BigDecimal(filled.get("filledSize").asText())).isEqualByComparingTo("5");
    }

    @Test
    void openOrderSyncFindsOrdersCancelledOrFilledBehindTheGatewaysBack() {
        JsonNode gone = resting("sim-btc-100k", "0.28", "5", "lc-sync-gone");
        JsonNode filled = resting("sim-btc-100k", "0.28", "6", "lc-sync-filled");
        JsonNode stays = resting("sim-btc-100k", "0.28", "7", "lc-sync-stays");
        JsonNode lagging = resting("sim-btc-100k", "0.28", "8", "lc-sync-lagging");
        JsonNode trailing = resting("sim-btc-100k", "0.28", "9", "lc-sync-trailing");
        venue().cancelOutside(gone.get("orderHash").asText());
        venue().fillResting(List.of(filled.get("orderHash").asText()), new BigDecimal("6"), 1);
        venue().lagOpenList(lagging.get("orderHash").asText(), true); // resting, but the list does not show it yet
        Answer s;
        try {
            s = post("/api/orders/sync", "");
            // Matched a moment ago, its trades not listed yet: off the book, no trade to see (review: taken for cancelled).
            venue().tradesLag(true);
            venue().fillResting(List.of(trailing.get("orderHash").asText()), new BigDecimal("9"), 1);
            post("/api/orders/sync", "");
        } finally {
            venue().lagOpenList(lagging.get("orderHash").asText(), false);
            venue().tradesLag(false);
        }
        assertThat(view(lagging).get("state").asText()).as("its lookup says it rests: never cancelled in the ledger")
                .isEqualTo("LIVE");
        delete("/api/orders/" + lagging.get("id").asLong());
        assertThat(s.status()).as(s.body()).isEqualTo(200);
        assertThat(view(trailing).get("state").asText()).as("missing once, trades trailing: not concluded").isEqualTo("LIVE");
        post("/api/orders/sync", ""); // its trades are listed now
        assertThat(view(trailing).get("state").asText()).isEqualTo("FILLED");
        assertThat(view(gone).get("state").asText()).as("missing at two syncs, never traded").isEqualTo("CANCELED");
        assertThat(view(gone).get("reason").asText()).contains("no longer open at the venue");
        assertThat(view(filled).get("state").asText()).isEqualTo("FILLED");
        assertThat(view(stays).get("state").asText()).isEqualTo("LIVE");
        assertThat(s.json().get("polymarket").get("changed").size()).as("the filled one; the gone one at its second sync")
                .isGreaterThanOrEqualTo(1);
        delete("/api/orders/" + stays.get("id").asLong());

        Answer k = post("/api/orders", KalshiFlowTest.kalshiOrder("YES", "BUY", "0.12", "3", "\"clientOrderId\":\"lc-sync-k\""));
        assertThat(k.json().get("state").asText()).isEqualTo("LIVE");
        kalshi().cancelOutside("lc-sync-k");
        post("/api/orders/sync", "");
        assertThat(get("/api/orders/" + k.json().get("id").asLong()).json().get("state").asText()).isEqualTo("CANCELED");
    }

    @Test
    void theBookIsReadThroughAndAnOrderNearTheMidpointScores() {
        Answer b = get("/api/markets/sim-election-a/book");
        assertThat(b.status()).as(b.body()).isEqualTo(200);
        JsonNode yes = b.json().get("YES");
        BigDecimal bid = new BigDecimal(yes.get("bestBid").asText());
        BigDecimal ask = new BigDecimal(yes.get("bestAsk").asText());
        assertThat(bid).isLessThan(ask);
        assertThat(new BigDecimal(yes.get("spread").asText())).isEqualByComparingTo(ask.subtract(bid));
        assertThat(new BigDecimal(yes.get("midpoint").asText())).isEqualByComparingTo(bid.add(ask).divide(BigDecimal.valueOf(2)));
        assertThat(new BigDecimal(yes.get("bids").get(0).get("price").asText())).as("best bid first").isEqualByComparingTo(bid);
        assertThat(get("/api/markets/no-such-market/book").status()).isEqualTo(404);

        // Kalshi lists bids per side: YES asks are NO bids at 1 - price.
        JsonNode k = get("/api/markets/SIM-KX-RAIN/book").json();
        BigDecimal yesBid = new BigDecimal(k.get("YES").get("bestBid").asText());
        BigDecimal yesAsk = new BigDecimal(k.get("YES").get("bestAsk").asText());
        assertThat(yesBid).isLessThan(yesAsk);
        assertThat(yesAsk).isEqualByComparingTo(BigDecimal.ONE.subtract(new BigDecimal(k.get("NO").get("bestBid").asText())));
        assertThat(yesBid).isEqualByComparingTo(BigDecimal.ONE.subtract(new BigDecimal(k.get("NO").get("bestAsk").asText())));
        assertThat(get("/api/markets/SIM-KX-NONE/book").status()).isEqualTo(404);

        JsonNode near = resting("sim-election-a", bid.toPlainString(), "5", "lc-scoring-near");
        JsonNode far = resting("sim-election-a", "0.05", "5", "lc-scoring-far");
        assertThat(get("/api/orders/" + near.get("id").asLong() + "/scoring").json().get("scoring").asBoolean()).isTrue();
        assertThat(get("/api/orders/" + far.get("id").asLong() + "/scoring").json().get("scoring").asBoolean()).isFalse();
        delete("/api/orders?market=sim-election-a");
    }

    @Test
    void aKalshiOrderIsAmendedAndAKalshiBuyBeyondItsBalanceIsRefusedBeforeSigning() {
        Answer k = post("/api/orders", KalshiFlowTest.kalshiOrder("YES", "BUY", "0.20", "4",
                "\"clientOrderId\":\"lc-k-amend\",\"reduceOnly\":true"));
        assertThat(k.json().get("state").asText()).isEqualTo("LIVE");
        assertThat(k.json().get("reduceOnly").asBoolean()).isTrue();
        Answer amended = patch("/api/orders/" + k.json().get("id").asLong(), "{\"price\":\"0.22\"}");
        assertThat(amended.status()).as(amended.body()).isEqualTo(201);
        // reduceOnly is part of the order: the replacement carries it, to the venue too.
        assertThat(amended.json().get("order").get("reduceOnly").asBoolean()).isTrue();
        assertThat(ledger.find(amended.json().get("order").get("id").asLong()).orElseThrow().signedPayload())
                .contains("\"reduce_only\":true");
        assertThat(KalshiFlowTest.venueOrder("lc-k-amend").status()).isEqualTo("canceled");
        assertThat(KalshiFlowTest.venueOrder("lc-k-amend-a1").status()).isEqualTo("resting");
        assertThat(amended.json().get("order").get("replacesOrderId").asLong()).isEqualTo(k.json().get("id").asLong());
        delete("/api/orders/" + amended.json().get("order").get("id").asLong());

        String key = "sim-dev-key-0001";
        BigDecimal before = kalshi().balanceOf(key);
        kalshi().setBalance(key, new BigDecimal("2.00"));
        try {
            assertThat(get("/api/account?refresh=true").json().get("kalshi").get("balance").asText()).isEqualTo("2");
            int posts = kalshi().orderPostCount();
            // 4 x 0.50 = 2.00, taker fee 0.07 x 4 x 0.5 x 0.5 = 0.07: 2.07 > 2.00.
            Answer a = post("/api/orders", KalshiFlowTest.kalshiOrder("YES", "BUY", "0.50", "4", "\"clientOrderId\":\"lc-k-funds\""));
            assertThat(a.status()).as(a.body()).isEqualTo(400);
            assertThat(a.json().get("reason").asText()).contains("2 + fee 0.07 = 2.07");
            assertThat(kalshi().orderPostCount()).isEqualTo(posts);
        } finally {
            kalshi().setBalance(key, before);
            get("/api/account?refresh=true");
        }
    }

    // ---- A cancel of an order whose placement's answer is unknown ------------------------------------

    @Test
    void aCancelOfAnOrderWhoseAnswerWasLostFindsItRestingAndCancelsIt() {
        // The venue takes the order, its answer is lost, and each re-send of the same bytes meets a 503.
        SIM.faults().lostAnswerAfter(java.time.Duration.ofMillis(3500))
                .next(VenueFaults.Kind.LOST_ANSWER, 1, VenueFaults.Target.ORDER_WRITES)
                .next(VenueFaults.Kind.UNAVAILABLE, 2, VenueFaults.Target.ORDER_WRITES);
        Answer a;
        try {
            a = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.19", "5", "\"clientOrderId\":\"lc-unknown-cancel\""));
        } finally {
            SIM.faults().quiet();
        }
        assertThat(a.status()).as(a.body()).isEqualTo(502);
        assertThat(a.json().get("state").asText()).isEqualTo("UNKNOWN");
        assertThat(venueStatus(a.json())).as("at the venue all the same").isEqualTo("LIVE");
        int posts = venue().orderPostCount();
        awaitExchangesEnded();

        Answer c = delete("/api/orders/" + a.json().get("id").asLong(), "desk");

        assertThat(c.status()).as(c.body()).isEqualTo(200);
        assertThat(c.json().get("state").asText()).isEqualTo("CANCELED");
        assertThat(venueStatus(a.json())).isEqualTo("CANCELED");
        assertThat(venue().orderPostCount()).as("looked up, never sent again").isEqualTo(posts);
        assertThat(view(a.json()).get("events").findValuesAsText("detail"))
                .anyMatch(d -> d.startsWith("cancel asked for while its placement's answer is unknown"))
                .anyMatch(d -> d.equals("canceled at the venue"));
    }

    @Test
    void aCancelOfAnOrderThatNeverReachedTheVenueEndsItAndRecoveryNeverSendsIt() {
        venue().failNextOrderPosts(100, 503);
        Answer a;
        try {
            a = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.18", "5", "\"clientOrderId\":\"lc-unknown-never\""));
        } finally {
            venue().failNextOrderPosts(0, 503);
        }
        assertThat(a.json().get("state").asText()).as(a.body()).isEqualTo("UNKNOWN");
        long id = a.json().get("id").asLong();
        int posts = venue().orderPostCount();
        awaitExchangesEnded();

        Answer c = delete("/api/orders/" + id);

        assertThat(c.status()).as(c.body()).isEqualTo(200);
        assertThat(c.json().get("state").asText()).isEqualTo("CANCELED");
        assertThat(c.json().get("reason").asText()).contains("a cancel was asked for");
        runRecovery();
        assertThat(stateOf(id)).isEqualTo("CANCELED");
        assertThat(venue().orderPostCount()).as("recovery would have re-sent it; the cancel stops that").isEqualTo(posts);
        assertThat(venue().orders()).doesNotContainKey(a.json().get("orderHash").asText());
    }

    @Test
    void aCancelThatCannotLookTheOrderUpStandsAndTheSyncCancelsItWhereverItTurnsUp() {
        JsonNode o = resting("sim-btc-100k", "0.17", "5", "lc-unknown-stands");
        long id = o.get("id").asLong();
        // As if its answer had been lost: the ledger cannot tell where the order is.
        jdbc.update("UPDATE orders SET state = 'UNKNOWN' WHERE id = ?", id);
        int posts = venue().orderPostCount();
        awaitExchangesEnded();

        Answer c = underFault(VenueFaults.Kind.UNAVAILABLE, 30, VenueFaults.Target.ORDER_READS, () -> delete("/api/orders/" + id));

        assertThat(c.status()).as(c.body()).isEqualTo(202);
        assertThat(c.json().get("state").asText()).isEqualTo("UNKNOWN");
        assertThat(c.json().get("note").asText()).contains("the cancel stands");
        assertThat(venueStatus(o)).isEqualTo("LIVE");
        // Recovery finds it open (LIVE again, never re-sent) and cancels it, as the trader asked; that
        // cancel meets a 503 each time, so the next sync cancels it.
        underFault(VenueFaults.Kind.UNAVAILABLE, 30, VenueFaults.Target.ORDER_WRITES, () -> {
            runRecovery();
            return null;
        });
        assertThat(stateOf(id)).isEqualTo("LIVE");
        Answer s = post("/api/orders/sync", "");
        assertThat(s.status()).as(s.body()).isEqualTo(200);
        assertThat(stateOf(id)).isEqualTo("CANCELED");
        assertThat(venueStatus(o)).isEqualTo("CANCELED");
        assertThat(venue().orderPostCount()).isEqualTo(posts);
    }

    @Test
    void recoveryCancelsAnOrderItFindsRestingThatATraderAskedToCancelWhileItsAnswerWasUnknown() {
        JsonNode o = resting("sim-btc-100k", "0.12", "5", "lc-unknown-recovered");
        long id = o.get("id").asLong();
        jdbc.update("UPDATE orders SET state = 'UNKNOWN' WHERE id = ?", id);
        awaitExchangesEnded();
        Answer c = underFault(VenueFaults.Kind.UNAVAILABLE, 30, VenueFaults.Target.ORDER_READS, () -> delete("/api/orders/" + id));
        assertThat(c.status()).as(c.body()).isEqualTo(202);

        runRecovery();

        assertThat(stateOf(id)).isEqualTo("CANCELED");
        assertThat(venueStatus(o)).isEqualTo("CANCELED");
        assertThat(view(o).get("events").findValuesAsText("source")).contains("api-cancel:recovery");
    }

    @Test
    void aCancelOfAKalshiOrderWithoutItsVenueIdFindsItByClientOrderIdAndCancelsIt() {
        long id = restingKalshi("0.09", "2", "lc-k-unknown-cancel").get("id").asLong();
        String venueId = KalshiFlowTest.venueOrder("lc-k-unknown-cancel").orderId();
        jdbc.update("UPDATE orders SET state = 'UNKNOWN', venue_order_id = NULL WHERE id = ?", id); // its answer never read
        int posts = kalshi().orderPostCount();
        awaitExchangesEnded();

        Answer c = delete("/api/orders/" + id);

        assertThat(c.status()).as(c.body()).isEqualTo(200);
        assertThat(c.json().get("state").asText()).isEqualTo("CANCELED");
        assertThat(c.json().get("venueOrderId").asText()).isEqualTo(venueId);
        assertThat(KalshiFlowTest.venueOrder("lc-k-unknown-cancel").status()).isEqualTo("canceled");
        assertThat(kalshi().orderPostCount()).isEqualTo(posts);
    }

    @Test
    void aListCancelLooksUpOrdersWhoseAnswerIsUnknownAndSaysWhyForEveryOther() {
        JsonNode live = resting("sim-btc-100k", "0.15", "5", "lc-ids-live");
        JsonNode unknown = resting("sim-btc-100k", "0.14", "5", "lc-ids-unknown");
        jdbc.update("UPDATE orders SET state = 'UNKNOWN' WHERE id = ?", unknown.get("id").asLong()); // its answer lost
        JsonNode ended = resting("sim-btc-100k", "0.13", "5", "lc-ids-ended");
        delete("/api/orders/" + ended.get("id").asLong());
        long kid = restingKalshi("0.08", "2", "lc-ids-k-no-id").get("id").asLong();
        String venueId = KalshiFlowTest.venueOrder("lc-ids-k-no-id").orderId();
        jdbc.update("UPDATE orders SET venue_order_id = NULL WHERE id = ?", kid); // LIVE, its venue id never read
        awaitExchangesEnded();

        Answer c = delete("/api/orders?ids=" + live.get("id").asLong() + "," + unknown.get("id").asLong() + ","
                + ended.get("id").asLong() + ",987654321," + kid);

        assertThat(c.status()).as(c.body()).isEqualTo(200);
        assertThat(c.json().get("canceled").asInt()).as(c.body()).isEqualTo(3);
        assertThat(c.json().get("notCanceled").asInt()).as(c.body()).isEqualTo(2);
        assertThat(venueStatus(live)).isEqualTo("CANCELED");
        assertThat(venueStatus(unknown)).as("found resting by its hash, then cancelled with the others").isEqualTo("CANCELED");
        assertThat(view(unknown).get("state").asText()).isEqualTo("CANCELED");
        assertThat(KalshiFlowTest.venueOrder("lc-ids-k-no-id").status()).as("never a cancel of order \"null\"").isEqualTo("canceled");
        assertThat(jdbc.queryForObject("SELECT venue_order_id FROM orders WHERE id = ?", String.class, kid)).isEqualTo(venueId);
        JsonNode lines = c.json().get("orders");
        assertThat(lines.findValues("id").stream().map(JsonNode::asLong)).contains(987654321L, ended.get("id").asLong());
        for (JsonNode line : lines) {
            if (line.get("id").asLong() == 987654321L) {
                assertThat(line.get("reason").asText()).isEqualTo("no such order");
            } else if (line.get("id").asLong() == ended.get("id").asLong()) {
                assertThat(line.get("result").asText()).isEqualTo("not_canceled");
                assertThat(line.get("reason").asText()).contains("order is CANCELED");
            }
        }
    }
}
