package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the gateway learns from the venue while it runs: the market channel's tick_size_change, and
 * the heartbeat dead-man switch (both on only in this context).
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class VenueWatchTest extends GatewayTestSupport {

    @DynamicPropertySource
    static void watching(DynamicPropertyRegistry r) {
        r.add("oddsgate.markets.websocket.enabled", () -> "true");
        r.add("oddsgate.polymarket.heartbeats.enabled", () -> "true");
        r.add("oddsgate.polymarket.heartbeats.period", () -> "200ms");
    }

    static final Duration WAIT = Duration.ofSeconds(15);

    /**
     * This context is closed after the class and its heartbeats stop: the shared simulator must not
     * then cancel the next test classes' orders as its dead-man switch would.
     */
    @org.junit.jupiter.api.AfterAll
    static void noDeadManSwitchAfterThisClass() {
        venue().heartbeatTimeout(Duration.ofDays(1));
    }

    @org.springframework.beans.factory.annotation.Autowired
    com.oddsgate.polymarket.protocol.PolymarketAccount account;

    private JsonNode heartbeats() {
        return get("/actuator/health").json().path("components").path("heartbeats");
    }

    @Test
    void aTickSizeChangeIsPickedUpAndAnOrderOnTheOldGridIsRefusedBeforeSigning() {
        Answer first = post("/api/orders", order("sim-longshot", "YES", "BUY", "0.003", "5", "\"clientOrderId\":\"watch-tick-1\""));
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        String token = first.json().get("tokenId").asText();
        await().atMost(WAIT).until(() -> SIM.sockets().subscribedAssets().contains(token));
        venue().setTickSize("sim-longshot", new BigDecimal("0.01"));
        try {
            await().atMost(WAIT).until(() -> get("/api/markets/sim-longshot").json().get("tickSize").asText().equals("0.01"));
            int posts = venue().orderPostCount();
            Answer stale = post("/api/orders", order("sim-longshot", "YES", "BUY", "0.004", "5", "\"clientOrderId\":\"watch-tick-2\""));
            assertThat(stale.status()).as(stale.body()).isEqualTo(400);
            assertThat(stale.json().get("reason").asText()).contains("price", "0.01");
            assertThat(stale.json().get("orderHash").isNull()).as("not signed").isTrue();
            assertThat(venue().orderPostCount()).as("nothing sent").isEqualTo(posts);
            Answer onGrid = post("/api/orders", order("sim-longshot", "YES", "BUY", "0.01", "5", "\"clientOrderId\":\"watch-tick-3\""));
            assertThat(onGrid.status()).as(onGrid.body()).isEqualTo(201);
        } finally {
            venue().setTickSize("sim-longshot", new BigDecimal("0.001"));
            await().atMost(WAIT).until(() -> get("/api/markets/sim-longshot").json().get("tickSize").asText().equals("0.001"));
            delete("/api/orders?market=sim-longshot");
        }
    }

    @Test
    void heartbeatFailureFlipsHealthDownAndRefusesOrdersUntilTheyRecover() {
        await().atMost(WAIT).until(() -> heartbeats().path("details").path("beats").asInt() > 1);
        assertThat(heartbeats().get("status").asText()).isEqualTo("UP");
        Answer resting = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.19", "5", "\"clientOrderId\":\"watch-hb-resting\""));
        assertThat(resting.json().get("state").asText()).isEqualTo("LIVE");
        venue().heartbeatTimeout(Duration.ofMillis(800));
        venue().failHeartbeats(true);
        try {
            await().atMost(WAIT).until(() -> heartbeats().path("status").asText().equals("DOWN"));
            assertThat(get("/actuator/health").json().get("status").asText()).isEqualTo("DOWN");
            assertThat(get("/actuator/health/readiness").status()).as("not ready to trade").isEqualTo(503);
            Answer refused = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.20", "5", "\"clientOrderId\":\"watch-hb-down\""));
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.json().get("reason").asText()).contains("heartbeats", "refused until they recover");
            assertThat(refused.json().get("state").asText()).as("recorded, not lost").isEqualTo("REJECTED");
            // Polymarket's heartbeats say nothing about Kalshi: its orders still go through.
            Answer kalshi = post("/api/orders", KalshiFlowTest.kalshiOrder("YES", "BUY", "0.13", "1", "\"clientOrderId\":\"watch-hb-kalshi\""));
            assertThat(kalshi.status()).as(kalshi.body()).isEqualTo(201);
            delete("/api/orders/" + kalshi.json().get("id").asLong());
            // The venue's dead-man switch: heartbeats stayed away, so it cancelled our open orders.
            await().atMost(WAIT).until(() -> venue().orders().get(resting.json().get("orderHash").asText()).status().equals("CANCELED"));
        } finally {
            venue().failHeartbeats(false);
            venue().heartbeatTimeout(Duration.ofSeconds(10));
        }
        await().atMost(WAIT).until(() -> heartbeats().path("status").asText().equals("UP"));
        // Heartbeats back: open orders are synced, and the ledger learns what the venue did — off the book with
        // no trade at two syncs (the one the recovery triggers, and the next: here asked for at once).
        await().atMost(WAIT).until(() -> get("/api/orders/" + resting.json().get("id").asLong()).json().get("state").asText()
                .equals("CANCELED") || post("/api/orders/sync", "").status() < 0);
        Answer placed = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.20", "5", "\"clientOrderId\":\"watch-hb-up\""));
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        assertThat(venue().heartbeating(account.credentials().apiKey())).isTrue();
        delete("/api/orders/" + placed.json().get("id").asLong());
    }

    @org.springframework.beans.factory.annotation.Autowired
    com.oddsgate.api.KillSwitchOperations killSwitch;

    @Test
    void aTrippedKillSwitchStopsHeartbeatsSoTheVenuesOwnDeadManSwitchFiresToo() {
        await().atMost(WAIT).until(() -> venue().heartbeating(account.credentials().apiKey()));
        venue().heartbeatTimeout(Duration.ofMillis(800));
        try {
            assertThat(killSwitch.trip("drill (JMX)")).contains("TRIPPED");
            await().atMost(WAIT).until(() -> !venue().heartbeating(account.credentials().apiKey()));
        } finally {
            killSwitch.rearm("drill over");
            venue().heartbeatTimeout(Duration.ofSeconds(10));
        }
        await().atMost(WAIT).until(() -> venue().heartbeating(account.credentials().apiKey()));
        assertThat(killSwitch.getState()).contains("ARMED");
    }

    @Test
    void aVenueRestartIsResynchronisedFromTheIdInThe400AndAStatusOkAnswerCountsAsAlive() {
        await().atMost(WAIT).until(() -> heartbeats().path("details").path("beats").asInt() > 1);
        long failures = heartbeats().path("details").path("failures").asLong();
        int resyncs = heartbeats().path("details").path("resyncs").asInt();
        venue().restartHeartbeatChains(); // our next id is stale: 400 naming the id the venue expects
        await().atMost(WAIT).until(() -> heartbeats().path("details").path("resyncs").asInt() > resyncs);
        venue().heartbeatAnswersWithStatus(true); // the other documented answer: {"status":"ok"}
        try {
            int beats = heartbeats().path("details").path("beats").asInt();
            int resyncsBefore = heartbeats().path("details").path("resyncs").asInt();
            await().atMost(WAIT).until(() -> heartbeats().path("details").path("beats").asInt() > beats + 2);
            assertThat(heartbeats().path("details").path("resyncs").asInt()).as("an answer naming no id asks for no resync")
                    .isEqualTo(resyncsBefore);
        } finally {
            venue().heartbeatAnswersWithStatus(false);
        }
        assertThat(heartbeats().path("status").asText()).isEqualTo("UP");
        assertThat(heartbeats().path("details").path("failures").asLong()).as("a resync is not a failure").isEqualTo(failures);
        assertThat(venue().heartbeating(account.credentials().apiKey())).isTrue();
    }
}
