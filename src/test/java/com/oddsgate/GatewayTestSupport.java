package com.oddsgate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.message.Json;
import com.oddsgate.sim.KalshiSim;
import com.oddsgate.sim.PolymarketSim;
import com.oddsgate.sim.SimulatorServer;

/**
 * A running gateway (random port, in-memory H2, temp inbox/outbox) against the venue simulators,
 * which the tests own so they can stop, fail or inspect them. Loopback only.
 */
@CamelSpringBootTest
@SpringBootTest(classes = OddsgateApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class GatewayTestSupport {

    public static final String TOKEN = "dev-token-change-me";
    protected static final SimulatorServer SIM;
    protected static final Path INBOX;
    protected static final Path OUTBOX;
    protected static final int RELAY_WS_PORT = TestPorts.freePort();
    private static final String DB_URL = "jdbc:h2:mem:oddsgate-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";

    static {
        try {
            SIM = new SimulatorServer("127.0.0.1", 0, 0,
                    new PolymarketSim(Clock.systemUTC()).loadFixtures(Path.of("config/sim/polymarket.json")).rateTier(PolymarketSim.RateTier.TOP),
                    // Kalshi above the Basic tier the gateways pace at: several test contexts share its key.
                    new KalshiSim(Clock.systemUTC()).loadFixtures(Path.of("config/sim/kalshi.json")).rateTier(2000, 4000, 1000, 2000))
                    .start();
            Path dir = Files.createTempDirectory("oddsgate-test");
            INBOX = Files.createDirectories(dir.resolve("inbox"));
            OUTBOX = Files.createDirectories(dir.resolve("outbox"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry r) {
        // config/application-test.yaml: the venues are the simulators unless a test names a stand-in.
        r.add("oddsgate.test.sim-clob-url", () -> SIM.baseUrl() + "/clob");
        r.add("oddsgate.test.sim-gamma-url", () -> SIM.baseUrl() + "/gamma");
        r.add("oddsgate.test.sim-kalshi-url", () -> SIM.baseUrl() + "/kalshi");
        r.add("oddsgate.polymarket.ws-url", () -> SIM.sockets().baseUrl());
        r.add("oddsgate.test.sim-data-url", () -> SIM.baseUrl() + "/data-api");
        r.add("oddsgate.kalshi.ws-url", () -> SIM.sockets().baseUrl() + "/trade-api/ws/v2");
        r.add("oddsgate.relay.ws.port", () -> RELAY_WS_PORT);
        r.add("oddsgate.test.db-url", () -> DB_URL); // config/application-test.yaml: the datasource, unless a test sets its own
        r.add("oddsgate.test.inbox", INBOX::toString);
        r.add("oddsgate.test.outbox", OUTBOX::toString);
    }

    protected static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    protected int port;
    @Autowired
    protected CamelContext camel;
    @Autowired
    protected ProducerTemplate producer;
    @Autowired
    protected JdbcTemplate jdbc;

    protected static PolymarketSim venue() {
        return SIM.polymarket();
    }

    /**
     * For a context whose venues are not the simulators (a stand-in): its own ledger and file drop
     * folders, so that neither its orders nor its file consumer meet the other contexts'.
     */
    protected static void ownLedgerAndFolders(DynamicPropertyRegistry r, String name) {
        try {
            Path dir = Files.createTempDirectory("oddsgate-" + name);
            r.add("oddsgate.test.own-db-url", () -> "jdbc:h2:mem:oddsgate-" + name + "-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
            r.add("oddsgate.test.own-inbox", () -> dir.resolve("inbox").toString());
            r.add("oddsgate.test.own-outbox", () -> dir.resolve("outbox").toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static KalshiSim kalshi() {
        return SIM.kalshi();
    }



    public record Answer(int status, JsonNode json, String body) {
    }

    protected Answer post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    protected Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + TOKEN).GET());
    }

    protected Answer delete(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + TOKEN).DELETE());
    }

    protected Answer patch(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    /** The full view of the venue's order with this client order id (its history and fills). */
    protected JsonNode orderView(String venue, String clientOrderId) {
        for (JsonNode o : get("/api/orders?venue=" + venue + "&limit=500").json().get("orders")) {
            if (o.get("clientOrderId").asText().equals(clientOrderId)) {
                return get("/api/orders/" + o.get("id").asLong()).json();
            }
        }
        throw new AssertionError("no " + venue + " order " + clientOrderId);
    }

    /** PUT /api/risk as a risk officer: the limits in force from the next order on. */
    protected Answer limits(String json) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/risk"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .header("X-Requested-By", "risk-officer").PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    /** A DELETE naming who asks (X-Requested-By). */
    protected Answer delete(String path, String requestedBy) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + TOKEN).header("X-Requested-By", requestedBy).DELETE());
    }

    protected static Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            if (!r.body().isBlank() && r.headers().firstValue("Content-Type").orElse("").contains("json")) {
                json = Json.MAPPER.readTree(r.body());
            }
            return new Answer(r.statusCode(), json, r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    protected static String order(String market, String outcome, String side, String price, String size, String extra) {
        return "{\"venue\":\"polymarket\",\"market\":\"" + market + "\",\"outcome\":\"" + outcome + "\",\"side\":\"" + side
                + "\",\"price\":\"" + price + "\",\"size\":\"" + size + "\"" + (extra == null ? "" : "," + extra) + "}";
    }

    @Autowired
    protected com.oddsgate.api.RestOrders restOrders;
    @Autowired
    protected com.oddsgate.ledger.OrderLedger ledger;
    @Autowired
    protected com.oddsgate.polymarket.protocol.PolymarketMarkets markets;
    @Autowired
    protected com.oddsgate.polymarket.protocol.PolymarketOrders polymarketOrders;

    /**
     * What the gateway had done when it died between "recorded" and "sent": the order recorded,
     * resolved, signed and its intent (PENDING_SUBMIT with the signed payload) written.
     */
    protected com.oddsgate.order.OrderTicket intentRecorded(String orderJson) {
        com.oddsgate.order.OrderTicket t = restOrders.ticket(orderJson);
        ledger.recordReceived(t);
        markets.resolve(t);
        polymarketOrders.sign(t);
        ledger.recordIntent(t);
        return t;
    }

    /**
     * Runs the recovery pass the timer would run, once the exchanges that answered the test's last
     * requests have ended (an HTTP answer reaches the test a moment before its exchange leaves
     * Camel's in-flight registry, and recovery leaves in-flight orders alone).
     */
    protected void runRecovery() {
        awaitExchangesEnded();
        producer.sendBody("direct:recover-unresolved", null);
    }

    /** Until no exchange works on an order any more (a cancel of one whose answer is unknown waits for that too). */
    protected void awaitExchangesEnded() {
        org.awaitility.Awaitility.await("the test's exchanges end").atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(20)).until(() -> com.oddsgate.ledger.InFlightOrders.of(camel).isEmpty());
    }

    protected String stateOf(long orderId) {
        return jdbc.queryForObject("SELECT state FROM orders WHERE id = ?", String.class, orderId);
    }
}
