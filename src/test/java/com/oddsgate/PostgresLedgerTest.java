package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.ops.GatewayFigures;
import com.oddsgate.order.OrderTicket;

/**
 * The ledger on PostgreSQL: the same migrations and the same flows as on H2. Runs when
 * ODDSGATE_TEST_POSTGRES_URL points at a database ({@code .ci/run} starts one with scripts/postgres.sh).
 */
@ActiveProfiles({"test", "postgres"})
@EnabledIfEnvironmentVariable(named = "ODDSGATE_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class PostgresLedgerTest extends GatewayTestSupport {

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry r) {
        r.add("spring.datasource.url", () -> System.getenv("ODDSGATE_TEST_POSTGRES_URL"));
        r.add("spring.datasource.username", () -> "oddsgate");
        r.add("spring.datasource.password", () -> "oddsgate");
    }

    @Autowired
    GatewayFigures figures;
    @Autowired
    OrderLedger ledger;

    /** The open-order sync's walk (one indexed range per resting state, in one statement) runs on PostgreSQL too. */
    @Test
    void theOpenOrderWalkRunsOnPostgres() {
        Answer placed = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.11", "5", "\"clientOrderId\":\"pg-walk-" + System.nanoTime() + "\""));
        assertThat(placed.json().get("state").asText()).isEqualTo("LIVE");
        long id = placed.json().get("id").asLong();
        assertThat(ledger.openAfter("polymarket", id - 1, 5)).extracting(OrderRecord::id).startsWith(id);
        jdbc.update("UPDATE orders SET missing_since = CURRENT_TIMESTAMP WHERE id = ?", id);
        assertThat(ledger.missingSince("polymarket")).containsKey(id);
        jdbc.update("UPDATE orders SET missing_since = NULL WHERE id = ?", id);
    }

    @Test
    void theLedgerIsPostgres() {
        assertThat(jdbc.queryForObject("SELECT version()", String.class)).startsWith("PostgreSQL");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM flyway_schema_history WHERE success", Integer.class)).isPositive();
    }

    @Test
    void ordersRejectionsAndDuplicatesAreRecorded() {
        String body = order("sim-btc-100k", "YES", "BUY", "0.52", "5", "\"clientOrderId\":\"pg-1\"");
        Answer placed = post("/api/orders", body);
        assertThat(placed.status()).isEqualTo(201);
        assertThat(placed.json().get("state").asText()).isEqualTo("LIVE");
        assertThat(post("/api/orders", body).status()).isEqualTo(200);
        JsonNode events = get("/api/orders/" + placed.json().get("id").asLong()).json().get("events");
        assertThat(events.findValuesAsText("toState")).containsExactly("RECEIVED", "PENDING_SUBMIT", "LIVE", "LIVE");

        String bad = order("sim-btc-100k", "YES", "BUY", "0.525", "5", null);
        Answer refused = post("/api/orders", bad);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(jdbc.queryForObject("SELECT raw_request FROM orders WHERE id = ?", String.class,
                refused.json().get("id").asLong())).isEqualTo(bad);
        assertThat(post("/api/orders", "{broken").status()).isEqualTo(400);

        Answer kalshi = post("/api/orders", "{\"venue\":\"kalshi\",\"market\":\"SIM-KX-RAIN\",\"outcome\":\"NO\",\"side\":\"BUY\","
                + "\"price\":\"0.31\",\"size\":\"2.5\"}");
        assertThat(kalshi.json().get("state").asText()).isEqualTo("LIVE");
        assertThat(kalshi.json().get("size").asText()).isEqualTo("2.5");

        assertThat(get("/api/orders?state=REJECTED&limit=10").json().get("count").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(figures.getOrdersByState()).containsKeys("LIVE", "REJECTED");
        assertThat(figures.getRejectsByReason()).isNotEmpty();
    }

    /**
     * PostgreSQL stores no NUL in text: a field holding a control character is refused by name (400,
     * recorded), and a request whose raw text holds a NUL is recorded with it escaped. Before, both
     * failed their record: a 500, no order row.
     */
    @Test
    void aNulCharacterIsRefusedByFieldAndTheRequestIsStillRecorded() {
        String body = "{\"venue\":\"polymarket\",\"market\":\"sim\\u0000btc\",\"outcome\":\"YES\",\"side\":\"BUY\","
                + "\"price\":\"0.5\",\"size\":\"5\",\"clientOrderId\":\"pg-nul\"}";
        Answer refused = post("/api/orders", body);
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.json().get("violations").toString()).contains("market", "must not contain control characters");
        assertThat(jdbc.queryForObject("SELECT raw_request FROM orders WHERE id = ?", String.class,
                refused.json().get("id").asLong())).isEqualTo(body);

        String raw = "{\"venue\":\"polymarket\",\"market\":\"sim\u0000btc\"}"; // a NUL as sent, not escaped: not JSON
        Answer broken = post("/api/orders", raw);
        assertThat(broken.status()).as(broken.body()).isEqualTo(400);
        assertThat(jdbc.queryForObject("SELECT raw_request FROM orders WHERE id = ?", String.class, broken.json().get("id").asLong()))
                .isEqualTo(raw.replace("\u0000", "\\u0000"));
    }

    @Test
    void deadLettersReplayAndRecoveryWork() {
        venue().failNextOrderPosts(100, 503);
        Answer dead = post("/api/orders", order("sim-btc-100k", "NO", "BUY", "0.29", "5", "\"clientOrderId\":\"pg-dead\""));
        venue().failNextOrderPosts(0, 503);
        assertThat(dead.json().get("state").asText()).isEqualTo("UNKNOWN");
        awaitExchangesEnded(); // else the replay may find the placement still at work on the order, and wait (202)
        long letter = jdbc.queryForObject("SELECT id FROM dead_letters WHERE order_id = ?", Long.class,
                dead.json().get("id").asLong());
        assertThat(post("/api/dead-letters/" + letter + "/replay", "").json().get("state").asText()).isEqualTo("LIVE");
        assertThat(post("/api/dead-letters/" + letter + "/replay", "").status()).isEqualTo(409);

        OrderTicket t = intentRecorded(order("sim-btc-100k", "YES", "SELL", "0.61", "5", "\"clientOrderId\":\"pg-crash\""));
        runRecovery();
        assertThat(stateOf(t.getOrderId())).isEqualTo("LIVE");
        assertThat(venue().orders()).containsKey(t.getOrderHash());
    }
}
