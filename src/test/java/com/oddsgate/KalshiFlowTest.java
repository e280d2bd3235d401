package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.message.Json;
import com.oddsgate.kalshi.KalshiAccount;
import com.oddsgate.kalshi.KalshiSigner;
import com.oddsgate.sim.KalshiSim;

/** Kalshi orders through the same pipeline, ledger and error handling as Polymarket's. */
class KalshiFlowTest extends GatewayTestSupport {

    @Autowired
    KalshiAccount account;

    @AfterEach
    void venueUp() throws Exception {
        kalshi().failNextOrderPosts(0, 503);
        SIM.start();
    }

    static String kalshiOrder(String outcome, String side, String price, String size, String extra) {
        return "{\"venue\":\"kalshi\",\"market\":\"SIM-KX-RAIN\",\"outcome\":\"" + outcome + "\",\"side\":\"" + side
                + "\",\"price\":\"" + price + "\",\"size\":\"" + size + "\"" + (extra == null ? "" : "," + extra) + "}";
    }

    static KalshiSim.SimOrder venueOrder(String clientOrderId) {
        return kalshi().orders().stream().filter(o -> o.clientOrderId().equals(clientOrderId)).findFirst().orElseThrow();
    }

    @Test
    void cancelAllReachesOrdersTheLedgerHoldsAsUnknownAndOrdersPlacedElsewhere() {
        Answer lost = post("/api/orders", kalshiOrder("YES", "BUY", "0.11", "2", "\"clientOrderId\":\"k-all-lost\""));
        Answer elsewhere = post("/api/orders", kalshiOrder("YES", "BUY", "0.12", "2", "\"clientOrderId\":\"k-all-elsewhere\""));
        assertThat(lost.json().get("state").asText()).isEqualTo("LIVE");
        long lostId = lost.json().get("id").asLong();
        // As a lost answer leaves it: UNKNOWN, the venue's id never read.
        jdbc.update("UPDATE orders SET state = 'UNKNOWN', venue_order_id = NULL WHERE id = ?", lostId);
        // As if placed by another client of the same key: the ledger does not know it.
        jdbc.update("UPDATE orders SET client_order_id = 'k-all-not-ours', state = 'REJECTED', venue_order_id = NULL WHERE id = ?",
                elsewhere.json().get("id").asLong());
        String elsewhereVenueId = venueOrder("k-all-elsewhere").orderId();

        Answer all = delete("/api/orders?venue=kalshi&all=true");

        assertThat(all.status()).as(all.body()).isEqualTo(200);
        assertThat(venueOrder("k-all-lost").status()).isEqualTo("canceled");
        assertThat(venueOrder("k-all-elsewhere").status()).isEqualTo("canceled");
        JsonNode view = get("/api/orders/" + lostId).json();
        assertThat(view.get("state").asText()).isEqualTo("CANCELED");
        assertThat(view.get("venueOrderId").asText()).isEqualTo(venueOrder("k-all-lost").orderId());
        assertThat(all.json().get("orders").toString()).contains(elsewhereVenueId, "did not place");
    }

    @Test
    void dashboardClickBecomesASignedKalshiOrderWithItsHistory() {
        Answer a = post("/api/orders", "{\"venue\":\"kalshi\",\"marketTicker\":\"SIM-KX-RAIN\",\"side\":\"no\",\"priceCents\":40,"
                + "\"contracts\":10,\"action\":\"buy\",\"clientOrderId\":\"k-click-1\"}");
        assertThat(a.status()).isEqualTo(201);
        assertThat(a.json().get("state").asText()).isEqualTo("LIVE");
        KalshiSim.SimOrder o = venueOrder("k-click-1");
        assertThat(o.side()).as("buying NO at 0.40 is an ask on YES").isEqualTo("ask");
        assertThat(o.price()).isEqualByComparingTo("0.60");
        assertThat(a.json().get("venueOrderId").asText()).isEqualTo(o.orderId());
        assertThat(get("/api/orders/" + a.json().get("id").asLong()).json().get("events").findValuesAsText("toState"))
                .containsExactly("RECEIVED", "PENDING_SUBMIT", "LIVE");
    }

    @Test
    void twentyOrderBatchesUnderTheBasicTierArePacedAndNeverAnswered429() {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 40; i++) {
            body.append(i == 0 ? "" : ",").append(kalshiOrder("YES", "BUY", "0.1" + (i % 9), "1", "\"clientOrderId\":\"k-paced-" + i + "\""));
        }
        kalshi().rateTier(200, 400, 100, 200); // the Basic tier, buckets full (the other tests run the simulator above it)
        int limited = kalshi().writesLimitedCount();
        int batches = kalshi().batchPostCount();
        long started = System.nanoTime();
        Answer a;
        try {
            a = post("/api/orders/batch", body.append("]").toString());
        } finally {
            kalshi().rateTier(2000, 4000, 1000, 2000);
        }
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(kalshi().batchPostCount() - batches).as("two batched creates of 20").isEqualTo(2);
        a.json().get("orders").forEach(o -> assertThat(o.get("state").asText()).as(o.toString()).isEqualTo("LIVE"));
        assertThat(kalshi().writesLimitedCount()).as("the venue never had to say 429").isEqualTo(limited);
        // 2 x 20 creates x 10 tokens = 400 against a 200-token write bucket refilling at 100/s: the second waits.
        assertThat(tookMs).as("paced by the write bucket").isGreaterThanOrEqualTo(1_500);
        delete("/api/orders?venue=kalshi&all=true");
    }

    @Test
    void sellingYesAndSellingNoMapToTheYesBook() {
        post("/api/orders", kalshiOrder("YES", "SELL", "0.55", "3", "\"clientOrderId\":\"k-sell-yes\""));
        post("/api/orders", kalshiOrder("NO", "SELL", "0.70", "3", "\"clientOrderId\":\"k-sell-no\""));
        assertThat(venueOrder("k-sell-yes").side()).isEqualTo("ask");
        assertThat(venueOrder("k-sell-yes").price()).isEqualByComparingTo("0.55");
        assertThat(venueOrder("k-sell-no").side()).isEqualTo("bid");
        assertThat(venueOrder("k-sell-no").price()).isEqualByComparingTo("0.30");
    }

    @Test
    void marketableOrderFillsAndFillsAndPositionsAreReadableThroughTheApi() {
        Answer a = post("/api/orders", kalshiOrder("YES", "BUY", "0.46", "20", "\"timeInForce\":\"FAK\",\"clientOrderId\":\"k-fak\""));
        assertThat(a.json().get("state").asText()).isEqualTo("MATCHED");
        String orderId = a.json().get("venueOrderId").asText();
        JsonNode fills = get("/api/venues/kalshi/fills?order_id=" + orderId).json().get("fills");
        assertThat(fills).isNotEmpty();
        assertThat(fills.get(0).get("order_id").asText()).isEqualTo(orderId);
        long later = java.time.Instant.now().plusSeconds(3600).getEpochSecond();
        assertThat(get("/api/venues/kalshi/fills?order_id=" + orderId + "&min_ts=" + later).json().get("fills"))
                .as("min_ts passed on: nothing that late").isEmpty();
        JsonNode positions = get("/api/venues/kalshi/positions").json().get("market_positions");
        assertThat(positions.findValuesAsText("ticker")).contains("SIM-KX-RAIN");
        JsonNode balance = get("/api/venues/kalshi/balance").json().get("balance");
        assertThat(balance.isIntegralNumber()).as("Kalshi's balance is in cents").isTrue();
        assertThat(balance.longValue()).isEqualTo(kalshi().balanceOf("sim-dev-key-0001").movePointRight(2).longValue());
        assertThat(get("/api/venues/kalshi/secrets").status()).isEqualTo(404);
        post("/api/fills/sync", "");
        assertThat(get("/api/fills?venue=kalshi").body()).as("the key id is masked in our fills").contains("sim-****")
                .doesNotContain("sim-dev-key-0001");
        assertThat(get("/api/positions?venue=kalshi").body()).doesNotContain("sim-dev-key-0001");
    }

    @Test
    void aTickerThatIsNoneIsRefusedAsUnknownAndNothingIsAskedOfTheVenue() {
        int before = kalshi().orders().size();
        for (String bad : new String[] {"SIM-KX-RAIN/../../portfolio/balance", "a b", "x?y=1"}) {
            String body = kalshiOrder("YES", "BUY", "0.20", "4", "\"clientOrderId\":\"k-bad-" + bad.length() + "\"")
                    .replace("SIM-KX-RAIN", bad);
            Answer a = post("/api/orders", body);
            assertThat(a.status()).as(a.body()).isEqualTo(400);
            assertThat(a.body()).contains("unknown Kalshi market");
            if (!bad.contains("/")) { // an encoded slash never passes the web server (its own 400)
                Answer book = get("/api/markets/" + bad.replace(" ", "%20").replace("?", "%3F") + "/book?venue=kalshi");
                assertThat(book.status()).as(book.body()).isEqualTo(404);
                assertThat(book.body()).contains("unknown Kalshi market");
            }
        }
        assertThat(kalshi().orders()).hasSize(before);
    }

    @Test
    void cancelOfARestingOrderEndsCanceled() {
        Answer a = post("/api/orders", kalshiOrder("YES", "BUY", "0.20", "4", "\"clientOrderId\":\"k-cancel\""));
        assertThat(a.json().get("state").asText()).isEqualTo("LIVE");
        long id = a.json().get("id").asLong();
        Answer c = delete("/api/orders/" + id);
        assertThat(c.status()).isEqualTo(200);
        assertThat(c.json().get("state").asText()).isEqualTo("CANCELED");
        assertThat(venueOrder("k-cancel").status()).isEqualTo("canceled");
        assertThat(get("/api/orders/" + id).json().get("events").findValuesAsText("source")).contains("api-cancel:api");
    }

    @Test
    void aCancelOfAnOrderWhoseVenueIdWasNeverReadFindsItByClientOrderId() {
        Answer a = post("/api/orders", kalshiOrder("YES", "BUY", "0.20", "4", "\"clientOrderId\":\"k-cancel-no-id\""));
        long id = a.json().get("id").asLong();
        String venueId = venueOrder("k-cancel-no-id").orderId();
        jdbc.update("UPDATE orders SET venue_order_id = NULL WHERE id = ?", id); // its placement answer never read
        Answer c = delete("/api/orders/" + id);
        assertThat(c.status()).as(c.body()).isEqualTo(200);
        assertThat(c.json().get("state").asText()).isEqualTo("CANCELED");
        assertThat(venueOrder("k-cancel-no-id").status()).isEqualTo("canceled");
        assertThat(jdbc.queryForObject("SELECT venue_order_id FROM orders WHERE id = ?", String.class, id)).isEqualTo(venueId);

        // Nothing held under its client_order_id: a 409 saying so, and nothing sent.
        Answer b = post("/api/orders", kalshiOrder("YES", "BUY", "0.20", "4", "\"clientOrderId\":\"k-cancel-gone\""));
        long gone = b.json().get("id").asLong();
        jdbc.update("UPDATE orders SET venue_order_id = NULL, client_order_id = 'k-cancel-unknown' WHERE id = ?", gone);
        Answer refused = delete("/api/orders/" + gone);
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.body()).contains("nothing there to cancel");
        Answer amend = patch("/api/orders/" + gone, "{\"price\":\"0.21\"}");
        assertThat(amend.status()).as(amend.body()).isEqualTo(409);
        assertThat(amend.json().get("error").asText()).as("the refusal's own words").contains("nothing there to cancel")
                .contains("no replacement was placed");
        jdbc.update("UPDATE orders SET venue_order_id = ?, client_order_id = 'k-cancel-gone' WHERE id = ?",
                venueOrder("k-cancel-gone").orderId(), gone);
        delete("/api/orders/" + gone);
    }

    @Test
    void sameClientOrderIdTwiceIsOneKalshiOrder() {
        String body = kalshiOrder("NO", "BUY", "0.35", "2", "\"clientOrderId\":\"k-dup\"");
        Answer first = post("/api/orders", body);
        Answer second = post("/api/orders", body);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("id").asLong()).isEqualTo(first.json().get("id").asLong());
        assertThat(kalshi().orders().stream().filter(o -> o.clientOrderId().equals("k-dup"))).hasSize(1);
    }

    @Test
    void venueDownIsRedeliveredDeadLetteredAndRecoveredWithoutADouble() {
        kalshi().failNextOrderPosts(100, 503);
        int posts = kalshi().orderPostCount();
        Answer a = post("/api/orders", kalshiOrder("YES", "BUY", "0.25", "2", "\"clientOrderId\":\"k-down\""));
        assertThat(a.status()).isEqualTo(502);
        assertThat(a.json().get("state").asText()).isEqualTo("UNKNOWN");
        assertThat(kalshi().orderPostCount()).isEqualTo(posts + 3);
        long id = a.json().get("id").asLong();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM dead_letters WHERE order_id = ?", Integer.class, id)).isEqualTo(1);
        kalshi().failNextOrderPosts(0, 503);
        runRecovery();
        assertThat(stateOf(id)).isEqualTo("LIVE");
        runRecovery();
        assertThat(kalshi().orders().stream().filter(o -> o.clientOrderId().equals("k-down"))).hasSize(1);
    }

    @Test
    void aListAnsweredInAnotherShapeIsNoAnswerNotAnOrderTheVenueDoesNotHold() {
        Answer a = post("/api/orders", kalshiOrder("YES", "BUY", "0.21", "2", "\"clientOrderId\":\"k-shape\""));
        assertThat(a.json().get("state").asText()).isEqualTo("LIVE");
        long id = a.json().get("id").asLong();
        // Its answer lost long ago: recovery finds it by client_order_id among the market's orders.
        jdbc.update("UPDATE orders SET state = 'UNKNOWN', venue_order_id = NULL, created_at = ? WHERE id = ?",
                java.sql.Timestamp.from(java.time.Instant.now().minus(java.time.Duration.ofHours(3))), id);
        SIM.faults().next(com.oddsgate.sim.VenueFaults.Kind.SHAPE_DRIFT, 1, com.oddsgate.sim.VenueFaults.Target.ORDER_READS);
        try {
            runRecovery();
        } finally {
            SIM.faults().quiet();
        }
        assertThat(stateOf(id)).as("a 200 without its orders list is not an empty list").isEqualTo("UNKNOWN");
        runRecovery();
        assertThat(stateOf(id)).isEqualTo("LIVE");
        assertThat(venueOrder("k-shape").status()).isEqualTo("resting");
        delete("/api/orders/" + id);
    }

    @Test
    void priceOffTheGridIsA400() {
        Answer a = post("/api/orders", kalshiOrder("YES", "BUY", "0.255", "2", null));
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().get("violations").findValuesAsText("field")).containsExactly("price");
        Answer b = post("/api/orders", kalshiOrder("YES", "BUY", "0.25", "2.001", null));
        assertThat(b.status()).isEqualTo(400);
        assertThat(post("/api/orders", kalshiOrder("YES", "BUY", "0.25", "1", null).replace("SIM-KX-RAIN", "NOPE")).status())
                .isEqualTo(400);
    }

    @Test
    void fileDroppedKalshiOrderIsAccepted() throws Exception {
        String name = "kalshi.csv";
        java.nio.file.Path tmp = INBOX.resolve(".kalshi.part");
        Files.writeString(tmp, "venue,market,outcome,side,price,size,clientOrderId\nkalshi,SIM-KX-RAIN,NO,BUY,0.30,5,k-file-1\n");
        Files.move(tmp, INBOX.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        java.nio.file.Path ack = OUTBOX.resolve(name + ".ack.json");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(ack));
        JsonNode line = Json.MAPPER.readTree(ack.toFile()).get("orders").get(0);
        assertThat(line.get("state").asText()).isEqualTo("LIVE");
        assertThat(venueOrder("k-file-1").side()).isEqualTo("ask");
    }

    @Test
    void previewShowsAVerifiableSignatureAndMasksTheKeyId() {
        Answer p = post("/api/orders/preview", kalshiOrder("NO", "SELL", "0.55", "3", "\"timestamp\":1710000000000"));
        assertThat(p.status()).isEqualTo(200);
        assertThat(p.json().at("/headers/KALSHI-ACCESS-KEY").asText()).isEqualTo("sim-****");
        assertThat(p.body()).doesNotContain(account.signer().keyId());
        assertThat(p.json().get("signedMessage").asText()).isEqualTo("1710000000000POST/trade-api/v2/portfolio/events/orders");
        assertThat(KalshiSigner.verify(account.signer().publicKey(), p.json().at("/headers/KALSHI-ACCESS-SIGNATURE").asText(),
                1710000000000L, "POST", "/trade-api/v2/portfolio/events/orders")).isTrue();
        assertThat(Base64.getDecoder().decode(p.json().at("/headers/KALSHI-ACCESS-SIGNATURE").asText())).hasSize(256);
    }
}
