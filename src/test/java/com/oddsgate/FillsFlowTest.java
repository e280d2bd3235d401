package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.builder.AdviceWith;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.polymarket.protocol.CancellationEvents;
import com.oddsgate.polymarket.protocol.PolymarketTrades;

/**
 * Fills over the user WebSocket and by polling, counted exactly once: repeats only raise the
 * delivery count, status changes update the one fill, a FAILED trade takes its fill back. Positions
 * equal the simulator's truth.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class FillsFlowTest extends GatewayTestSupport {

    @DynamicPropertySource
    static void userChannel(DynamicPropertyRegistry r) {
        r.add("oddsgate.fills.websocket.enabled", () -> "true");
        r.add("oddsgate.kalshi.ws-url", () -> SIM.sockets().baseUrl() + "/trade-api/ws/v2");
    }

    @Autowired
    PolymarketTrades trades;

    @Autowired
    CancellationEvents cancellations;

    @Autowired
    com.oddsgate.venue.VenueChannels polymarketUserChannel;

    static final Duration WAIT = Duration.ofSeconds(15);

    /** A resting order (the seeded asks start at 0.57): its id and venue order hash. */
    private JsonNode resting(String clientOrderId, String price, String size) {
        Answer a = post("/api/orders", order("sim-btc-100k", "YES", "BUY", price, size, "\"clientOrderId\":\"" + clientOrderId + "\""));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        assertThat(a.json().get("state").asText()).isEqualTo("LIVE");
        return a.json();
    }

    private List<JsonNode> fillsOf(long orderId) {
        return listOf(get("/api/fills?orderId=" + orderId).json().get("fills"));
    }

    private static List<JsonNode> listOf(JsonNode array) {
        List<JsonNode> out = new java.util.ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private JsonNode orderView(long id) {
        return get("/api/orders/" + id).json();
    }

    /** Subscribed, and the catch-up poll of every connect so far is done (else it races the frames under test). */
    private void subscribed() {
        // This context's channel connected (the simulator's count also holds other contexts' subscriptions).
        await().atMost(WAIT).until(() -> polymarketUserChannel.connects() > 0 && SIM.sockets().subscriptions() > 0
                && polymarketUserChannel.catchUps() >= polymarketUserChannel.connects());
    }

    /** The gateway takes the user channel for streaming the market, and the venue side has applied the subscription. */
    private void streamingHere(String market) {
        await().atMost(WAIT).until(() -> polymarketUserChannel.streaming("main", market) && SIM.sockets().subscribedMarkets().contains(market));
    }

    /** Runs {@code meanwhile} once, right before the cancel of an amend of order {@code id} (after what had matched was read). */
    private void beforeTheAmendsCancel(long id, Runnable meanwhile) throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        AdviceWith.adviceWith(camel, "amend-order", a -> a.weaveById("cancel-original").before().process(e -> {
            OrderTicket t = e.getProperty("oddsgateReplacement", OrderTicket.class);
            if (t != null && t.getReplacesOrderId() == id && ran.compareAndSet(false, true)) {
                meanwhile.run();
            }
        }));
    }

    @Test
    void anAmendPlacesWhatTheCancellationEventSaysWasLeftWhenAMatchIsNeitherListedNorStreamedYet() throws Exception {
        subscribed();
        JsonNode o = resting("fills-amend-gap", "0.24", "10");
        long id = o.get("id").asLong();
        String hash = o.get("orderHash").asText();
        streamingHere(o.get("market").asText());
        // 3 of 10 match between the amend's read of size_matched and its cancel; the trade's frame is lost
        // and /data/trades does not list it yet: only the venue's CANCELLATION event (size_matched 3) tells.
        beforeTheAmendsCancel(id, () -> {
            SIM.sockets().dropPolymarketTrades(1);
            venue().fillResting(List.of(hash), new BigDecimal("3"), 1);
        });
        venue().tradesLag(true);
        Answer amended;
        try {
            amended = patch("/api/orders/" + id, "{\"price\":\"0.23\"}");
        } finally {
            venue().tradesLag(false);
        }
        assertThat(amended.status()).as(amended.body()).isEqualTo(201);
        assertThat(amended.json().get("order").get("size").asText()).as("10 less the 3 the cancellation event says matched")
                .isEqualTo("7");
        assertThat(venue().orders().get(amended.json().get("order").get("orderHash").asText()).originalSize()).isEqualByComparingTo("7");
        assertThat(cancellations.expected()).as("nothing left waiting").isZero();
        delete("/api/orders/" + amended.json().get("order").get("id").asLong());
        assertThat(post("/api/fills/sync", "").status()).isEqualTo(200); // its trade, listed now
        assertThat(orderView(id).get("filledSize").asText()).isEqualTo("3");

        // The cancellation event lost as well: what had matched is not known for sure, nothing is placed.
        JsonNode lost = resting("fills-amend-lost", "0.24", "10");
        long lostId = lost.get("id").asLong();
        streamingHere(lost.get("market").asText());
        beforeTheAmendsCancel(lostId, () -> SIM.sockets().dropPolymarketOrderEvents(1));
        int posts = venue().orderPostCount();
        Answer withheld = patch("/api/orders/" + lostId, "{\"price\":\"0.23\"}");
        assertThat(withheld.status()).as(withheld.body()).isEqualTo(409);
        assertThat(withheld.json().get("error").asText()).contains("cancellation event did not come").contains("no replacement was placed");
        assertThat(orderView(lostId).get("state").asText()).isEqualTo("CANCELED");
        assertThat(venue().orderPostCount()).isEqualTo(posts);
        assertThat(cancellations.expected()).isZero();
    }

    @Test
    void oneTradeDeliveredThreeTimesAndPolledIsOneFillWhoseStatusMovesForward() {
        subscribed();
        JsonNode o = resting("fills-once", "0.31", "20");
        long id = o.get("id").asLong();
        String tradeId = venue().fillResting(List.of(o.get("orderHash").asText()), new BigDecimal("5"), 1).get(0);

        await().atMost(WAIT).until(() -> fillsOf(id).size() == 1);
        assertThat(fillsOf(id).get(0).get("firstSource").asText()).isEqualTo("websocket");
        venue().redeliver(tradeId);
        venue().redeliver(tradeId);
        await().atMost(WAIT).until(() -> fillsOf(id).get(0).get("deliveries").asInt() == 3);
        assertThat(post("/api/fills/sync", "").status()).isEqualTo(200);

        JsonNode fill = fillsOf(id).get(0);
        assertThat(fillsOf(id)).as("three WebSocket deliveries and a poll: one fill").hasSize(1);
        assertThat(fill.get("deliveries").asInt()).isEqualTo(4);
        assertThat(fill.get("tradeId").asText()).isEqualTo(tradeId);
        assertThat(fill.get("size").asText()).isEqualTo("5");
        assertThat(fill.get("role").asText()).isEqualTo("MAKER");
        JsonNode view = orderView(id);
        assertThat(view.get("state").asText()).isEqualTo("PARTIALLY_FILLED");
        assertThat(view.get("filledSize").asText()).isEqualTo("5");
        assertThat(view.get("averageFillPrice").asText()).isEqualTo("0.31");

        venue().setTradeStatus(tradeId, "MINED");
        venue().setTradeStatus(tradeId, "CONFIRMED");
        venue().redeliver(tradeId);
        await().atMost(WAIT).until(() -> fillsOf(id).get(0).get("status").asText().equals("CONFIRMED"));
        assertThat(fillsOf(id)).as("status changes update the fill").hasSize(1);
        assertThat(orderView(id).get("filledSize").asText()).isEqualTo("5");

        // A trade that fails at the venue takes its fill back out of the order and the position.
        String failing = venue().fillResting(List.of(o.get("orderHash").asText()), new BigDecimal("3"), 1).get(0);
        await().atMost(WAIT).until(() -> orderView(id).get("filledSize").asText().equals("8"));
        BigDecimal before = ourPosition(o.get("tokenId").asText());
        venue().setTradeStatus(failing, "FAILED");
        await().atMost(WAIT).until(() -> orderView(id).get("filledSize").asText().equals("5"));
        assertThat(ourPosition(o.get("tokenId").asText())).isEqualByComparingTo(before.subtract(new BigDecimal("3")));
        assertThat(orderView(id).get("events").findValuesAsText("detail")).anyMatch(d -> d.contains(failing + " FAILED"));
        venue().redeliver(failing);
        post("/api/fills/sync", "");
        assertThat(orderView(id).get("filledSize").asText()).as("a repeated FAILED changes nothing").isEqualTo("5");

        assertPositionsEqualTheVenues();
    }

    /**
     * A GTC that matched at once in full, whose trade then FAILED: its fill is taken back and it rests
     * again in the ledger — which the venue does not hold (the order is off the book, nothing traded):
     * the open-order sync finds it neither open nor traded and ends it, naming the failed trade.
     */
    @Test
    void aMatchedOrderWhoseTradeFailedIsEndedByTheSyncWithTheReason() {
        long id = matchedThenTradeFailed("fills-failed-gtc");
        assertThat(post("/api/orders/sync", "").status()).isEqualTo(200);

        JsonNode view = orderView(id);
        assertThat(view.get("state").asText()).isEqualTo("CANCELED");
        assertThat(view.get("filledSize").asText()).isEqualTo("0");
        assertThat(view.get("reason").asText()).contains("every trade of it", "FAILED", "open-order sync");
    }

    /** The same order cancelled by the trader: the venue holds nothing to cancel, and nothing of it traded. */
    @Test
    void aMatchedOrderWhoseTradeFailedIsCancelledWhenTheTraderAsks() {
        long id = matchedThenTradeFailed("fills-failed-gtc-cancel");
        Answer c = delete("/api/orders/" + id);
        assertThat(c.status()).as(c.body()).isEqualTo(200);
        assertThat(c.json().get("state").asText()).isEqualTo("CANCELED");
        assertThat(c.json().get("reason").asText()).contains("not canceled", "every trade of it", "FAILED");
    }

    /** The same order with its answer lost: recovery finds it not open and every trade of it FAILED — FAILED, never re-sent. */
    @Test
    void anOrderWhoseAnswerWasLostAndWhoseTradesFailedIsRecoveredFailed() {
        long id = matchedThenTradeFailed("fills-failed-lost");
        jdbc.update("UPDATE orders SET state = 'UNKNOWN' WHERE id = ?", id);
        int posts = venue().orderPostCount();
        runRecovery();
        JsonNode view = orderView(id);
        assertThat(view.get("state").asText()).isEqualTo("FAILED");
        assertThat(view.get("reason").asText()).contains("every trade of it", "FAILED");
        assertThat(venue().orderPostCount()).as("not sent again").isEqualTo(posts);
    }

    /** A GTC matched at once in full, then its trade FAILED: its fill taken back, LIVE again in the ledger. */
    private long matchedThenTradeFailed(String clientOrderId) {
        subscribed();
        // The channel follows a market only while an order of it can trade (FILLED cannot): an order resting
        // there keeps the frames of this one coming, whatever earlier tests left in the ledger.
        JsonNode anchor = post("/api/orders", order("sim-longshot", "YES", "BUY", "0.010", "100",
                "\"clientOrderId\":\"" + clientOrderId + "-anchor\"")).json();
        assertThat(anchor.get("state").asText()).as(anchor.toString()).isEqualTo("LIVE");
        streamingHere(anchor.get("market").asText());
        Answer a = post("/api/orders", order("sim-longshot", "YES", "BUY", "0.016", "70", "\"clientOrderId\":\"" + clientOrderId + "\""));
        assertThat(a.json().get("state").asText()).as(a.body()).isIn("MATCHED", "FILLED"); // its trade's frame can come first
        long id = a.json().get("id").asLong();
        String hash = a.json().get("orderHash").asText();
        String tradeId = venue().trades().stream().filter(t -> t.get("taker_order_id").asText().equals(hash)).findFirst()
                .orElseThrow().get("id").asText();
        await().atMost(WAIT).until(() -> orderView(id).get("state").asText().equals("FILLED"));
        venue().setTradeStatus(tradeId, "FAILED");
        await().atMost(WAIT).until(() -> orderView(id).get("state").asText().equals("LIVE"));
        assertThat(delete("/api/orders/" + anchor.get("id").asLong()).status()).isEqualTo(200);
        return id;
    }

    @Test
    void oneTakerTradeAcrossTwoOfOurMakersInTwoBucketsIsMergedPerOrder() {
        subscribed();
        JsonNode a = resting("fills-multi-a", "0.32", "10");
        JsonNode b = resting("fills-multi-b", "0.32", "10");
        List<String> ids = venue().fillResting(List.of(a.get("orderHash").asText(), b.get("orderHash").asText()),
                new BigDecimal("4"), 2);
        assertThat(ids).hasSize(2);
        for (JsonNode o : List.of(a, b)) {
            long id = o.get("id").asLong();
            await().atMost(WAIT).until(() -> fillsOf(id).size() == 2);
            JsonNode view = orderView(id);
            assertThat(view.get("fills")).as("two buckets of one match shown as one trade").hasSize(1);
            assertThat(view.get("fills").get(0).get("buckets").asInt()).isEqualTo(2);
            assertThat(view.get("fills").get(0).get("size").asText()).isEqualTo("4");
            assertThat(view.get("filledSize").asText()).isEqualTo("4");
            assertThat(view.get("state").asText()).isEqualTo("PARTIALLY_FILLED");
        }
        // The rest of A, less than 0.01 short: dust, A is FILLED.
        venue().fillResting(List.of(a.get("orderHash").asText()), new BigDecimal("5.995"), 1);
        await().atMost(WAIT).until(() -> orderView(a.get("id").asLong()).get("state").asText().equals("FILLED"));
        assertThat(orderView(a.get("id").asLong()).get("filledSize").asText()).isEqualTo("9.995");
        assertPositionsEqualTheVenues();

        // The audit: in step, nothing; B's sums edited by hand are shown, then set back to its fills'.
        assertThat(get("/api/fills/audit").json().get("drifts").findValuesAsText("orderId")).doesNotContain(b.get("id").asText());
        jdbc.update("UPDATE order_fills SET filled_size = 1, filled_notional = 0.32 WHERE order_id = ?", b.get("id").asLong());
        JsonNode drifts = get("/api/fills/audit").json().get("drifts");
        assertThat(drifts.findValuesAsText("orderId")).contains(b.get("id").asText());
        assertThat(post("/api/fills/audit", "").json().get("repaired").findValuesAsText("orderId")).contains(b.get("id").asText());
        assertThat(orderView(b.get("id").asLong()).get("filledSize").asText()).isEqualTo("4");
        assertThat(get("/api/fills/audit").json().get("drifts").findValuesAsText("orderId")).doesNotContain(b.get("id").asText());
    }

    @Test
    void anOrderInANewMarketExtendsTheSubscription() {
        subscribed();
        int subscriptions = SIM.sockets().subscriptions();
        int operations = SIM.sockets().subscriptionOperations();
        java.util.Set<String> before = SIM.sockets().subscribedMarkets();
        Answer a = post("/api/orders", order("sim-longshot", "YES", "BUY", "0.003", "50", "\"clientOrderId\":\"fills-new-market\""));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        String market = a.json().get("market").asText();
        await().atMost(WAIT).until(() -> SIM.sockets().subscribedMarkets().contains(market));
        if (!before.contains(market)) { // (other tests' open orders there may have named it already)
            // As documented: {"operation":"subscribe","markets":[…]} on the open connection, not a second auth subscription.
            assertThat(SIM.sockets().subscriptionOperations()).isGreaterThan(operations);
            assertThat(SIM.sockets().subscriptions()).isEqualTo(subscriptions);
        }
    }

    @Test
    void aCancelTheVenueMadeArrivesAsAnOrderEventAndMovesTheOrderAtOnce() {
        subscribed();
        JsonNode o = resting("fills-venue-cancel", "0.31", "10");
        long id = o.get("id").asLong();
        streamingHere(o.get("market").asText());
        venue().cancelOutside(o.get("orderHash").asText()); // another client, the dead-man switch, resolution
        await().atMost(WAIT).until(() -> orderView(id).get("state").asText().equals("CANCELED"));
        assertThat(orderView(id).get("events").findValuesAsText("source")).contains("ws-order-event");
    }

    @Test
    void aDroppedConnectionIsResubscribedAndTheGapIsCaughtUpByPolling() {
        subscribed();
        JsonNode o = resting("fills-gap", "0.33", "10");
        long id = o.get("id").asLong();
        int before = SIM.sockets().subscriptions();
        int caughtUp = polymarketUserChannel.catchUps();
        SIM.sockets().disconnectUsers();
        venue().fillResting(List.of(o.get("orderHash").asText()), new BigDecimal("2"), 1); // nobody listening
        post("/api/fills/sync", "");
        assertThat(fillsOf(id)).hasSize(1);
        assertThat(fillsOf(id).get(0).get("firstSource").asText()).isEqualTo("polling");

        await().atMost(WAIT).until(() -> SIM.sockets().subscriptions() > before
                && polymarketUserChannel.catchUps() > caughtUp); // the reconnect's own catch-up must not race the next frame
        venue().fillResting(List.of(o.get("orderHash").asText()), new BigDecimal("3"), 1);
        await().atMost(WAIT).until(() -> fillsOf(id).size() == 2);
        assertThat(fillsOf(id).get(0).get("firstSource").asText()).as("streamed again after the reconnect").isEqualTo("websocket");
        assertThat(orderView(id).get("filledSize").asText()).isEqualTo("5");
    }

    @Test
    void aMarketableOrdersTakerTradeFillsItAndAPositionMismatchRaisesAnAlert() {
        Answer a = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.62", "10", "\"clientOrderId\":\"fills-taker\""));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        long id = a.json().get("id").asLong();
        post("/api/fills/sync", "");
        JsonNode view = orderView(id);
        assertThat(view.get("state").asText()).isEqualTo("FILLED");
        assertThat(view.get("fills").get(0).get("role").asText()).isEqualTo("TAKER");
        // Priced at what it paid at the book's levels (its makers), not at its limit of 0.62 (the trade's own price).
        com.fasterxml.jackson.databind.node.ObjectNode trade = venue().trades().stream()
                .filter(t -> t.path("taker_order_id").asText().equals(a.json().get("orderHash").asText())).findFirst().orElseThrow();
        BigDecimal paid = BigDecimal.ZERO;
        for (JsonNode m : trade.get("maker_orders")) {
            paid = paid.add(new BigDecimal(m.get("matched_amount").asText()).multiply(new BigDecimal(m.get("price").asText())));
        }
        assertThat(trade.get("price").asText()).isEqualTo("0.62");
        assertThat(new BigDecimal(view.get("averageFillPrice").asText()))
                .isEqualByComparingTo(paid.divide(new BigDecimal("10"), 6, java.math.RoundingMode.HALF_EVEN));
        assertPositionsEqualTheVenues();

        // Someone trades on the account behind the gateway's back (a fill it cannot see): an alert, ours unchanged.
        String token = a.json().get("tokenId").asText();
        BigDecimal ours = ourPosition(token);
        jdbc.update("UPDATE fills SET size = size + 1 WHERE order_id = ?", id); // our numbers now differ from the venue's
        JsonNode synced = post("/api/fills/sync", "").json();
        assertThat(synced.get("alerts").findValuesAsText("tokenId")).contains(token);
        assertThat(ourPosition(token)).as("never overwritten by the venue's").isEqualByComparingTo(ours.add(BigDecimal.ONE));
        jdbc.update("UPDATE fills SET size = size - 1 WHERE order_id = ?", id);
        assertThat(post("/api/fills/sync", "").json().get("alerts").findValuesAsText("tokenId"))
                .as("agreeing again closes the alert").doesNotContain(token);
    }

    @Test
    void kalshiFillsArePolledOnceOnTheYesBookAndMatchKalshisPositions() {
        // A NO buy is an ask on Kalshi's YES book: the fill is kept as a YES sell at 1 - price.
        Answer a = post("/api/orders", KalshiFlowTest.kalshiOrder("NO", "BUY", "0.60", "4", "\"clientOrderId\":\"fills-kalshi\""));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        long id = a.json().get("id").asLong();
        post("/api/fills/sync", "");
        post("/api/fills/sync", "");
        List<JsonNode> fills = fillsOf(id);
        assertThat(fills).isNotEmpty().allMatch(f -> f.get("side").asText().equals("SELL") && f.get("status").asText().equals("CONFIRMED"));
        assertThat(fills.stream().mapToInt(f -> f.get("deliveries").asInt()).max().orElse(0)).as("polled twice").isGreaterThanOrEqualTo(2);
        for (JsonNode f : fills) {
            // Kalshi's fee_cost, kept with the fill: 0.07 × P × (1 − P) per contract to 4 places (the sim, as the contract).
            BigDecimal p = new BigDecimal(f.get("price").asText());
            BigDecimal each = new BigDecimal("0.07").multiply(p).multiply(BigDecimal.ONE.subtract(p)).setScale(4, java.math.RoundingMode.HALF_UP);
            assertThat(new BigDecimal(f.get("fee").asText())).as(f.toString())
                    .isEqualByComparingTo(each.multiply(new BigDecimal(f.get("size").asText())));
        }
        JsonNode view = orderView(id);
        assertThat(view.get("fills")).as("the order's fills carry their fees").isNotEmpty().allMatch(f -> f.get("fee").isTextual());
        assertThat(view.get("state").asText()).isEqualTo("FILLED");
        assertThat(view.get("filledSize").asText()).isEqualTo("4");
        assertThat(new BigDecimal(view.get("averageFillPrice").asText())).as("in the order's own (NO) terms")
                .isLessThanOrEqualTo(new BigDecimal("0.60"));
        JsonNode synced = post("/api/fills/sync", "").json();
        assertThat(synced.get("alerts").findValuesAsText("venue")).doesNotContain("kalshi");
        BigDecimal ours = BigDecimal.ZERO;
        for (JsonNode p : synced.get("positions")) {
            if (p.get("venue").asText().equals("kalshi") && p.get("tokenId").asText().equals("SIM-KX-RAIN")) {
                ours = new BigDecimal(p.get("size").asText());
            }
        }
        assertThat(ours).isEqualByComparingTo(kalshi().position("sim-dev-key-0001", "SIM-KX-RAIN"));
    }

    @Autowired
    com.oddsgate.venue.VenueChannels kalshiFillChannel;

    @Test
    void kalshiFillsStreamOverTheSignedChannelAndALostFrameIsCaughtUpByPolling() {
        await().atMost(WAIT).until(() -> SIM.sockets().kalshiSubscriptions() > 0);
        Answer a = post("/api/orders", KalshiFlowTest.kalshiOrder("YES", "BUY", "0.60", "2", "\"clientOrderId\":\"fills-kalshi-ws\""));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        long id = a.json().get("id").asLong();
        await().atMost(WAIT).until(() -> !fillsOf(id).isEmpty() && orderView(id).get("state").asText().equals("FILLED"));
        assertThat(fillsOf(id)).allMatch(f -> f.get("firstSource").asText().equals("websocket"));

        // One frame lost on the way. Fill frames carry no seq, so nothing in the stream shows it:
        // the catch-up from /portfolio/fills (here the sync; also every reconnect and the polling timer) brings it.
        SIM.sockets().dropKalshiFills(1);
        long lost = post("/api/orders", KalshiFlowTest.kalshiOrder("YES", "BUY", "0.60", "1", "\"clientOrderId\":\"fills-kalshi-lost\""))
                .json().get("id").asLong();
        long next = post("/api/orders", KalshiFlowTest.kalshiOrder("YES", "BUY", "0.60", "1", "\"clientOrderId\":\"fills-kalshi-next\""))
                .json().get("id").asLong();
        await().atMost(WAIT).until(() -> !fillsOf(next).isEmpty());
        assertThat(fillsOf(lost)).as("the lost frame's fill is not known before a catch-up").isEmpty();
        post("/api/fills/sync", "");
        await().atMost(WAIT).until(() -> !fillsOf(lost).isEmpty());
        assertThat(fillsOf(lost).get(0).get("firstSource").asText()).isEqualTo("polling");
        assertThat(fillsOf(next).get(0).get("firstSource").asText()).isEqualTo("websocket");
        assertThat(fillsOf(next).get(0).get("deliveries").asInt()).as("streamed, then polled: one fill").isEqualTo(2);
        assertThat(kalshiFillChannel.connects()).isPositive();
    }

    @Test
    void aKalshiFillWhoseRestFillIdDiffersFromTheFramesTradeIdIsCountedOnce() {
        countedOnceWhenFillIdsDiffer("fills-kalshi-ids");
    }

    /** The other reading of the docs: the frame's trade_id is the REST fill's fill_id. */
    @Test
    void aKalshiFillWhoseFrameCarriesTheRestFillIdIsCountedOnce() {
        kalshi().framesCarryFillIds(true);
        try {
            countedOnceWhenFillIdsDiffer("fills-kalshi-frame-fill-id");
        } finally {
            kalshi().framesCarryFillIds(false);
        }
    }

    private void countedOnceWhenFillIdsDiffer(String clientOrderId) {
        await().atMost(WAIT).until(() -> SIM.sockets().kalshiSubscriptions() > 0);
        kalshi().fillIdsDifferFromTradeIds(true);
        try {
            long id = post("/api/orders", KalshiFlowTest.kalshiOrder("YES", "BUY", "0.60", "3",
                    "\"clientOrderId\":\"" + clientOrderId + "\"")).json().get("id").asLong();
            await().atMost(WAIT).until(() -> !fillsOf(id).isEmpty());
            post("/api/fills/sync", "");
            await().atMost(WAIT).until(() -> fillsOf(id).get(0).get("deliveries").asInt() >= 2);
            assertThat(fillsOf(id)).as("one fill, seen on the channel and in /portfolio/fills").hasSize(1);
            assertThat(new BigDecimal(orderView(id).get("filledSize").asText())).isEqualByComparingTo("3");
        } finally {
            kalshi().fillIdsDifferFromTradeIds(false);
        }
    }

    private BigDecimal ourPosition(String token) {
        for (JsonNode p : get("/api/positions?venue=polymarket").json().get("positions")) {
            if (p.get("tokenId").asText().equals(token)) {
                return new BigDecimal(p.get("size").asText());
            }
        }
        return BigDecimal.ZERO;
    }

    private void assertPositionsEqualTheVenues() {
        JsonNode synced = post("/api/fills/sync", "").json();
        Map<String, BigDecimal> ours = new HashMap<>();
        for (JsonNode p : synced.get("positions")) {
            if (p.get("account").asText().equals(trades.accountId()) && new BigDecimal(p.get("size").asText()).signum() != 0) {
                ours.put(p.get("tokenId").asText(), new BigDecimal(p.get("size").asText()).stripTrailingZeros());
            }
        }
        Map<String, BigDecimal> theirs = new HashMap<>(venue().positionsOf(trades.accountId()));
        theirs.values().removeIf(v -> v.signum() == 0);
        assertThat(ours).isEqualTo(theirs);
        assertThat(synced.get("alerts")).isEmpty();
    }
}
