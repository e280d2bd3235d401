package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oddsgate.message.Json;
import com.oddsgate.fills.Fill;
import com.oddsgate.fills.TradeStatus;
import com.oddsgate.kalshi.KalshiAccount;
import com.oddsgate.kalshi.KalshiAnswers;
import com.oddsgate.kalshi.KalshiFills;
import com.oddsgate.kalshi.KalshiSettings;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.VenueOutcome;
import com.oddsgate.polymarket.protocol.PolymarketAccount;
import com.oddsgate.polymarket.protocol.PolymarketAnswers;
import com.oddsgate.polymarket.protocol.PolymarketTrades;
import com.oddsgate.venue.RetryableVenueException;

/**
 * The venues' documented shapes ({@code src/test/resources/venue-contracts}, a copy of
 * {@code shared/venue-contracts}) against the gateway and the simulators:
 * (a) every documented answer, fed to the gateway's parsers, means what the contract says;
 * (b) every simulator answer for those calls has the documented fields with the same JSON types,
 * and no field the venue does not send.
 */
class VenueContractTest extends GatewayTestSupport {

    static void sameShape(String where, JsonNode documented, JsonNode actual) {
        ContractShapes.sameShape(where, documented, actual);
    }

    static JsonNode call(JsonNode contract, String name) {
        return ContractShapes.call(contract, name);
    }

    static JsonNode answer(JsonNode contract, String call, int index) {
        return ContractShapes.answer(contract, call, index);
    }


    static final JsonNode KALSHI = ContractShapes.contract("kalshi-2026.json");
    static final JsonNode POLYMARKET = ContractShapes.contract("polymarket-2026.json");

    @Autowired
    KalshiFills kalshiFills;
    @Autowired
    KalshiAccount kalshiAccount;
    @Autowired
    KalshiSettings kalshiSettings;
    @Autowired
    PolymarketTrades polymarketTrades;
    @Autowired
    PolymarketAccount polymarketAccount;

    // ---- (a) the gateway's parsers -------------------------------------------------------------

    @Test
    void everyDocumentedKalshiCreateAnswerMeansWhatTheContractSays() {
        KalshiAnswers answers = new KalshiAnswers();
        List<OrderState> states = new ArrayList<>();
        for (JsonNode a : call(KALSHI, "create order (V2)").get("answers")) {
            int status = a.get("status").asInt();
            String body = a.get("body").toString();
            if (status == 429) {
                assertThatThrownBy(() -> answers.placement(status, body, null, "good_till_canceled"))
                        .isInstanceOf(RetryableVenueException.class);
                continue;
            }
            VenueOutcome o = answers.placement(status, body, null, "good_till_canceled");
            states.add(o.state());
            if (status == 201) {
                assertThat(o.venueOrderId()).isEqualTo(a.get("body").get("order_id").asText());
            }
        }
        // resting, filled at once, partly filled, refused, client_order_id already used
        assertThat(states).containsExactly(OrderState.LIVE, OrderState.MATCHED, OrderState.PARTIALLY_FILLED,
                OrderState.REJECTED, OrderState.UNKNOWN);
        VenueOutcome refused = answers.placement(400, answer(KALSHI, "create order (V2)", 3).toString(), null, "good_till_canceled");
        assertThat(refused.reason()).contains("insufficient_balance");
    }

    @Test
    void anImmediateOrCancelOrderNeverRests() {
        KalshiAnswers answers = new KalshiAnswers();
        String partly = answer(KALSHI, "create order (V2)", 2).toString(); // fill 4, remaining 6
        assertThat(answers.placement(201, partly, null, "immediate_or_cancel").state()).isEqualTo(OrderState.MATCHED);
        String nothing = "{\"order_id\":\"x\",\"client_order_id\":\"c\",\"fill_count\":\"0.00\",\"remaining_count\":\"0.00\",\"ts_ms\":1}";
        assertThat(answers.placement(201, nothing, null, "immediate_or_cancel").state()).isEqualTo(OrderState.CANCELED);
        assertThat(answers.placement(201, "{\"surprise\":true}", null, "good_till_canceled").state())
                .as("accepted but unreadable: resolved later, never REJECTED").isEqualTo(OrderState.UNKNOWN);
    }

    @Test
    void kalshiBatchItemsAndOrderObjectsMeanWhatTheContractSays() {
        JsonNode items = answer(KALSHI, "batch create (V2)", 0).get("orders");
        VenueOutcome placed = KalshiAnswers.created(items.get(0), items.get(0).toString(), "good_till_canceled");
        assertThat(placed.state()).isEqualTo(OrderState.LIVE);
        assertThat(placed.venueOrderId()).isEqualTo("a1b2c3d4-0000-4000-8000-000000000001");
        VenueOutcome refused = KalshiAnswers.refusal(400, items.get(1), items.get(1).toString());
        assertThat(refused.state()).isEqualTo(OrderState.REJECTED);
        assertThat(refused.reason()).contains("invalid_price");

        JsonNode order = answer(KALSHI, "get order / list orders", 0).get("order");
        VenueOutcome read = KalshiAnswers.orderState(order, order.toString(), "");
        assertThat(read.state()).as("canceled after a partial fill: CANCELED, its fills still count").isEqualTo(OrderState.CANCELED);
        assertThat(read.reason()).contains("filled 4.00 of 10.00");
        ObjectNode resting = ((ObjectNode) order.deepCopy()).put("status", "resting").put("remaining_count_fp", "6.00");
        assertThat(KalshiAnswers.orderState(resting, "", "").state()).isEqualTo(OrderState.PARTIALLY_FILLED);
        ObjectNode odd = ((ObjectNode) order.deepCopy()).put("status", "under_review");
        assertThat(KalshiAnswers.orderState(odd, "", "").state()).as("an unknown status word").isEqualTo(OrderState.UNKNOWN);
        ObjectNode executed = ((ObjectNode) order.deepCopy()).put("status", "executed").put("fill_count_fp", "10.00");
        assertThat(KalshiAnswers.orderState(executed, "", "").state()).as("all of it traded: its fills say FILLED").isEqualTo(OrderState.MATCHED);
        // Nothing remains but only 4 of 10 traded (decreased, or an IOC's rest killed): it fills no further.
        // MATCHED here left a PARTIALLY_FILLED order resting in the ledger for good (a placement-type answer never moves a filling one).
        ObjectNode executedShort = ((ObjectNode) order.deepCopy()).put("status", "executed");
        VenueOutcome ended = KalshiAnswers.orderState(executedShort, "", "");
        assertThat(ended.state()).isEqualTo(OrderState.CANCELED);
        assertThat(ended.reason()).contains("executed (filled 4.00 of 10.00)");
        assertThat(OrderState.PARTIALLY_FILLED.canBecome(ended.state())).isTrue();
    }

    @Test
    void aKalshiFillFromRestAndFromTheChannelIsOneFill() throws Exception {
        JsonNode rest = answer(KALSHI, "fills", 0).get("fills").get(0);
        Fill polled = kalshiFills.fromFill(rest);
        Fill streamed = kalshiFills.fromChannel(KALSHI.get("websocket").get("fill_frame").toString()).get(0);
        assertThat(streamed.tradeId()).isEqualTo(polled.tradeId());
        assertThat(streamed.venueOrderId()).isEqualTo(polled.venueOrderId()).isEqualTo("6b1d0c55-2f7e-4c1e-8a4b-0d5e3c2b1a99");
        assertThat(polled.size()).isEqualByComparingTo("4");
        assertThat(polled.price()).isEqualByComparingTo("0.55");
        assertThat(polled.side()).isEqualTo(com.oddsgate.order.Side.BUY);
        assertThat(streamed.matchedAt()).isEqualTo(Instant.ofEpochMilli(1795990001000L));
        assertThat(polled.fee()).as("fee_cost, kept as reported").isEqualByComparingTo("0.0692").isEqualByComparingTo(streamed.fee());
        // A figure the ledger cannot hold costs the fill nothing but its fee.
        Fill garbled = kalshiFills.fromFill(((ObjectNode) rest.deepCopy()).put("fee_cost", "1e13"));
        assertThat(garbled.fee()).isNull();
        assertThat(garbled.size()).isEqualByComparingTo("4");

        // Kalshi does not document that fill_id equals trade_id: the trade id is the identity, a differing fill_id its alias.
        ObjectNode otherFillId = ((ObjectNode) rest.deepCopy()).put("fill_id", "f-other");
        assertThat(kalshiFills.fromFill(otherFillId).tradeId()).isEqualTo(streamed.tradeId());
        assertThat(kalshiFills.fromFill(otherFillId).alias()).isEqualTo("f-other");
        assertThat(polled.alias()).as("the same id twice: no alias").isNull();

        // side yes|no with action buy|sell, as documented: a NO buy is a YES sell at the YES price (kept on the YES book).
        Fill noBuy = kalshiFills.fromFill(((ObjectNode) rest.deepCopy()).put("side", "no").put("action", "buy"));
        assertThat(noBuy.side()).isEqualTo(com.oddsgate.order.Side.SELL);
        assertThat(noBuy.price()).isEqualByComparingTo("0.55");
        Fill noSell = kalshiFills.fromFill(((ObjectNode) rest.deepCopy()).put("side", "no").put("action", "sell"));
        assertThat(noSell.side()).isEqualTo(com.oddsgate.order.Side.BUY);
        assertThat(kalshiFills.fromFill(((ObjectNode) rest.deepCopy()).put("action", "sell")).side()).isEqualTo(com.oddsgate.order.Side.SELL);
        // Neither side guessed nor a time made up: such a fill is refused (quarantined by the poll), not booked.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> kalshiFills.fromFill(((ObjectNode) rest.deepCopy()).without("action")))
                .hasMessageContaining("action");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> kalshiFills.fromFill(((ObjectNode) rest.deepCopy()).put("action", "close")))
                .hasMessageContaining("close");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> kalshiFills.fromFill(((ObjectNode) rest.deepCopy()).without("created_time")))
                .hasMessageContaining("time");
        assertThat(kalshiFills.fromFill(((ObjectNode) rest.deepCopy()).put("action", "SELL")).side()).isEqualTo(com.oddsgate.order.Side.SELL);
    }

    @Test
    void aPolymarketUserChannelTradeBooksOnlyOurPart() {
        String apiKey = polymarketAccount.credentials().apiKey();
        JsonNode documented = POLYMARKET.get("websocket_user_channel").get("trade_event");
        // As documented: we are the maker (trader_side MAKER); owner is us, the receiver.
        String asMaker = documented.toString().replace("9180014b-33c8-9240-a14b-bdca11c0a465", apiKey);
        List<Fill> fills = polymarketTrades.fromTrade(Json.tryRead(asMaker));
        assertThat(fills).hasSize(1);
        assertThat(fills.get(0).role()).isEqualTo("MAKER");
        assertThat(fills.get(0).venueOrderId()).isEqualTo("0xff35…");
        assertThat(fills.get(0).size()).isEqualByComparingTo("10");
        assertThat(fills.get(0).price()).isEqualByComparingTo("0.57");

        // The same trade received by the taker: the maker order belongs to someone else.
        ObjectNode asTaker = (ObjectNode) Json.tryRead(documented.toString().replace("9180014b-33c8-9240-a14b-bdca11c0a465", "someone-else"));
        asTaker.put("owner", apiKey).put("trade_owner", apiKey).put("trader_side", "TAKER");
        List<Fill> taker = polymarketTrades.fromTrade(asTaker);
        assertThat(taker).hasSize(1);
        assertThat(taker.get(0).role()).isEqualTo("TAKER");
        assertThat(taker.get(0).venueOrderId()).isEqualTo("0x06bc…");

        // Without trader_side, trade_owner naming us (as it does for a maker, the receiver) does not make the taker ours.
        ObjectNode noSide = (ObjectNode) Json.tryRead(asMaker);
        noSide.remove("trader_side");
        assertThat(polymarketTrades.fromTrade(noSide)).extracting(Fill::role).containsExactly("MAKER");
        asTaker.remove("trader_side");
        assertThat(polymarketTrades.fromTrade(asTaker)).extracting(Fill::role).containsExactly("TAKER");

        // A status word missing altogether is an unknown one: kept UNKNOWN for that trade, not the trade set aside.
        ObjectNode noStatus = (ObjectNode) Json.tryRead(asMaker);
        noStatus.remove("status");
        assertThat(polymarketTrades.fromTrade(noStatus)).extracting(Fill::status).containsExactly(TradeStatus.UNKNOWN);

        // Older pages say matchtime: the same fill.
        ObjectNode older = (ObjectNode) Json.tryRead(asMaker);
        older.set("matchtime", older.remove("match_time"));
        assertThat(polymarketTrades.fromTrade(older).get(0).matchedAt()).isEqualTo(fills.get(0).matchedAt());
    }

    @Test
    void everyDocumentedTradeStatusIsKnownAndAnUnknownWordIsKeptUnknown() {
        for (JsonNode s : POLYMARKET.get("trade_statuses")) {
            assertThat(TradeStatus.parse(s.asText())).as(s.asText()).isNotEqualTo(TradeStatus.UNKNOWN);
            assertThat(TradeStatus.parse("TRADE_STATUS_" + s.asText())).isEqualTo(TradeStatus.parse(s.asText()));
        }
        assertThat(TradeStatus.parse("MATCHED_NOT_BROADCASTED")).isEqualTo(TradeStatus.MATCHED);
        assertThat(TradeStatus.parse("SETTLING_SOMEHOW")).isEqualTo(TradeStatus.UNKNOWN);
        assertThat(TradeStatus.UNKNOWN.counts()).isTrue();
        assertThat(TradeStatus.UNKNOWN.canBecome(TradeStatus.CONFIRMED)).isTrue();
        assertThat(TradeStatus.CONFIRMED.canBecome(TradeStatus.UNKNOWN)).isFalse();
    }

    @Test
    void everyDocumentedPolymarketPlacementAnswerMeansWhatTheContractSays() {
        PolymarketAnswers answers = new PolymarketAnswers();
        List<String> seen = new ArrayList<>();
        for (JsonNode a : call(POLYMARKET, "post order").get("answers")) {
            int status = a.get("status").asInt();
            String meaning = a.get("meaning").asText();
            if (status == 425 || status == 503) {
                assertThatThrownBy(() -> answers.map(status, a.get("body").toString(), null))
                        .as(meaning).isInstanceOf(RetryableVenueException.class);
                continue;
            }
            VenueOutcome o = answers.map(status, a.get("body").toString(), null);
            seen.add(o.state().name());
            if (meaning.startsWith("accepted resting")) {
                assertThat(o.state()).isEqualTo(OrderState.LIVE);
            } else if (meaning.startsWith("matched")) {
                assertThat(o.state()).isEqualTo(OrderState.MATCHED);
            } else if (meaning.startsWith("status delayed")) {
                assertThat(o.state()).isEqualTo(OrderState.DELAYED);
            } else if (meaning.startsWith("same signed order")) {
                assertThat(o.state()).as("never a new signature").isEqualTo(OrderState.UNKNOWN);
            } else {
                assertThat(o.state()).as(meaning).isEqualTo(OrderState.REJECTED);
            }
        }
        assertThat(seen).hasSize(6);
        String unknownWord = "{\"success\":true,\"errorMsg\":\"\",\"orderID\":\"0xabc\",\"status\":\"queued\"}";
        assertThat(answers.map(200, unknownWord, null).state()).as("an unknown status word is not a refusal")
                .isEqualTo(OrderState.UNKNOWN);
    }

    @Test
    void aChangedUserChannelSubscriptionIsSentAsSubscribeAndUnsubscribeOperations() {
        String sent = "{\"auth\":{\"apiKey\":\"k\"},\"markets\":[\"0xa\",\"0xb\"],\"type\":\"user\"}";
        String now = "{\"auth\":{\"apiKey\":\"k\"},\"markets\":[\"0xb\",\"0xc\"],\"type\":\"user\"}";
        assertThat(polymarketTrades.subscriptionChanges(sent, now)).containsExactly(
                "{\"operation\":\"unsubscribe\",\"markets\":[\"0xa\"]}", "{\"operation\":\"subscribe\",\"markets\":[\"0xc\"]}");
        assertThat(polymarketTrades.subscriptionChanges(now, now)).isEmpty();
        JsonNode documented = POLYMARKET.get("websocket_user_channel").get("change_subscription");
        sameShape("subscription change", documented, Json.tryRead(polymarketTrades.subscriptionChanges(sent, now).get(0)));
    }

    @Test
    void polymarketPositionsArePagedPastTheDataApisLimitOf500() {
        Map<String, java.math.BigDecimal> many = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 1_234; i++) {
            many.put("9" + String.format("%075d", i), java.math.BigDecimal.valueOf(i % 7 + 1));
        }
        venue().addHoldings(polymarketTrades.accountId(), many);
        try {
            Map<String, java.math.BigDecimal> read = polymarketTrades.venuePositions().sizes();
            assertThat(read).containsAllEntriesOf(many);
        } finally {
            venue().clearHoldings();
        }
    }

    // ---- (b) the simulators' answers ------------------------------------------------------------

    @Test
    void theKalshiSimulatorAnswersInTheDocumentedShapes() {
        String ticker = "SIM-KX-RAIN";
        Reply resting = kalshiCall("POST", "/portfolio/events/orders", kalshiOrder(ticker, "ct-rest", "bid", "3.00", "0.2000", "good_till_canceled"));
        assertThat(resting.status()).isEqualTo(201);
        sameShape("create (resting)", answer(KALSHI, "create order (V2)", 0), resting.json());
        Reply filled = kalshiCall("POST", "/portfolio/events/orders", kalshiOrder(ticker, "ct-fill", "bid", "2.00", "0.4600", "fill_or_kill"));
        sameShape("create (filled)", answer(KALSHI, "create order (V2)", 1), filled.json());
        Reply refused = kalshiCall("POST", "/portfolio/events/orders", kalshiOrder(ticker, "ct-off", "bid", "2.00", "0.2050", "good_till_canceled"));
        assertThat(refused.status()).isEqualTo(400);
        sameShape("create (refused)", answer(KALSHI, "create order (V2)", 3), refused.json());
        Reply again = kalshiCall("POST", "/portfolio/events/orders", kalshiOrder(ticker, "ct-rest", "bid", "3.00", "0.2000", "good_till_canceled"));
        assertThat(again.status()).isEqualTo(409);

        Reply batch = kalshiCall("POST", "/portfolio/events/orders/batched", "{\"orders\":[" + kalshiOrder(ticker, "ct-b1", "bid", "2.00", "0.2100",
                "good_till_canceled") + "," + kalshiOrder(ticker, "ct-b2", "bid", "2.00", "0.2150", "good_till_canceled") + "]}");
        assertThat(batch.status()).isEqualTo(201);
        JsonNode documentedItems = answer(KALSHI, "batch create (V2)", 0).get("orders");
        sameShape("batch item (placed)", documentedItems.get(0), batch.json().get("orders").get(0));
        sameShape("batch item (error)", documentedItems.get(1), batch.json().get("orders").get(1));

        String restingId = resting.json().get("order_id").asText();
        Reply read = kalshiCall("GET", "/portfolio/orders/" + restingId, null);
        sameShape("get order", answer(KALSHI, "get order / list orders", 0), read.json());
        Reply cancel = kalshiCall("DELETE", "/portfolio/events/orders/" + restingId, null);
        assertThat(cancel.status()).isEqualTo(200);
        sameShape("cancel", answer(KALSHI, "cancel (V2)", 0), cancel.json());
        Reply gone = kalshiCall("DELETE", "/portfolio/events/orders/" + restingId, null);
        assertThat(gone.status()).isEqualTo(404);
        sameShape("cancel (not open)", answer(KALSHI, "cancel (V2)", 1), gone.json());

        String b1 = batch.json().get("orders").get(0).get("order_id").asText();
        Reply batchCancel = kalshiCall("DELETE", "/portfolio/events/orders/batched",
                "{\"orders\":[{\"order_id\":\"" + b1 + "\"},{\"order_id\":\"" + restingId + "\"}]}");
        JsonNode documentedCancels = answer(KALSHI, "batch cancel (V2)", 0).get("orders");
        sameShape("batch cancel item", documentedCancels.get(0), batchCancel.json().get("orders").get(0));
        sameShape("batch cancel error", documentedCancels.get(1), batchCancel.json().get("orders").get(1));
        assertThat(kalshiCall("DELETE", "/portfolio/events/orders/batched", "{\"ids\":[\"" + b1 + "\"]}").status())
                .as("the legacy {ids} body").isEqualTo(400);

        sameShape("fills", answer(KALSHI, "fills", 0), kalshiCall("GET", "/portfolio/fills?limit=1", null).json());
        sameShape("positions", answer(KALSHI, "positions", 0), kalshiCall("GET", "/portfolio/positions", null).json());
        sameShape("balance", answer(KALSHI, "balance", 0), kalshiCall("GET", "/portfolio/balance", null).json());
        // The contract's market answer lists no title or close_time; the Market schema of Kalshi's API
        // (docs.kalshi.com/openapi.yaml) has both, and the cross-venue event registry compares them.
        ObjectNode documentedMarket = answer(KALSHI, "market", 0).deepCopy();
        ((ObjectNode) documentedMarket.get("market")).put("title", "Will the high temp in NYC be >50° on Nov 30, 2026?")
                .put("close_time", "2026-12-01T04:59:00Z");
        sameShape("market", documentedMarket, kalshiCall("GET", "/markets/" + ticker, null).json());
        sameShape("orderbook", answer(KALSHI, "orderbook", 0), kalshiCall("GET", "/markets/" + ticker + "/orderbook", null).json());

        Reply legacy = kalshiCall("POST", "/portfolio/orders", kalshiOrder(ticker, "ct-legacy", "bid", "1.00", "0.2000", "good_till_canceled"));
        assertThat(legacy.status()).isEqualTo(410);
        sameShape("legacy create", answer(KALSHI, "legacy create", 0), legacy.json());
    }

    @Test
    void theShapeCheckCatchesAChangedTypeAMissingFieldAndAnInventedOne() {
        JsonNode documented = Json.tryRead("{\"count\":\"1.00\",\"items\":[{\"id\":\"a\"}]}");
        sameShape("same", documented, Json.tryRead("{\"count\":\"2.00\",\"items\":[{\"id\":\"b\"}]}"));
        assertThatThrownBy(() -> sameShape("number", documented, Json.tryRead("{\"count\":2,\"items\":[]}")))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> sameShape("missing", documented, Json.tryRead("{\"items\":[]}")))
                .isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> sameShape("invented", documented, Json.tryRead("{\"count\":\"1\",\"items\":[{\"id\":\"a\",\"seq\":1}]}")))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void thePolymarketSimulatorsPlacementAnswersHaveTheDocumentedShapes() {
        Answer live = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.22", "5", "\"clientOrderId\":\"ct-poly-live\""));
        Answer matched = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.99", "5", "\"timeInForce\":\"FOK\","
                + "\"clientOrderId\":\"ct-poly-matched\""));
        assertThat(matched.json().get("state").asText()).as(matched.body()).isEqualTo("MATCHED");
        sameShape("placement (live)", answer(POLYMARKET, "post order", 0), venueAnswer(live));
        sameShape("placement (matched)", answer(POLYMARKET, "post order", 1), venueAnswer(matched));
        delete("/api/orders/" + live.json().get("id").asLong());
        venue().matchingDelay("sim-btc-100k", java.time.Duration.ofMillis(300));
        try {
            Answer delayed = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.99", "5", "\"timeInForce\":\"FOK\","
                    + "\"clientOrderId\":\"ct-poly-delayed\""));
            assertThat(delayed.json().get("state").asText()).as(delayed.body()).isEqualTo("DELAYED");
            sameShape("placement (delayed)", answer(POLYMARKET, "post order", 2), venueAnswer(delayed));
        } finally {
            venue().matchingDelay("sim-btc-100k", null);
        }
    }

    /** The venue's raw answer the ledger kept for the order's placement. */
    private JsonNode venueAnswer(Answer placed) {
        for (JsonNode e : get("/api/orders/" + placed.json().get("id").asLong()).json().get("events")) {
            if (e.hasNonNull("venueAnswer") && e.get("venueAnswer").asText().contains("orderID")) {
                return Json.tryRead(e.get("venueAnswer").asText());
            }
        }
        throw new AssertionError("no venue answer recorded: " + placed.body());
    }

    @Test
    void thePolymarketSimulatorsTradesHaveTheDocumentedShapes() {
        String apiKey = polymarketAccount.credentials().apiKey();
        Answer resting = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.23", "10", "\"clientOrderId\":\"ct-poly-maker\""));
        assertThat(resting.status()).as(resting.body()).isEqualTo(201);
        String tradeId = venue().fillResting(List.of(resting.json().get("orderHash").asText()), new java.math.BigDecimal("2"), 1).get(0);
        JsonNode trade = venue().trades().stream().filter(t -> t.get("id").asText().equals(tradeId)).findFirst().orElseThrow();
        JsonNode channel = com.oddsgate.sim.PolymarketSim.addressedTo(trade, apiKey, true);
        sameShape("user-channel trade", POLYMARKET.get("websocket_user_channel").get("trade_event"), channel);
        assertThat(channel.get("trader_side").asText()).isEqualTo("MAKER");
        assertThat(channel.get("owner").asText()).isEqualTo(apiKey);
        JsonNode polled = com.oddsgate.sim.PolymarketSim.addressedTo(trade, apiKey, false);
        sameShape("/data/trades item", POLYMARKET.get("data_trades").get("item"), polled);
        // The taker receives the same trade addressed to it.
        assertThat(com.oddsgate.sim.PolymarketSim.addressedTo(trade, trade.get("trade_owner").asText(), true).get("trader_side").asText())
                .isEqualTo("TAKER");
        delete("/api/orders/" + resting.json().get("id").asLong());
    }

    @Test
    void oddStatusesAndAnUnreadableTradeInOnePollLeaveEveryOtherTradeRecorded() {
        List<Long> ids = new ArrayList<>();
        List<String> trades = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Answer a = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.2" + i, "10", "\"clientOrderId\":\"ct-poll-" + i + "\""));
            assertThat(a.status()).as(a.body()).isEqualTo(201);
            ids.add(a.json().get("id").asLong());
            trades.add(venue().fillResting(List.of(a.json().get("orderHash").asText()), new java.math.BigDecimal("3"), 1).get(0));
        }
        venue().setTradeStatus(trades.get(0), "MATCHED_NOT_BROADCASTED");
        venue().setTradeStatus(trades.get(1), "SETTLING_SOMEHOW"); // a word nobody documented
        venue().setTradeStatus(trades.get(2), "TRADE_STATUS_CONFIRMED");
        String takerOrder = venue().trades().stream().filter(t -> t.get("id").asText().equals(trades.get(3))).findFirst().orElseThrow()
                .get("taker_order_id").asText();
        venue().garbleTrade(trades.get(3), "taker_order_id", "");
        post("/api/fills/sync", "");
        List<String> statuses = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode fills = get("/api/fills?orderId=" + ids.get(i)).json().get("fills");
            assertThat(fills).as("order " + i).hasSize(1);
            statuses.add(fills.get(0).get("status").asText());
            assertThat(get("/api/orders/" + ids.get(i)).json().get("filledSize").asText()).isEqualTo("3");
        }
        assertThat(statuses).containsExactly("MATCHED", "UNKNOWN", "CONFIRMED");
        assertThat(get("/api/fills?orderId=" + ids.get(3)).json().get("fills")).as("the unreadable trade alone is skipped").isEmpty();
        assertThat(polymarketTrades.unknownStatuses()).isPositive();
        assertThat(polymarketTrades.unreadableTrades()).isPositive();
        venue().garbleTrade(trades.get(3), "taker_order_id", takerOrder);
        // readable again: the next poll books it
        post("/api/fills/sync", "");
        assertThat(get("/api/fills?orderId=" + ids.get(3)).json().get("fills")).hasSize(1);
        ids.forEach(id -> delete("/api/orders/" + id));
    }

    @Test
    void anOddOutcomeLabelIsStoredAsTheTokensOutcomeAndAnUnstorableTradeIsQuarantinedWhileTheOthersAreBooked() {
        List<Long> ids = new ArrayList<>();
        List<String> trades = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Answer a = post("/api/orders", order("sim-btc-100k", "NO", "BUY", "0.1" + i, "10", "\"clientOrderId\":\"ct-label-" + i + "\""));
            assertThat(a.status()).as(a.body()).isEqualTo(201);
            ids.add(a.json().get("id").asLong());
            trades.add(venue().fillResting(List.of(a.json().get("orderHash").asText()), new java.math.BigDecimal("3"), 1).get(0));
        }
        String market = venue().trades().stream().filter(t -> t.get("id").asText().equals(trades.get(1))).findFirst().orElseThrow()
                .get("market").asText();
        // A label that is no outcome of ours (a phrase far longer than YES/NO), and a trade the ledger cannot hold.
        venue().garbleTrade(trades.get(0), "outcome", "Will the incumbent win by more than ten points? (official result)");
        venue().garbleTrade(trades.get(1), "market", "0x" + "ab".repeat(150));
        try {
            post("/api/fills/sync", "");
            assertThat(jdbc.queryForObject("SELECT outcome FROM fills WHERE order_id = ?", String.class, ids.get(0)))
                    .as("the token's outcome, not the venue's label").isEqualTo("NO");
            assertThat(get("/api/orders/" + ids.get(0)).json().get("filledSize").asText()).isEqualTo("3");
            assertThat(get("/api/fills?orderId=" + ids.get(1)).json().get("fills")).as("quarantined, not stored").isEmpty();
            assertThat(get("/api/orders/" + ids.get(2)).json().get("filledSize").asText()).as("the poll went on").isEqualTo("3");
            JsonNode letters = get("/api/dead-letters?limit=500").json();
            assertThat(letters.toString()).contains("trade " + trades.get(1) + " quarantined");
            int quarantined = jdbc.queryForObject("SELECT COUNT(*) FROM dead_letters WHERE route_id = 'fills-polymarket'", Integer.class);
            post("/api/fills/sync", "");
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM dead_letters WHERE route_id = 'fills-polymarket'", Integer.class))
                    .as("kept once, however often the venue repeats it").isEqualTo(quarantined);
        } finally {
            venue().garbleTrade(trades.get(1), "market", market);
            ids.forEach(id -> delete("/api/orders/" + id));
        }
    }

    @Test
    void aFillSyncWhoseVenueReadFailsStillAnswersAndSaysWhich() {
        SIM.faults().next(com.oddsgate.sim.VenueFaults.Kind.UNAVAILABLE, 50, com.oddsgate.sim.VenueFaults.Target.FILL_READS);
        try {
            Answer a = post("/api/fills/sync", "");
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            assertThat(a.json().get("catchUpFailed").asText()).contains("poll-");
            assertThat(a.json().has("positions")).isTrue();
        } finally {
            SIM.faults().quiet();
        }
        assertThat(post("/api/fills/sync", "").json().has("catchUpFailed")).as("the next sync reads all").isFalse();
    }

    // ---- helpers -------------------------------------------------------------------------------

    record Reply(int status, JsonNode json) {
    }

    private Reply kalshiCall(String method, String pathAndQuery, String body) {
        int q = pathAndQuery.indexOf('?');
        String resource = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(kalshiSettings.url(pathAndQuery)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        kalshiAccount.headers(System.currentTimeMillis(), method, kalshiSettings.path(resource)).forEach(b::header);
        Answer a = send(b);
        return new Reply(a.status(), Json.tryRead(a.body()));
    }

    private static String kalshiOrder(String ticker, String clientOrderId, String side, String count, String price, String tif) {
        return "{\"ticker\":\"" + ticker + "\",\"client_order_id\":\"" + clientOrderId + "\",\"side\":\"" + side
                + "\",\"count\":\"" + count + "\",\"price\":\"" + price + "\",\"time_in_force\":\"" + tif
                + "\",\"self_trade_prevention_type\":\"taker_at_cross\"}";
    }

}
