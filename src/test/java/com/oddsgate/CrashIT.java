package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

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
import com.oddsgate.api.Json;
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
    void killedBeforeTheVenueSawTheOrderTheRestartSendsTheSameSignedOrder() throws Exception {
        start();
        HTTP.send(get("/api/markets/sim-btc-100k"), HttpResponse.BodyHandlers.discarding()); // market data cached
        sim.stop(); // the venue is down: the order is recorded and signed, then waits in redelivery backoff
        HTTP.sendAsync(order("crash-before-send"), HttpResponse.BodyHandlers.ofString());
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
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int wsPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            wsPort = s.getLocalPort();
        }
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
                "--oddsgate.recovery.period-ms=1000"));
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
