package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** REST orders through the whole pipeline to the simulated CLOB and back into the ledger. */
class PolymarketFlowTest extends GatewayTestSupport {

    @org.springframework.beans.factory.annotation.Autowired
    com.oddsgate.polymarket.protocol.PolymarketFunds funds;

    @Test
    void aRefusalBeforeAnythingWasSentDoesNotBurnTheClientOrderId() {
        funds.forget();
        SIM.faults().balanceDown(true);
        Answer refused;
        try {
            refused = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.21", "5", "\"clientOrderId\":\"pf-released\""));
        } finally {
            SIM.faults().quiet();
        }
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.json().get("state").asText()).isEqualTo("REJECTED");
        long first = refused.json().get("id").asLong();

        // The balance is readable again: the same clientOrderId is a new order, placed.
        Answer placed = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.21", "5", "\"clientOrderId\":\"pf-released\""));
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        assertThat(placed.json().get("state").asText()).isEqualTo("LIVE");
        assertThat(placed.json().get("id").asLong()).isNotEqualTo(first);
        // The refusal keeps its record and still shows the id it was sent with.
        JsonNode old = get("/api/orders/" + first).json();
        assertThat(old.get("state").asText()).isEqualTo("REJECTED");
        assertThat(old.get("clientOrderId").asText()).isEqualTo("pf-released");
        assertThat(old.get("events").findValuesAsText("detail")).anyMatch(d -> d.contains("clientOrderId released"));
        // Once placed, the id is taken: a third request is the same order again, no venue call.
        int posts = venue().orderPostCount();
        Answer again = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.21", "5", "\"clientOrderId\":\"pf-released\""));
        assertThat(again.json().get("id").asLong()).isEqualTo(placed.json().get("id").asLong());
        assertThat(venue().orderPostCount()).isEqualTo(posts);
    }


    static final String NEG_RISK_NO_TOKEN = "89375613291833539920629145139880612726164548454038160775246786300392279963278";
    static final String ELECTION = "0x08e240d2f27bf1384e47333d7611eb5e34e65d37c952c25b276f9e1fa0ed96f4";

    @AfterEach
    void venueUp() throws Exception {
        venue().failNextOrderPosts(0, 503);
        SIM.start();
    }

    @Test
    void restOrderIsSignedAcceptedAndRecordedWithItsHistory() {
        Answer a = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.50", "10", "\"clientOrderId\":\"flow-1\""));
        assertThat(a.status()).isEqualTo(201);
        assertThat(a.json().get("state").asText()).isEqualTo("LIVE");
        String hash = a.json().get("orderHash").asText();
        assertThat(a.json().get("venueOrderId").asText()).isEqualTo(hash);
        assertThat(venue().orders()).containsKey(hash);

        JsonNode stored = get("/api/orders/" + a.json().get("id").asLong()).json();
        assertThat(stored.get("events").findValuesAsText("toState")).containsExactly("RECEIVED", "PENDING_SUBMIT", "LIVE");
        assertThat(stored.get("events").get(2).get("venueAnswer").asText()).contains("\"status\":\"live\"");
    }

    @Test
    void aGtdOrderIsSentWithTheVenuesOneMinuteThresholdAddedSoItLeavesWhenTheTraderAsked() {
        long wanted = java.time.Instant.now().getEpochSecond() + 30;
        Answer a = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.21", "5",
                "\"timeInForce\":\"GTD\",\"expiration\":" + wanted + ",\"clientOrderId\":\"flow-gtd\""));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        assertThat(a.json().get("state").asText()).isEqualTo("LIVE");
        assertThat(a.json().get("expiration").asLong()).as("the trader's expiration is recorded").isEqualTo(wanted);
        JsonNode sent = com.oddsgate.message.Json.tryRead(ledger.find(a.json().get("id").asLong()).orElseThrow().signedPayload());
        assertThat(sent.at("/order/expiration").asLong()).as("sent: wanted + 60 s").isEqualTo(wanted + 60);
        assertThat(sent.get("orderType").asText()).isEqualTo("GTD");
    }

    @Test
    void dashboardClickToSellOnANegRiskMarketIsSignedForTheNegRiskExchange() {
        String click = "{\"venue\":\"polymarket\",\"tokenId\":\"" + NEG_RISK_NO_TOKEN + "\",\"conditionId\":\"" + ELECTION
                + "\",\"tickSize\":\"0.01\",\"negRisk\":true,\"side\":\"no\",\"priceCents\":69,\"contracts\":10,\"action\":\"sell\"}";
        Answer preview = post("/api/orders/preview", click);
        assertThat(preview.status()).isEqualTo(200);
        assertThat(preview.json().get("exchange").asText()).isEqualTo("0xe2222d279d744050d28e00520010520000310F59");
        assertThat(preview.json().get("body").asText()).contains("\"side\":\"SELL\"");

        Answer a = post("/api/orders", click);
        assertThat(a.status()).isEqualTo(201);
        assertThat(a.json().get("side").asText()).isEqualTo("SELL");
        assertThat(a.json().get("outcome").asText()).isEqualTo("NO");
        assertThat(a.json().get("state").asText()).isIn("LIVE", "MATCHED");
        assertThat(venue().orders().get(a.json().get("orderHash").asText()).side().name()).isEqualTo("SELL");
    }

    @Test
    void cancelOfARestingOrderEndsCanceledAndAFilledOneCannotBe() {
        Answer a = post("/api/orders", order("sim-btc-100k", "NO", "BUY", "0.30", "5", "\"clientOrderId\":\"p-cancel\""));
        long id = a.json().get("id").asLong();
        Answer c = delete("/api/orders/" + id);
        assertThat(c.status()).as(a.body()).isEqualTo(200);
        assertThat(c.json().get("state").asText()).isEqualTo("CANCELED");
        assertThat(venue().orders().get(a.json().get("orderHash").asText()).status()).isEqualTo("CANCELED");
        assertThat(get("/api/orders/" + id).json().get("events").get(3).get("venueAnswer").asText()).contains("\"canceled\":[");
        assertThat(delete("/api/orders/" + id).status()).isEqualTo(409);

        Answer matched = post("/api/orders", order("sim-longshot", "YES", "BUY", "0.016", "80", "\"timeInForce\":\"FOK\""));
        assertThat(matched.json().get("state").asText()).isEqualTo("MATCHED");
        Answer refused = delete("/api/orders/" + matched.json().get("id").asLong());
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("error").asText()).contains("is MATCHED");
    }

    /**
     * A GTC order that the book fills in part is answered "matched" and rests with the rest: LIVE in
     * the ledger (MATCHED would leave the rest uncancellable by id and out of the open-order sync),
     * PARTIALLY_FILLED once the match's trade is read, and its rest cancelled by a DELETE.
     */
    @Test
    void aGtcOrderMatchedInPartRestsWithTheRestAndCanBeCancelled() {
        JsonNode top = get("/api/markets/sim-election-a/book").json().get("YES").get("asks").get(0);
        java.math.BigDecimal available = new java.math.BigDecimal(top.get("size").asText());
        java.math.BigDecimal size = available.add(java.math.BigDecimal.TEN);
        Answer a = post("/api/orders", order("sim-election-a", "YES", "BUY", top.get("price").asText(), size.toPlainString(),
                "\"clientOrderId\":\"p-part-rest\""));
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        assertThat(a.json().get("state").asText()).as(a.body()).isEqualTo("LIVE");
        assertThat(a.json().get("reason").asText()).contains("matched for " + available.stripTrailingZeros().toPlainString() + " of "
                + size.stripTrailingZeros().toPlainString() + " at once");
        String hash = a.json().get("orderHash").asText();
        assertThat(venue().orders().get(hash).status()).as("the rest rests at the venue").isEqualTo("LIVE");
        long id = a.json().get("id").asLong();

        post("/api/fills/sync", "");
        JsonNode partly = get("/api/orders/" + id).json();
        assertThat(partly.get("state").asText()).isEqualTo("PARTIALLY_FILLED");
        assertThat(new java.math.BigDecimal(partly.get("filledSize").asText())).isEqualByComparingTo(available);

        Answer c = delete("/api/orders/" + id);
        assertThat(c.status()).as(c.body()).isEqualTo(200);
        assertThat(c.json().get("state").asText()).isEqualTo("CANCELED");
        assertThat(venue().orders().get(hash).status()).isEqualTo("CANCELED");
    }

    @Test
    void ordersCanBeListedByStateAndVenueAndMarketsShowWhatWasResolved() {
        post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.33", "5", "\"clientOrderId\":\"list-live\""));
        post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.333", "5", "\"clientOrderId\":\"list-rejected\""));
        JsonNode live = get("/api/orders?state=live&venue=polymarket&limit=500").json();
        assertThat(live.get("orders").findValuesAsText("state")).containsOnly("LIVE");
        assertThat(live.get("orders").findValuesAsText("clientOrderId")).contains("list-live").doesNotContain("list-rejected");
        assertThat(get("/api/orders?state=REJECTED&limit=500").json().get("orders").findValuesAsText("clientOrderId"))
                .contains("list-rejected");
        assertThat(get("/api/orders?limit=1").json().get("count").asInt()).isEqualTo(1);
        Answer bad = get("/api/orders?state=SLEEPING");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("violations").get(0).get("field").asText()).isEqualTo("state");
        assertThat(get("/api/orders/999999").status()).isEqualTo(404);

        JsonNode m = get("/api/markets/sim-election-a").json();
        assertThat(m.get("conditionId").asText()).isEqualTo(ELECTION);
        assertThat(m.get("negRisk").asBoolean()).isTrue();
        assertThat(m.get("noTokenId").asText()).isEqualTo(NEG_RISK_NO_TOKEN);
        assertThat(m.get("tickSize").asText()).isEqualTo("0.01");
        assertThat(m.get("minimumSize").asText()).isEqualTo("5");
        assertThat(get("/api/markets/not-a-market").status()).isEqualTo(404);
    }

    @Test
    void oversizedOrUnmeasuredBodiesAreRefusedAsJson() throws Exception {
        Answer big = post("/api/orders", "{\"venue\":\"" + "x".repeat(1_100_000) + "\"}");
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.json().get("error").asText()).contains("exceeds the limit of 1048576");
        // A body streamed without Content-Length (chunked) cannot be bounded up front.
        java.net.http.HttpResponse<String> chunked = HTTP.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + port + "/api/orders")).header("Authorization", "Bearer " + TOKEN)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream("{}".getBytes()))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(411);
        Answer anonymous = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/orders")));
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().get("error").asText()).contains("bearer token");
    }

    @Test
    void theOpenApiDocumentDescribesTheRestApi() {
        Answer doc = get("/api/openapi.json");
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.json().get("openapi").asText()).startsWith("3.");
        assertThat(doc.json().get("paths").has("/api/orders")).isTrue();
        assertThat(doc.json().get("paths").has("/api/orders/{id}")).isTrue();
        assertThat(doc.json().at("/paths/~1api~1orders/post/summary").asText()).contains("201", "422");
        assertThat(doc.json().at("/paths/~1api~1orders/post/operationId").asText()).isEqualTo("api-post-order");
    }

    @Test
    void marketableOrderMatchesSeededLiquidity() {
        Answer a = post("/api/orders", order("sim-longshot", "YES", "BUY", "0.016", "100", "\"timeInForce\":\"FOK\""));
        assertThat(a.status()).isEqualTo(201);
        assertThat(a.json().get("state").asText()).isEqualTo("MATCHED");
    }

    @Test
    void sameClientOrderIdTwiceGivesOneVenueOrder() {
        String body = order("sim-btc-100k", "NO", "BUY", "0.40", "6", "\"clientOrderId\":\"dup-1\"");
        int posts = venue().orderPostCount();
        Answer first = post("/api/orders", body);
        Answer second = post("/api/orders", body);
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("id").asLong()).isEqualTo(first.json().get("id").asLong());
        assertThat(venue().orderPostCount()).isEqualTo(posts + 1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM orders WHERE client_order_id = 'dup-1'", Integer.class)).isEqualTo(1);
        assertThat(get("/api/orders/" + first.json().get("id").asLong()).json().get("events").toString())
                .contains("same clientOrderId received again");
    }

    @Test
    void rejectionsAreClearAndRecorded() {
        record Case(String body, String field, String reason) {
        }
        List<Case> cases = List.of(
                new Case(order("sim-btc-100k", "YES", "BUY", "0.505", "10", null), "price", "not on the market's tick grid"),
                new Case(order("sim-btc-100k", "YES", "BUY", "1.00", "10", null), "price", "between 0 and 1 exclusive"),
                new Case(order("sim-btc-100k", "YES", "BUY", "0.50", "4", null), "size", "below the market's minimum of 5"),
                new Case(order("no-such-market", "YES", "BUY", "0.50", "10", null), "market", "unknown market 'no-such-market'"),
                new Case(order("sim-btc-100k", "YES", "BUY", "0.50", "10.001", null), "size", "at most 2 decimals"),
                new Case(order("sim-btc-100k", "YES", "BUY", "0.50", "10", "\"timeInForce\":\"FOK\",\"postOnly\":true"),
                        "postOnly", "only with GTC or GTD"),
                new Case(order("sim-btc-100k", "YES", "BUY", "0.50", "10", "\"timeInForce\":\"GTD\",\"expiration\":\"1\""),
                        "expiration", "at least now + 5 s"),
                new Case(order("sim-longshot", "YES", "BUY", "0.016", "50", "\"timeInForce\":\"FAK\""), "size", "at least $1"),
                new Case(order("sim-btc-100k", "YES", "BUY", "1e500000000", "10", null), "price", "must be a decimal number"),
                new Case(order("sim-btc-100k", "YES", "BUY", "0.50", "1" + "0".repeat(40), null), "size", "must be a decimal number"),
                new Case("{\"venue\":\"pokermarket\",\"market\":\"x\",\"outcome\":\"YES\",\"side\":\"BUY\",\"price\":\"0.5\",\"size\":\"5\"}",
                        "venue", "unknown venue 'pokermarket'"),
                // Beyond what the ledger holds: refused by field and recorded, not a failed record (500).
                new Case(order("sim-btc-100k", "YES", "BUY", "1234567", "10", null), "price", "between 0 and 1 exclusive"),
                new Case(order("sim-btc-100k", "YES", "BUY", "0.50", "1" + "0".repeat(20), null), "size", "at most"),
                new Case(order("sim-btc-100k", "YES", "BUY", "0.50", "10", "\"clientOrderId\":\"" + "c".repeat(101) + "\""),
                        "clientOrderId", "1-64 characters"),
                new Case(order("sim-btc-100k", "YES", "BUY", "0.50", "10", null).replace("\"polymarket\"", "\"" + "p".repeat(40) + "\""),
                        "venue", "more than 32 characters"),
                new Case(order("m".repeat(129), "YES", "BUY", "0.50", "10", null), "market", "at most 128 characters"),
                new Case(order("sim-btc-100k", "YES", "BUY", "999999.9999995", "10", null), "price", "between 0 and 1 exclusive"),
                new Case("{\"venue\":\"polymarket\",\"tokenId\":\"" + "t".repeat(120) + "\",\"side\":\"BUY\",\"price\":\"0.5\","
                        + "\"size\":\"10\"}", "tokenId", "decimal ERC-1155 token id"),
                new Case(order("sim-btc-100k", "YES", "BUY", "0.50", "10", "\"reduceOnly\":true"), "reduceOnly",
                        "Polymarket has no reduce-only orders"),
                new Case("{not json", "body", "is not valid JSON"),
                // Two orders in one body: the second was read by nobody and the first placed alone.
                new Case(order("sim-btc-100k", "YES", "BUY", "0.50", "10", null) + order("sim-btc-100k", "YES", "BUY", "0.50", "10", null),
                        "body", "is not valid JSON"));
        int posts = venue().orderPostCount();
        for (Case c : cases) {
            Answer a = post("/api/orders", c.body());
            assertThat(a.status()).as(c.body()).isEqualTo(400);
            assertThat(a.json().get("violations").findValuesAsText("field")).as(c.body()).contains(c.field());
            assertThat(a.json().get("violations").toString()).as(c.body()).contains(c.reason());
            assertThat(stateOf(a.json().get("id").asLong())).isEqualTo("REJECTED");
            assertThat(jdbc.queryForObject("SELECT raw_request FROM orders WHERE id = ?", String.class,
                    a.json().get("id").asLong())).isEqualTo(c.body());
        }
        assertThat(venue().orderPostCount()).as("nothing refused by the gateway reaches the venue").isEqualTo(posts);
    }

    @Test
    void venueRejectionIsAFinalStateNotARetry() {
        int posts = venue().orderPostCount();
        // 60 × 0.57 = $34.2 collateral: within balance; the book has 500 at 0.57, so post-only crosses.
        Answer a = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.57", "60", "\"postOnly\":true"));
        assertThat(a.status()).isEqualTo(422);
        assertThat(a.json().get("state").asText()).isEqualTo("REJECTED");
        assertThat(a.json().get("reason").asText()).contains("post-only");
        assertThat(venue().orderPostCount()).isEqualTo(posts + 1);
    }

    @Test
    void venueErrorsAreRedeliveredThenDeadLetteredAndRecoveredAsTheSameOrder() {
        venue().failNextOrderPosts(100, 503);
        int posts = venue().orderPostCount();
        String body = order("sim-btc-100k", "YES", "SELL", "0.65", "8", "\"clientOrderId\":\"down-503\"");
        Answer a = post("/api/orders", body);
        assertThat(a.status()).isEqualTo(502);
        assertThat(a.json().get("state").asText()).isEqualTo("UNKNOWN");
        assertThat(venue().orderPostCount()).as("first attempt + 2 redeliveries").isEqualTo(posts + 3);
        long id = a.json().get("id").asLong();
        String hash = a.json().get("orderHash").asText();
        assertThat(jdbc.queryForMap("SELECT route_id, reason, original_message FROM dead_letters WHERE order_id = ?", id))
                .containsEntry("original_message", body)
                .hasEntrySatisfying("reason", r -> assertThat((String) r).contains("503"));

        venue().failNextOrderPosts(0, 503);
        runRecovery();
        assertThat(stateOf(id)).isEqualTo("LIVE");
        assertThat(venue().orders()).containsKey(hash);
        assertThat(venue().orders().values().stream().filter(o -> o.id().equals(hash))).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT order_hash FROM orders WHERE id = ?", String.class, id)).isEqualTo(hash);
    }

    @Test
    void connectionRefusedIsRedeliveredThenDeadLetteredAndNothingIsLost() {
        Answer market = get("/api/markets/sim-btc-100k"); // resolve (and cache) while the venue is up
        assertThat(market.status()).isEqualTo(200);
        SIM.stop();
        Answer a = post("/api/orders", order("sim-btc-100k", "NO", "SELL", "0.48", "9", "\"clientOrderId\":\"down-conn\""));
        assertThat(a.status()).isEqualTo(502);
        long id = a.json().get("id").asLong();
        assertThat(stateOf(id)).isEqualTo("UNKNOWN");
        assertThat(jdbc.queryForObject("SELECT reason FROM dead_letters WHERE order_id = ?", String.class, id))
                .contains("Connect");
        String payload = jdbc.queryForObject("SELECT signed_payload FROM orders WHERE id = ?", String.class, id);
        assertThat(payload).contains("\"signature\":\"0x");
    }
}
