package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Pre-trade risk: each limit refuses the order that breaks it (a recorded 400 naming the limit and
 * the figures, nothing signed) and accepts the one just inside; a limit changed over REST applies
 * to the next order and is recorded with who changed it. Its own ledger: limits are per ledger.
 */
class RiskTest extends GatewayTestSupport {

    @DynamicPropertySource
    static void ownLedger(DynamicPropertyRegistry r) {
        ownLedgerAndFolders(r, "risk");
        r.add("oddsgate.risk.refresh", () -> "0s");
    }

    @AfterEach
    void limitsOff() {
        limits("{}");
    }

    private Answer buy(String price, String size, String id) {
        return post("/api/orders", order("sim-btc-100k", "YES", "BUY", price, size, "\"clientOrderId\":\"" + id + "\""));
    }

    private static void refusedFor(Answer a, String... words) {
        assertThat(a.status()).as(a.body()).isEqualTo(400);
        assertThat(a.json().get("state").asText()).isEqualTo("REJECTED");
        assertThat(a.json().get("violations").get(0).get("field").asText()).isEqualTo("risk");
        assertThat(a.json().get("violations").get(0).get("reason").asText()).contains(words);
    }

    @Test
    void orderNotionalAndPriceBand() {
        assertThat(limits("{\"maxOrderNotional\":\"2.50\",\"priceBand\":\"0.10\"}").status()).isEqualTo(200);
        int posts = venue().orderPostCount();
        refusedFor(buy("0.47", "6", "rk-notional-over"), "max order notional 2.5", "2.82");
        assertThat(venue().orderPostCount()).as("nothing sent").isEqualTo(posts);
        Answer inside = buy("0.50", "5", "rk-notional-in"); // 2.50, and 0.06 below the midpoint 0.56
        assertThat(inside.status()).as(inside.body()).isEqualTo(201);
        refusedFor(buy("0.45", "5", "rk-band-over"), "price band 0.1", "midpoint 0.56", "0.45");
        assertThat(buy("0.46", "5", "rk-band-in").status()).isEqualTo(201);
        JsonNode shown = get("/api/risk").json();
        assertThat(shown.get("limits").get("maxOrderNotional").asText()).isEqualTo("2.5");
        assertThat(shown.get("history").get(0).get("by").asText()).isEqualTo("risk-officer");
    }

    /**
     * Buys 20 YES of the Kalshi market at once and reads the fills: the whole holding, with whatever
     * earlier tests left in it (the simulator's account is shared).
     */
    private BigDecimal holdingAfterBuying(String clientOrderId) {
        Answer held = post("/api/orders", KalshiFlowTest.kalshiOrder("YES", "BUY", "0.46", "20", "\"timeInForce\":\"FAK\","
                + "\"clientOrderId\":\"" + clientOrderId + "\""));
        assertThat(held.json().get("state").asText()).as(held.body()).isEqualTo("MATCHED");
        post("/api/fills/sync", "");
        BigDecimal holding = BigDecimal.ZERO;
        for (JsonNode p : get("/api/positions?venue=kalshi").json().get("positions")) {
            if (p.get("tokenId").asText().equals("SIM-KX-RAIN")) {
                holding = holding.add(new BigDecimal(p.get("size").asText()));
            }
        }
        return holding;
    }

    @Test
    void aKalshiSellCommitsWhatBuyingTheOtherSideWouldUnlessItSellsAHolding() {
        assertThat(limits("{\"maxOrderNotional\":\"10\"}").status()).isEqualTo(200);
        // An ask on the YES book at 0.05: without YES held, 100 NO bought at 0.95 — 95 at risk, not 5.
        refusedFor(post("/api/orders", KalshiFlowTest.kalshiOrder("YES", "SELL", "0.05", "100", "\"clientOrderId\":\"rk-k-sell\"")),
                "max order notional 10", "95", "(1 − 0.05)");
        refusedFor(post("/api/orders", KalshiFlowTest.kalshiOrder("NO", "BUY", "0.95", "100", "\"clientOrderId\":\"rk-k-no\"")),
                "max order notional 10", "95");
        // Holding YES, selling it is an exit: no new commitment, whatever (1 − price) × size comes to.
        BigDecimal holding = holdingAfterBuying("rk-k-hold");
        assertThat(holding).isGreaterThanOrEqualTo(new BigDecimal("20"));
        Answer exit = post("/api/orders", KalshiFlowTest.kalshiOrder("YES", "SELL", "0.40", holding.toPlainString(),
                "\"clientOrderId\":\"rk-k-exit\""));
        assertThat(exit.status()).as(exit.body()).isIn(200, 201);
        // A second exit of the same holding, the first still open: together they sell past it — no exit.
        refusedFor(post("/api/orders", KalshiFlowTest.kalshiOrder("YES", "SELL", "0.40", "20", "\"clientOrderId\":\"rk-k-exit-2\"")),
                "max order notional 10", "12");
    }

    /**
     * Two exits of one holding arriving together, max order notional the only limit: the second is
     * judged with the first counted (before, both were judged outside the account's hold, each saw the
     * holding unsold, and together they sold past it: a new commitment over the limit).
     */
    @Test
    void twoKalshiExitsArrivingTogetherAreJudgedOneAfterTheOther() throws Exception {
        assertThat(limits("{\"maxOrderNotional\":\"10\"}").status()).isEqualTo(200);
        BigDecimal holding = holdingAfterBuying("rk-race-hold");
        // Cancel whatever earlier tests left selling it: the holding is what these two exits sell.
        for (JsonNode o : get("/api/orders?venue=kalshi&state=LIVE&limit=500").json().get("orders")) {
            delete("/api/orders/" + o.get("id").asLong());
        }
        // The first exit stops right after its risk check until the second has been checked.
        java.util.concurrent.CountDownLatch firstChecked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch secondChecked = new java.util.concurrent.CountDownLatch(1);
        org.apache.camel.builder.AdviceWith.adviceWith(camel, "venue-kalshi", a -> a.weaveById("kalshi-risk-check").after().process(e -> {
            com.oddsgate.order.OrderTicket t = e.getIn().getBody(com.oddsgate.order.OrderTicket.class);
            if (t != null && "rk-race-1".equals(t.getOrder().clientOrderId())) {
                firstChecked.countDown();
                secondChecked.await(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        }));
        String size = holding.toPlainString();
        java.util.concurrent.CompletableFuture<Answer> first = java.util.concurrent.CompletableFuture.supplyAsync(() -> post("/api/orders",
                KalshiFlowTest.kalshiOrder("YES", "SELL", "0.05", size, "\"clientOrderId\":\"rk-race-1\"")));
        assertThat(firstChecked.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Answer second;
        try {
            second = post("/api/orders", KalshiFlowTest.kalshiOrder("YES", "SELL", "0.05", size, "\"clientOrderId\":\"rk-race-2\""));
        } finally {
            secondChecked.countDown();
        }
        assertThat(first.get(10, java.util.concurrent.TimeUnit.SECONDS).status()).isIn(200, 201);
        refusedFor(second, "max order notional 10");
        delete("/api/orders/" + first.get().json().get("id").asLong());
    }

    @Test
    void openOrdersDailyNotionalAndPosition() {
        int open = get("/api/orders?state=LIVE&venue=polymarket&limit=500").json().get("orders").size();
        assertThat(limits("{\"maxOpenOrders\":" + (open + 1) + "}").status()).isEqualTo(200);
        assertThat(buy("0.20", "5", "rk-open-1").status()).isEqualTo(201);
        refusedFor(buy("0.20", "5", "rk-open-2"), "max open orders " + (open + 1));
        // Changed over REST: the next order sees it.
        assertThat(limits("{\"maxOpenOrders\":" + (open + 2) + "}").status()).isEqualTo(200);
        assertThat(buy("0.20", "5", "rk-open-2b").status()).isEqualTo(201);

        limits("{}");
        JsonNode today = get("/api/orders?venue=polymarket&limit=500").json().get("orders");
        java.math.BigDecimal placed = java.math.BigDecimal.ZERO;
        for (JsonNode o : today) {
            String state = o.get("state").asText();
            if (!state.equals("REJECTED")) { // a cancelled order counts for what it filled
                placed = placed.add(new java.math.BigDecimal(o.get("price").asText()).multiply(new java.math.BigDecimal(
                        List.of("CANCELED", "UNMATCHED", "FAILED").contains(state) ? o.get("filledSize").asText() : o.get("size").asText())));
            }
        }
        assertThat(limits("{\"maxDailyNotional\":\"" + placed.add(new java.math.BigDecimal("1.00")).toPlainString() + "\"}")
                .status()).isEqualTo(200);
        refusedFor(buy("0.21", "5", "rk-daily-over"), "max daily notional");  // 1.05 more
        assertThat(buy("0.20", "5", "rk-daily-in").status()).isEqualTo(201); // exactly 1.00 more

        // Position: marketable BUYs fill against the seeded book (the account's position may already
        // hold other tests' trades: the limit is set from what it is now). The resting orders above
        // would count towards it: they go first.
        limits("{}");
        delete("/api/orders?venue=polymarket&market=sim-btc-100k", "risk-test");
        post("/api/fills/sync", "");
        java.math.BigDecimal now = position(YES_TOKEN);
        limits("{\"maxPosition\":\"" + now.add(java.math.BigDecimal.TEN).toPlainString() + "\"}");
        Answer filled = buy("0.62", "5", "rk-pos-1");
        assertThat(filled.status()).as(filled.body()).isEqualTo(201);
        post("/api/fills/sync", "");
        assertThat(position(YES_TOKEN)).isEqualByComparingTo(now.add(java.math.BigDecimal.valueOf(5)));
        refusedFor(buy("0.62", "6", "rk-pos-2"), "max position", "with this order");
        assertThat(buy("0.62", "5", "rk-pos-3").status()).as("just inside").isEqualTo(201);
    }

    static final String YES_TOKEN = "105682294313117557078598458216806842121027994977630852429513316371145609753027";

    private java.math.BigDecimal position(String token) {
        for (JsonNode p : get("/api/positions?venue=polymarket").json().get("positions")) {
            if (p.get("tokenId").asText().equals(token)) {
                return new java.math.BigDecimal(p.get("size").asText());
            }
        }
        return java.math.BigDecimal.ZERO;
    }

    @Test
    void openOrdersCountTowardsThePositionAndAnAmendAtTheLimitIsNotRefusedForItsOriginal() {
        post("/api/fills/sync", "");
        java.math.BigDecimal now = position(YES_TOKEN);
        limits("{\"maxPosition\":\"" + now.add(java.math.BigDecimal.TEN).toPlainString() + "\"}");
        Answer resting = buy("0.20", "6", "rk-open-pos-1");
        assertThat(resting.json().get("state").asText()).isEqualTo("LIVE");
        refusedFor(buy("0.20", "6", "rk-open-pos-2"), "max position", "open orders' 6");

        int open = 0;
        for (JsonNode o : get("/api/orders?venue=polymarket&limit=500").json().get("orders")) {
            open += List.of("LIVE", "PARTIALLY_FILLED", "DELAYED", "PENDING_SUBMIT", "UNKNOWN").contains(o.get("state").asText()) ? 1 : 0;
        }
        limits("{\"maxOpenOrders\":" + open + ",\"maxPosition\":\"" + now.add(java.math.BigDecimal.TEN).toPlainString() + "\"}");
        Answer amended = patch("/api/orders/" + resting.json().get("id").asLong(), "{\"price\":\"0.21\"}");
        assertThat(amended.status()).as("the original it replaces is not counted: " + amended.body()).isEqualTo(201);
        assertThat(preTradeRisk.pendingReplacements()).as("recorded: no longer pending").isZero();
        delete("/api/orders/" + amended.json().get("order").get("id").asLong());
        // Counted as a replacement on its way only until it was recorded: once cancelled it takes no room.
        Answer after = buy("0.20", "6", "rk-open-pos-3");
        assertThat(after.status()).as("the replacement, recorded and then cancelled, counts no more: " + after.body()).isEqualTo(201);
        delete("/api/orders/" + after.json().get("id").asLong());
    }

    @Test
    void anOrderTheVenueMatchedCountsTowardsThePositionBeforeItsFillsArrive() {
        limits("{}");
        delete("/api/orders?venue=polymarket&market=sim-btc-100k", "risk-test"); // other tests' resting orders count too
        post("/api/fills/sync", "");
        java.math.BigDecimal now = position(YES_TOKEN);
        limits("{\"maxPosition\":\"" + now.add(java.math.BigDecimal.TEN).toPlainString() + "\"}");
        Answer matched = buy("0.62", "5", "rk-matched-1"); // crosses the seeded book: "matched", its trades not read yet
        assertThat(matched.json().get("state").asText()).as(matched.body()).isEqualTo("MATCHED");
        assertThat(position(YES_TOKEN)).as("no fills stored yet").isEqualByComparingTo(now);
        refusedFor(buy("0.62", "6", "rk-matched-2"), "max position", "open orders' 5");
        post("/api/fills/sync", "");
        assertThat(position(YES_TOKEN)).isEqualByComparingTo(now.add(java.math.BigDecimal.valueOf(5)));
        refusedFor(buy("0.62", "6", "rk-matched-3"), "max position", "with this order");
        limits("{}");
    }

    @org.springframework.beans.factory.annotation.Autowired
    com.oddsgate.api.RiskOperations jmx;

    @org.springframework.beans.factory.annotation.Autowired
    com.oddsgate.risk.PreTradeRisk preTradeRisk;

    @Test
    void anAmendRefusedAfterItsReplacementPassedTheLimitsLeavesNothingCounted() {
        int open = 0;
        for (JsonNode o : get("/api/orders?venue=polymarket&limit=500").json().get("orders")) {
            open += List.of("LIVE", "PARTIALLY_FILLED", "DELAYED", "PENDING_SUBMIT", "UNKNOWN").contains(o.get("state").asText()) ? 1 : 0;
        }
        limits("{\"maxOpenOrders\":" + (open + 1) + "}");
        Answer resting = buy("0.20", "5", "rk-amend-funds-1");
        assertThat(resting.json().get("state").asText()).as(resting.body()).isEqualTo("LIVE");
        // Far more than the account's money: the replacement passes the limits, then its funds check refuses it.
        Answer amended = patch("/api/orders/" + resting.json().get("id").asLong(), "{\"size\":\"100000000\"}");
        assertThat(amended.status()).as(amended.body()).isEqualTo(400);
        assertThat(amended.json().get("error").asText()).contains("not enough balance");
        assertThat(preTradeRisk.pendingReplacements()).as("the amend ended: its replacement pends no more").isZero();
        Answer again = patch("/api/orders/" + resting.json().get("id").asLong(), "{\"price\":\"0.19\"}");
        assertThat(again.status()).as("the order can be amended again at once: " + again.body()).isEqualTo(201);
        delete("/api/orders/" + again.json().get("order").get("id").asLong());
        Answer next = buy("0.20", "5", "rk-amend-funds-2");
        assertThat(next.status()).as("nothing left over from the refused amend: " + next.body()).isEqualTo(201);
        delete("/api/orders/" + next.json().get("id").asLong());
    }

    @Test
    void limitsChangedOverJmxApplyToTheNextOrderAndAreRecorded() {
        assertThat(jmx.change("{\"maxOrderNotional\":\"1\"}")).contains("\"maxOrderNotional\":\"1\"");
        refusedFor(buy("0.30", "5", "rk-jmx-over"), "max order notional 1");
        assertThat(jmx.getLimits()).contains("\"maxOrderNotional\":\"1\"");
        assertThat(get("/api/risk").json().get("history").get(0).get("by").asText()).isEqualTo("jmx");
        assertThat(jmx.change("{\"maxOpenOrders\":\"lots\"}")).startsWith("refused");
    }

    @Test
    void badLimitsAreRefusedWithTheField() {
        Answer bad = limits("{\"maxOrderNotional\":\"-1\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("maxOrderNotional");
        Answer misspelt = limits("{\"maxOrderNotionl\":\"5\"}");
        assertThat(misspelt.status()).as("a misspelt limit is not silently off").isEqualTo(400);
        assertThat(misspelt.body()).contains("maxOrderNotionl", "is not a risk limit");
    }
}
