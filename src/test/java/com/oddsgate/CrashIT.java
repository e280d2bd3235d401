package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.message.Json;
import com.oddsgate.sim.KalshiSim;
import com.oddsgate.sim.PolymarketSim;
import com.oddsgate.sim.SimulatorServer;

/**
 * The packaged gateway, killed hard (SIGKILL) with an order in flight, then started again on the
 * same H2 files: the order must end with its true state and the venue must hold exactly one order.
 */
class CrashIT {

    static final String TOKEN = "dev-token-change-me";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    SimulatorServer sim;
    Path data;
    Process gateway;
    int port;

    @BeforeEach
    void venue() throws IOException {
        sim = new SimulatorServer("127.0.0.1", 0, 0,
                new PolymarketSim(Clock.systemUTC()).loadFixtures(Path.of("config/sim/polymarket.json")),
                new KalshiSim(Clock.systemUTC()).loadFixtures(Path.of("config/sim/kalshi.json"))).start();
        data = Files.createTempDirectory("oddsgate-crash");
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.destroyForcibly();
        }
        sim.stop();
    }

    @Test
    void killedAfterTheVenueTookTheOrderTheRestartFindsItByHash() throws Exception {
        start();
        sim.polymarket().holdAnswers(Duration.ofSeconds(60));
        CompletableFuture<HttpResponse<String>> inFlight = HTTP.sendAsync(order("crash-after-send"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sim.polymarket().awaitHeldOrder(Duration.ofSeconds(20))).as("the venue took the order").isTrue();
        kill();
        assertThat(inFlight.handle((r, e) -> r == null).get()).as("the caller never got an answer").isTrue();
        sim.polymarket().holdAnswers(Duration.ZERO);
        int posts = sim.polymarket().orderPostCount();

        start();
        JsonNode order = awaitState("crash-after-send", "LIVE");
        assertThat(sim.polymarket().orders()).containsKey(order.get("orderHash").asText());
        assertThat(sim.polymarket().orders().size()).as("exactly one order at the venue").isEqualTo(1);
        assertThat(sim.polymarket().orderPostCount()).as("found by hash, nothing re-sent").isEqualTo(posts);
        assertThat(order.get("events").findValuesAsText("source")).contains("recovery");
    }

    @Test
    void aStopEndsWithinItsBoundWhateverIsInFlightAndLosesNoIntent() throws Exception {
        start();
        HTTP.send(get("/api/markets/sim-btc-100k"), HttpResponse.BodyHandlers.discarding()); // market data cached
        // One order whose answer the venue holds, one waiting in redelivery backoff for a venue that refuses.
        sim.polymarket().holdAnswers(Duration.ofSeconds(60));
        HTTP.sendAsync(order("stop-held"), HttpResponse.BodyHandlers.ofString());
        assertThat(sim.polymarket().awaitHeldOrder(Duration.ofSeconds(20))).isTrue();
        sim.polymarket().failNextOrderPosts(1000, 503);
        HTTP.sendAsync(order("stop-backoff", "SELL", "0.80", "10"), HttpResponse.BodyHandlers.ofString());
        awaitState("stop-backoff", "PENDING_SUBMIT");

        long started = System.nanoTime();
        gateway.destroy(); // SIGTERM: a graceful stop
        assertThat(gateway.waitFor(40, java.util.concurrent.TimeUnit.SECONDS)).as("stopped within its bound").isTrue();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.println("CrashIT: SIGTERM to exit took " + took.toMillis() + " ms");
        assertThat(took).as("two shutdown phases of 10 s at most, plus the JVM").isLessThan(Duration.ofSeconds(30));
        gateway = null;
        sim.polymarket().holdAnswers(Duration.ZERO);
        sim.polymarket().failNextOrderPosts(0, 503);

        start();
        JsonNode held = awaitState("stop-held", "LIVE");
        JsonNode backoff = awaitState("stop-backoff", "LIVE");
        assertThat(sim.polymarket().orders().keySet()).as("each intent once at the venue")
                .containsExactlyInAnyOrder(held.get("orderHash").asText(), backoff.get("orderHash").asText());
    }

    @Test
    void killedBeforeTheVenueSawTheOrderTheRestartSendsTheSameSignedOrder() throws Exception {
        start();
        HTTP.send(get("/api/markets/sim-btc-100k"), HttpResponse.BodyHandlers.discarding()); // market data cached
        sim.stop(); // the venue is down: the order is recorded and signed, then waits in redelivery backoff
        // A SELL: a BUY would first need the venue for its money check, and be refused unsent.
        HTTP.sendAsync(order("crash-before-send", "SELL", "0.80", "10"), HttpResponse.BodyHandlers.ofString());
        JsonNode pending = awaitState("crash-before-send", "PENDING_SUBMIT");
        String hash = pending.get("orderHash").asText();
        kill();
        sim.start();

        start();
        JsonNode order = awaitState("crash-before-send", "LIVE");
        assertThat(order.get("orderHash").asText()).isEqualTo(hash);
        assertThat(sim.polymarket().orders().keySet()).containsExactly(hash);
    }

    @Test
    void killedBeforeSigningTheRestartClosesTheOrderAsNotSent() throws Exception {
        start();
        sim.stop(); // market data unreachable: the order stays RECEIVED while redelivery waits
        HTTP.sendAsync(order("crash-before-sign"), HttpResponse.BodyHandlers.ofString());
        awaitState("crash-before-sign", "RECEIVED");
        kill();
        sim.start();

        start();
        JsonNode order = awaitState("crash-before-sign", "REJECTED");
        assertThat(order.get("reason").asText()).contains("not sent");
        assertThat(sim.polymarket().orders()).isEmpty();
    }

    static final String FUNDER = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"; // the dev account

    @Test
    void killedWhileFillsStreamInTheRestartCountsEveryFillOnceAndPositionsEqualTheVenues() throws Exception {
        start();
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = HTTP.send(order("crash-fills-" + i, "0.3" + i, "200"), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            hashes.add(Json.MAPPER.readTree(r.body()).get("orderHash").asText());
        }
        awaitUserChannel();
        java.util.Random random = new java.util.Random(11);
        List<String> trades = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            if (i == 120) {
                kill(); // mid-stream: fills keep coming while the gateway is dead
            }
            String a = hashes.get(random.nextInt(hashes.size()));
            String b = hashes.get(random.nextInt(hashes.size()));
            List<String> makers = a.equals(b) ? List.of(a) : List.of(a, b);
            trades.addAll(sim.polymarket().fillResting(makers, new java.math.BigDecimal("0.5"), random.nextInt(8) == 0 ? 2 : 1));
            String t = trades.get(random.nextInt(trades.size()));
            switch (random.nextInt(6)) {
                case 0 -> trySetStatus(t, "MINED");
                case 1 -> trySetStatus(t, "CONFIRMED");
                case 2 -> sim.polymarket().redeliver(t);
                default -> { }
            }
            if (i % 50 == 7) {
                trySetStatus(t, "FAILED");
            }
            Thread.sleep(5);
        }
        start();

        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        java.util.Map<String, java.math.BigDecimal> ours = java.util.Map.of();
        java.util.Map<String, java.math.BigDecimal> truth = sim.polymarket().positionsOf(FUNDER);
        long expectedFills = sim.polymarket().trades().stream().mapToLong(t -> t.path("maker_orders").findValuesAsText("maker_address")
                .stream().filter(FUNDER::equalsIgnoreCase).count()).sum();
        long fills = -1;
        while (Instant.now().isBefore(until)) {
            ours = positions();
            fills = Json.MAPPER.readTree(HTTP.send(get("/api/fills?venue=polymarket&limit=5000"),
                    HttpResponse.BodyHandlers.ofString()).body()).get("count").asLong();
            if (ours.equals(truth) && fills == expectedFills) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(ours).as("positions after the restart equal the venue's").isEqualTo(truth);
        assertThat(fills).as("every (trade, order) fill exactly once").isEqualTo(expectedFills);
        for (JsonNode f : Json.MAPPER.readTree(HTTP.send(get("/api/fills?venue=polymarket&limit=5000"),
                HttpResponse.BodyHandlers.ofString()).body()).get("fills")) {
            String status = sim.polymarket().trades().stream().filter(t -> t.get("id").asText().equals(f.get("tradeId").asText()))
                    .findFirst().orElseThrow().get("status").asText();
            // The venue's word as the gateway reads it (MATCHED_NOT_BROADCASTED counts as MATCHED).
            assertThat(f.get("status").asText()).as("fill of trade " + f.get("tradeId").asText())
                    .isEqualTo(com.oddsgate.fills.TradeStatus.parse(status).name());
        }
    }

    private void trySetStatus(String trade, String status) {
        String now = sim.polymarket().trades().stream().filter(t -> t.get("id").asText().equals(trade)).findFirst().orElseThrow()
                .get("status").asText();
        if (!now.equals("FAILED") && !now.equals("CONFIRMED")) {
            sim.polymarket().setTradeStatus(trade, status);
        }
    }

    private void awaitUserChannel() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> assertThat(
                sim.sockets().subscriptions()).as("the gateway subscribed to the user channel").isPositive());
    }

    private java.util.Map<String, java.math.BigDecimal> positions() throws Exception {
        java.util.Map<String, java.math.BigDecimal> out = new java.util.TreeMap<>();
        HttpResponse<String> r = HTTP.send(get("/api/positions?venue=polymarket"), HttpResponse.BodyHandlers.ofString());
        for (JsonNode p : Json.MAPPER.readTree(r.body()).get("positions")) {
            java.math.BigDecimal size = new java.math.BigDecimal(p.get("size").asText());
            if (size.signum() != 0) {
                out.put(p.get("tokenId").asText(), size.stripTrailingZeros());
            }
        }
        return out;
    }

    private HttpRequest order(String clientOrderId, String price, String size) {
        return order(clientOrderId, "BUY", price, size);
    }

    private HttpRequest order(String clientOrderId, String side, String price, String size) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/orders"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"venue\":\"polymarket\",\"market\":\"sim-btc-100k\",\"outcome\":\"YES\","
                        + "\"side\":\"" + side + "\",\"price\":\"" + price + "\",\"size\":\"" + size + "\",\"clientOrderId\":\""
                        + clientOrderId + "\"}"))
                .build();
    }

    private HttpRequest order(String clientOrderId) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/orders"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"venue\":\"polymarket\",\"market\":\"sim-btc-100k\",\"outcome\":\"YES\","
                        + "\"side\":\"BUY\",\"price\":\"0.48\",\"size\":\"10\",\"clientOrderId\":\"" + clientOrderId + "\"}"))
                .build();
    }

    private JsonNode awaitState(String clientOrderId, String state) throws Exception {
        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        JsonNode last = null;
        while (Instant.now().isBefore(until)) {
            try {
                HttpResponse<String> list = HTTP.send(get("/api/orders?limit=10"), HttpResponse.BodyHandlers.ofString());
                for (JsonNode o : Json.MAPPER.readTree(list.body()).get("orders")) {
                    if (o.get("clientOrderId").asText().equals(clientOrderId)) {
                        last = Json.MAPPER.readTree(HTTP.send(get("/api/orders/" + o.get("id").asLong()),
                                HttpResponse.BodyHandlers.ofString()).body());
                        if (last.get("state").asText().equals(state)) {
                            return last;
                        }
                    }
                }
            } catch (IOException gatewayNotReady) {
                // keep polling
            }
            Thread.sleep(200);
        }
        throw new AssertionError("order " + clientOrderId + " never reached " + state + "; last seen " + last);
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + TOKEN)
                .GET().build();
    }

    private void start() throws Exception {
        String jar = System.getProperty("oddsgate.jar", "target/oddsgate-0.1.0-SNAPSHOT.jar");
        assertThat(new File(jar)).as("packaged gateway (mvn verify packages it before integration tests)").exists();
        port = TestPorts.freePort();
        int wsPort = TestPorts.freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar,
                "--server.port=" + port,
                "--oddsgate.sim.enabled=false",
                "--oddsgate.polymarket.clob-url=" + sim.baseUrl() + "/clob",
                "--oddsgate.polymarket.gamma-url=" + sim.baseUrl() + "/gamma",
                "--oddsgate.polymarket.ws-url=" + sim.sockets().baseUrl(),
                "--oddsgate.kalshi.base-url=" + sim.baseUrl() + "/kalshi",
                "--oddsgate.relay.ws.port=" + wsPort,
                "--oddsgate.data-dir=" + data,
                "--oddsgate.inbox=" + data.resolve("inbox"),
                "--oddsgate.outbox=" + data.resolve("outbox"),
                "--oddsgate.retry.max-redeliveries=20",
                "--oddsgate.retry.delay-ms=1000",
                "--oddsgate.retry.backoff-multiplier=1",
                "--oddsgate.recovery.initial-delay-ms=500",
                "--oddsgate.recovery.period-ms=1000",
                "--oddsgate.polymarket.data-url=" + sim.baseUrl() + "/data-api",
                "--oddsgate.kalshi.ws-url=" + sim.sockets().baseUrl() + "/trade-api/ws/v2",
                "--oddsgate.fills.websocket.keepalive-ms=500",
                "--oddsgate.fills.polling.initial-delay-ms=500",
                "--oddsgate.fills.polling.period-ms=2000"));
        gateway = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(data.resolve("gateway-" + System.nanoTime() + ".log").toFile()).start();
        Instant until = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(until)) {
            assertThat(gateway.isAlive()).as("gateway process (logs in " + data + ")").isTrue();
            try {
                if (HTTP.send(get("/api/orders?limit=1"), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("gateway did not start; logs in " + data);
    }

    private void kill() throws InterruptedException {
        gateway.destroyForcibly(); // SIGKILL: no shutdown hooks, no graceful stop
        gateway.waitFor();
        gateway = null;
    }
}
