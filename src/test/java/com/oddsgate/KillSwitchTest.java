package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The kill switch: tripped, every open order is cancelled at both venues and every new order is
 * refused (recorded); re-armed, orders flow again. Who and why are in its history.
 */
class KillSwitchTest extends GatewayTestSupport {

    @AfterEach
    void rearm() {
        delete("/api/kill-switch", "test-cleanup");
    }

    @Test
    void trippedItCancelsEverythingAtBothVenuesAndRefusesNewOrdersUntilReArmed() {
        Answer poly = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.16", "5", "\"clientOrderId\":\"ks-poly\""));
        Answer kal = post("/api/orders", KalshiFlowTest.kalshiOrder("YES", "BUY", "0.14", "2", "\"clientOrderId\":\"ks-kalshi\""));
        assertThat(poly.json().get("state").asText()).isEqualTo("LIVE");
        assertThat(kal.json().get("state").asText()).isEqualTo("LIVE");
        // One whose placement answer was lost: UNKNOWN in the ledger, resting at the venue.
        Answer lost = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.17", "5", "\"clientOrderId\":\"ks-lost\""));
        jdbc.update("UPDATE orders SET state = 'UNKNOWN' WHERE id = ?", lost.json().get("id").asLong());

        Answer tripped = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/kill-switch?reason=fat%20finger%20drill"))
                .header("Authorization", "Bearer " + TOKEN).header("X-Requested-By", "risk-desk")
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(tripped.status()).as(tripped.body()).isEqualTo(200);
        assertThat(tripped.json().get("state").asText()).isEqualTo("TRIPPED");
        assertThat(tripped.json().get("by").asText()).isEqualTo("risk-desk");
        // Once the submissions in flight have ended, everything is cancelled once more: the trip still stands.
        assertThat(tripped.json().has("cancelsAfterInFlight")).as(tripped.body()).isTrue();
        assertThat(venue().orders().get(poly.json().get("orderHash").asText()).status()).isEqualTo("CANCELED");
        assertThat(KalshiFlowTest.venueOrder("ks-kalshi").status()).isEqualTo("canceled");
        assertThat(get("/api/orders/" + poly.json().get("id").asLong()).json().get("state").asText()).isEqualTo("CANCELED");
        assertThat(get("/api/orders/" + kal.json().get("id").asLong()).json().get("state").asText()).isEqualTo("CANCELED");
        assertThat(get("/api/orders/" + lost.json().get("id").asLong()).json().get("state").asText())
                .as("the cancel-all named it: ours, and CANCELED").isEqualTo("CANCELED");

        int posts = venue().orderPostCount();
        Answer refused = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.16", "5", "\"clientOrderId\":\"ks-refused\""));
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.json().get("state").asText()).as("recorded").isEqualTo("REJECTED");
        assertThat(refused.json().get("reason").asText()).contains("kill switch", "risk-desk", "fat finger drill");
        assertThat(venue().orderPostCount()).as("nothing sent").isEqualTo(posts);

        JsonNode shown = get("/api/kill-switch").json();
        assertThat(shown.get("state").asText()).isEqualTo("TRIPPED");
        assertThat(shown.get("history").get(0).get("reason").asText()).isEqualTo("fat finger drill");
        // The trip's sweeps ended with its exchange: a re-arm has nothing to wait for.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> get("/api/kill-switch").json().get("sweepsUnderWay").asInt() == 0);

        Answer rearmed = delete("/api/kill-switch", "risk-desk");
        assertThat(rearmed.json().get("state").asText()).isEqualTo("ARMED");
        Answer placed = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.16", "5", "\"clientOrderId\":\"ks-refused\""));
        assertThat(placed.status()).as("the refused id, free again, is placed").isEqualTo(201);
        delete("/api/orders/" + placed.json().get("id").asLong());
        assertThat(get("/api/kill-switch").json().get("history").findValuesAsText("action")).startsWith("REARMED", "TRIPPED");
    }

    @Test
    void aFirstSweepThatFailsDoesNotCostTheTripItsSecondSweep() throws Exception {
        Answer poly = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.15", "5", "\"clientOrderId\":\"ks-first-fails\""));
        assertThat(poly.json().get("state").asText()).as(poly.body()).isEqualTo("LIVE");
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        org.apache.camel.builder.AdviceWith.adviceWith(camel, "trip-kill-switch", a -> a.weaveById("cancel-everything").before()
                .process(e -> {
                    if (failed.compareAndSet(false, true)) {
                        throw new IllegalStateException("order 7 changed while it was written"); // a ledger write racing fills
                    }
                }));

        Answer tripped = post("/api/kill-switch?reason=drill", "");

        assertThat(tripped.status()).as(tripped.body()).isEqualTo(200);
        assertThat(tripped.json().get("state").asText()).isEqualTo("TRIPPED");
        assertThat(tripped.json().get("allCancelled").asBoolean()).as("the first sweep's outcome is not known").isFalse();
        assertThat(tripped.json().at("/cancels/error").asText()).contains("order 7 changed");
        assertThat(tripped.json().has("cancelsAfterInFlight")).as(tripped.body()).isTrue();
        assertThat(venue().orders().get(poly.json().get("orderHash").asText()).status()).as("cancelled by the second sweep")
                .isEqualTo("CANCELED");
    }

    @Test
    void anOrderStillInFlightWhenItTripsIsNotSentAgainAndEndsRejected() throws Exception {
        // Its first attempt meets a 429 with Retry-After 3 s; the switch trips while it waits.
        SIM.faults().retryAfter(java.time.Duration.ofSeconds(3))
                .next(com.oddsgate.sim.VenueFaults.Kind.RATE_LIMITED, 1, com.oddsgate.sim.VenueFaults.Target.ORDER_WRITES);
        try {
            int posts = venue().orderPostCount();
            java.util.concurrent.CompletableFuture<Answer> placing = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.15", "5", "\"clientOrderId\":\"ks-in-flight\"")));
            long id = org.awaitility.Awaitility.await("the order waits for its redelivery").atMost(java.time.Duration.ofSeconds(5))
                    .pollInterval(java.time.Duration.ofMillis(10))
                    .until(() -> ledger.findByClientOrderId("ks-in-flight").filter(r -> r.state() == com.oddsgate.order.OrderState.PENDING_SUBMIT)
                            .map(com.oddsgate.ledger.OrderRecord::id).orElse(0L), v -> v > 0);

            Answer tripped = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/kill-switch"))
                    .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(tripped.status()).as(tripped.body()).isEqualTo(200);

            // The redelivery meets the switch right before its call: nothing goes out, the order stays unresolved...
            Answer answer = placing.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(answer.json().get("state").asText()).as(answer.body()).isEqualTo("UNKNOWN");
            assertThat(venue().orderPostCount()).as("no attempt reached the venue").isEqualTo(posts);
            // ...recovery sends nothing again while tripped, and decides nothing...
            runRecovery();
            assertThat(stateOf(id)).isEqualTo("UNKNOWN");
            // ...and once re-armed, the venue still not holding it: done, never sent, nothing filled.
            delete("/api/kill-switch", "risk-desk");
            runRecovery();
            assertThat(stateOf(id)).isEqualTo("CANCELED");
            assertThat(venue().orderPostCount()).isEqualTo(posts);
        } finally {
            SIM.faults().quiet();
        }
    }

    @Test
    void anOrderPlacedBeforeATripIsNotSentAgainAfterTheReArm() {
        com.oddsgate.order.OrderTicket t = intentRecorded(order("sim-btc-100k", "YES", "BUY", "0.13", "5",
                "\"clientOrderId\":\"ks-before-trip\""));
        send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/kill-switch"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()));
        delete("/api/kill-switch", "risk-desk");
        int posts = venue().orderPostCount();

        runRecovery();

        assertThat(stateOf(t.getOrderId())).isEqualTo("CANCELED");
        assertThat(ledger.find(t.getOrderId()).orElseThrow().reason()).contains("after this order was placed",
                "cancelled at the venue, or never placed");
        assertThat(venue().orderPostCount()).isEqualTo(posts);
    }

    @Test
    void whileTrippedRecoverySendsNothingAgain() {
        com.oddsgate.order.OrderTicket t = intentRecorded(order("sim-btc-100k", "YES", "BUY", "0.14", "5",
                "\"clientOrderId\":\"ks-recovery\""));
        send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/kill-switch"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()));
        int posts = venue().orderPostCount();

        runRecovery();

        assertThat(stateOf(t.getOrderId())).as("undecided while tripped").isEqualTo("UNKNOWN");
        assertThat(venue().orderPostCount()).as("not re-sent").isEqualTo(posts);
    }

    @Test
    void whileTrippedAnOrderThatStillLandsIsCancelledByTheNextSweep() {
        send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/kill-switch"))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()));
        // An order that reaches the venue after the trip's own sweeps (another instance let it through).
        com.oddsgate.order.OrderTicket t = intentRecorded(order("sim-btc-100k", "YES", "BUY", "0.12", "5",
                "\"clientOrderId\":\"ks-late-lander\""));
        byte[] body = t.getSignedPayload().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(SIM.baseUrl() + "/clob/order"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        account.l2Headers(System.currentTimeMillis() / 1000, "POST", "/order", body).forEach(post::header);
        assertThat(send(post).status()).as("it rests at the venue").isEqualTo(200);

        org.awaitility.Awaitility.await("the next sweep").atMost(java.time.Duration.ofSeconds(10))
                .until(() -> venue().orders().get(t.getOrderHash()).status().equals("CANCELED"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> "CANCELED".equals(stateOf(t.getOrderId())));
    }

    @org.springframework.beans.factory.annotation.Autowired
    com.oddsgate.polymarket.protocol.PolymarketAccount account;

    @Test
    void aTripWrittenOnAnotherGatewayWhileAReArmIsWrittenHereStands() throws Exception {
        assertThat(post("/api/kill-switch", "").status()).isEqualTo(200);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> get("/api/kill-switch").json().get("sweepsUnderWay").asInt() == 0);
        // Another gateway trips and has not committed yet when this one writes its re-arm after the same row.
        try (java.sql.Connection other = jdbc.getDataSource().getConnection()) {
            other.setAutoCommit(false);
            Long last = jdbc.queryForObject("SELECT MAX(id) FROM kill_switch_events", Long.class);
            try (java.sql.PreparedStatement ps = other.prepareStatement("INSERT INTO kill_switch_events (at, action, requested_by,"
                    + " reason, follows_id) VALUES (CURRENT_TIMESTAMP, 'TRIPPED', 'gateway-b', 'drill', ?)")) {
                ps.setLong(1, last);
                ps.executeUpdate();
            }
            java.util.concurrent.CompletableFuture<Answer> rearm = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> delete("/api/kill-switch", "risk-desk"));
            // The re-arm has read the same last row: its write waits on the other's uncommitted one (or was refused).
            org.awaitility.Awaitility.await("the re-arm's write").atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> rearm.isDone() || jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS"
                            + " WHERE EXECUTING_STATEMENT LIKE 'INSERT INTO kill_switch_events%'", Integer.class) > 0);
            other.commit();
            Answer rearmed = rearm.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(rearmed.status()).as(rearmed.body()).isLessThan(500);
        }
        assertThat(get("/api/kill-switch").json().get("state").asText()).as("the trip answered TRIPPED stands").isEqualTo("TRIPPED");
        assertThat(get("/api/kill-switch").json().get("history").get(0).get("by").asText()).isEqualTo("gateway-b");
    }
}
