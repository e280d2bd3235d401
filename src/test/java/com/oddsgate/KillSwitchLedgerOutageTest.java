package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The kill switch while the ledger is down — when a trader may well reach for it: the trip stands in
 * the gateway, every venue is swept on what the venues list, new orders are refused, and a re-arm
 * waits; once the ledger takes writes again the trip is written to it and the open-order sync brings
 * the cancelled orders' records to the venues' truth. The ledger's connections fail on demand here
 * (every JDBC use of the gateway goes through the wrapped pool), hence a context of its own.
 */
@Import(KillSwitchLedgerOutageTest.Outage.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class KillSwitchLedgerOutageTest extends GatewayTestSupport {

    static final AtomicBoolean LEDGER_DOWN = new AtomicBoolean();

    /**
     * A ledger of its own: the trips written here would otherwise stand for the other contexts on the
     * shared one until their next read ({@code refresh}), refusing the next test class's orders.
     */
    @DynamicPropertySource
    static void ownLedger(DynamicPropertyRegistry r) {
        ownLedgerAndFolders(r, "ledger-outage");
    }

    /** The gateway's pool, wrapped: while {@link #LEDGER_DOWN}, no connection can be had (as with a database gone). */
    @TestConfiguration
    static class Outage {
        @Bean
        static BeanPostProcessor failingLedger() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (bean instanceof DataSource pool && !(bean instanceof DelegatingDataSource)) {
                        return new DelegatingDataSource(pool) {
                            @Override
                            public Connection getConnection() throws SQLException {
                                down();
                                return super.getConnection();
                            }

                            @Override
                            public Connection getConnection(String user, String password) throws SQLException {
                                down();
                                return super.getConnection(user, password);
                            }
                        };
                    }
                    return bean;
                }
            };
        }

        private static void down() throws SQLTransientConnectionException {
            if (LEDGER_DOWN.get()) {
                throw new SQLTransientConnectionException("oddsgate-ledger - Connection is not available (test: the ledger is down)");
            }
        }
    }

    @AfterEach
    void ledgerBack() {
        LEDGER_DOWN.set(false);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "ARMED".equals(delete("/api/kill-switch", "test-cleanup").json().path("state").asText()));
    }

    @Test
    void withTheLedgerDownTheTripStandsSweepsEveryVenueAndIsWrittenOnceTheLedgerIsBack() {
        Answer poly = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.13", "5", "\"clientOrderId\":\"kso-poly\""));
        Answer kal = post("/api/orders", KalshiFlowTest.kalshiOrder("YES", "BUY", "0.12", "2", "\"clientOrderId\":\"kso-kalshi\""));
        assertThat(poly.json().get("state").asText()).as(poly.body()).isEqualTo("LIVE");
        assertThat(kal.json().get("state").asText()).as(kal.body()).isEqualTo("LIVE");

        LEDGER_DOWN.set(true);
        Answer tripped = trip("ledger gone, stop everything");

        assertThat(tripped.status()).as(tripped.body()).isEqualTo(200);
        assertThat(tripped.json().get("state").asText()).isEqualTo("TRIPPED");
        assertThat(tripped.json().get("by").asText()).isEqualTo("risk-desk");
        assertThat(tripped.json().get("inLedger").asBoolean(true)).as(tripped.body()).isFalse();
        assertThat(tripped.json().get("sweptWithoutLedger").asBoolean()).isTrue();
        assertThat(tripped.json().get("warning").asText()).contains("this gateway only");
        // The ledger did not take the trip: the sweep does not ask it (a ledger that hangs would hold every call up).
        assertThat(tripped.json().get("cancels").get("ledgerError").asText()).contains("not in the ledger yet");
        // Swept on what the venues list: both orders are cancelled there, though the ledger could not be read.
        assertThat(venue().orders().get(poly.json().get("orderHash").asText()).status()).isEqualTo("CANCELED");
        assertThat(KalshiFlowTest.venueOrder("kso-kalshi").status()).isEqualTo("canceled");

        JsonNode shown = get("/api/kill-switch").json();
        assertThat(shown.get("state").asText()).isEqualTo("TRIPPED");
        assertThat(shown.get("inLedger").asBoolean(true)).isFalse();
        assertThat(shown.get("historyError").asText()).contains("could not be read");

        // A trader's cancel of everything goes out without the ledger too, and says what the ledger answered.
        Answer all = delete("/api/orders?all=true", "risk-desk");
        assertThat(all.status()).as(all.body()).isEqualTo(200);
        assertThat(all.json().get("ledgerError").asText()).contains("Connection is not available");

        Answer rearm = delete("/api/kill-switch", "risk-desk");
        assertThat(rearm.status()).as("no re-arm before the trip is in the ledger: " + rearm.body()).isEqualTo(503);
        assertThat(rearm.body()).contains("stays tripped");

        LEDGER_DOWN.set(false);
        // The switch's writer thread tries every refresh; then the ledger holds the trip for every gateway.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !get("/api/kill-switch").json().has("inLedger"));
        JsonNode history = get("/api/kill-switch").json().get("history");
        assertThat(history.get(0).get("action").asText()).isEqualTo("TRIPPED");
        assertThat(history.get(0).get("by").asText()).isEqualTo("risk-desk");
        assertThat(history.get(0).get("reason").asText()).startsWith("ledger gone, stop everything (tripped at "
                + tripped.json().get("at").asText());
        assertThat(jdbc.queryForObject("SELECT action FROM kill_switch_events ORDER BY id DESC LIMIT 1", String.class))
                .isEqualTo("TRIPPED");

        int posts = venue().orderPostCount();
        Answer refused = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.13", "5", "\"clientOrderId\":\"kso-refused\""));
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.json().get("reason").asText()).contains("kill switch", "risk-desk");
        assertThat(venue().orderPostCount()).as("nothing sent").isEqualTo(posts);

        // The ledger took none of the cancels: the open-order sync brings it to the venues' truth.
        for (int pass = 0; pass < 3; pass++) {
            post("/api/orders/sync", "");
        }
        assertThat(get("/api/orders/" + poly.json().get("id").asLong()).json().get("state").asText()).isEqualTo("CANCELED");
        assertThat(get("/api/orders/" + kal.json().get("id").asLong()).json().get("state").asText()).isEqualTo("CANCELED");

        Answer rearmed = delete("/api/kill-switch", "risk-desk");
        assertThat(rearmed.status()).as(rearmed.body()).isEqualTo(200);
        assertThat(rearmed.json().get("state").asText()).isEqualTo("ARMED");
    }

    private Answer trip(String reason) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/kill-switch?reason="
                + reason.replace(" ", "%20").replace(",", "%2C")))
                .header("Authorization", "Bearer " + TOKEN).header("X-Requested-By", "risk-desk")
                .POST(HttpRequest.BodyPublishers.noBody()));
    }
}
