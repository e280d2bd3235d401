package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.message.Json;
import com.oddsgate.sim.KalshiSim;
import com.oddsgate.sim.PolymarketSim;
import com.oddsgate.sim.SimulatorServer;

/**
 * Two packaged gateways on one PostgreSQL ledger and one venue simulator, a leader elected on an
 * (embedded) ZooKeeper. Orders go to both; the leader is killed hard (SIGKILL) mid-stream, with
 * fills arriving. The follower must lead within 10 s; every order must end in the venue's state,
 * the venue must hold one order per intent, every fill must be counted once, and no leader-only
 * timer may have run on both instances at once (counted from Camel's route MBeans).
 */
@EnabledIfEnvironmentVariable(named = "ODDSGATE_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+")
class ClusterIT {

    static final String TOKEN = "dev-token-change-me";
    static final String FUNDER = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"; // the dev account
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** The routes that must run on the leader alone (their consumers are master: endpoints). */
    static final Set<String> LEADER_ONLY = Set.of("fill-streams-start", "fills-poll-timer", "open-orders-sync-timer",
            "positions-check-timer", "kill-switch-sweep", "polymarket-heartbeats");

    record Gateway(String id, Process process, int port) {
    }

    TestingServer zookeeper;
    SimulatorServer sim;
    Path data;
    String jdbcUrl;
    JdbcTemplate ledger;
    final List<Gateway> gateways = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        data = Files.createTempDirectory("oddsgate-cluster");
        // tick 500 ms: sessions of a few seconds are allowed, so a dead leader's session ends quickly.
        zookeeper = new TestingServer(new InstanceSpec(data.resolve("zk").toFile(), -1, -1, -1, true, 1, 500, 60), true);
        sim = new SimulatorServer("127.0.0.1", 0, 0,
                new PolymarketSim(Clock.systemUTC()).loadFixtures(Path.of("config/sim/polymarket.json")),
                new KalshiSim(Clock.systemUTC()).loadFixtures(Path.of("config/sim/kalshi.json"))).start();
        String schema = "cluster_" + System.currentTimeMillis();
        jdbcUrl = System.getenv("ODDSGATE_TEST_POSTGRES_URL") + "?currentSchema=" + schema;
        ledger = new JdbcTemplate(new DriverManagerDataSource(jdbcUrl, "oddsgate", "oddsgate"));
    }

    @AfterEach
    void stop() throws IOException {
        gateways.forEach(g -> g.process().destroyForcibly());
        sim.stop();
        zookeeper.close();
    }

    @Test
    void theLeaderKilledMidStreamTheOtherTakesOverAndNothingIsLostOrDoubled() throws Exception {
        Gateway a = launch("gw-a");
        awaitRole(a, "leader", Duration.ofSeconds(30));
        Gateway b = launch("gw-b");
        awaitRole(b, "follower", Duration.ofSeconds(30));
        awaitMetric(b, "oddsgate_instances_live", 2, Duration.ofSeconds(15));
        // A file dropped in the follower's inbox waits: the inbox is read by the leader only.
        Path inboxB = data.resolve("gw-b").resolve("inbox");
        Files.createDirectories(inboxB);
        Files.writeString(inboxB.resolve("drop.csv"), "venue,market,outcome,side,price,size,clientOrderId\n"
                + "polymarket,sim-btc-100k,YES,BUY,0.31,10,file-after-failover\n");

        Map<String, String> hashes = new ConcurrentHashMap<>(); // clientOrderId -> order hash, from answers
        List<String> sent = new CopyOnWriteArrayList<>();
        Map<String, Long> bBeforeKill = new HashMap<>();
        Map<String, Long> aBeforeKill = new HashMap<>();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicBoolean enough = new AtomicBoolean();
        ExecutorService senders = Executors.newFixedThreadPool(3);
        Future<?> toA = senders.submit(() -> send(a, "a-", sent, hashes, killed));
        Future<?> toB = senders.submit(() -> send(b, "b-", sent, hashes, enough));
        // Fills on the resting orders while orders come in (and while the leader dies).
        Future<?> fills = senders.submit(() -> fill(hashes, enough));

        // Mid-stream: watch the leader-only routes on both, then kill the leader.
        Instant until = Instant.now().plusSeconds(30);
        while (hashes.size() < 25 && Instant.now().isBefore(until)) {
            Thread.sleep(50);
            assertThat(leaderOnlyRuns(b).values().stream().mapToLong(Long::longValue).sum())
                    .as("the follower ran none of the leader-only routes").isZero();
        }
        aBeforeKill.putAll(leaderOnlyRuns(a));
        bBeforeKill.putAll(leaderOnlyRuns(b));
        long bFileBeforeKill = ledger.queryForObject("SELECT COUNT(*) FROM orders WHERE client_order_id = 'file-after-failover'",
                Long.class);
        // The venue takes the next orders but holds their answers: the leader dies with one of them.
        sim.polymarket().holdAnswers(Duration.ofSeconds(3));
        assertThat(sim.polymarket().awaitHeldOrder(Duration.ofSeconds(10))).isTrue();
        Thread.sleep(300);
        killed.set(true);
        a.process().destroyForcibly(); // SIGKILL: no shutdown hooks, its ZooKeeper session just stops
        Instant killedAt = Instant.now();
        a.process().waitFor();
        sim.polymarket().holdAnswers(Duration.ZERO);

        awaitRole(b, "leader", Duration.ofSeconds(10));
        Duration failover = Duration.between(killedAt, Instant.now());
        System.out.println("ClusterIT: the follower led " + failover.toMillis() + " ms after the leader was killed");
        assertThat(failover).isLessThan(Duration.ofSeconds(10));

        // Orders keep coming to the survivor after the failover.
        int afterFailover = hashes.size();
        Instant more = Instant.now().plusSeconds(30);
        while (hashes.size() < afterFailover + 15 && Instant.now().isBefore(more)) {
            Thread.sleep(100);
        }
        enough.set(true);
        toA.get(60, TimeUnit.SECONDS);
        toB.get(120, TimeUnit.SECONDS);
        fills.get(60, TimeUnit.SECONDS);
        senders.shutdown();

        // The new leader runs the timers now.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(
                leaderOnlyRuns(b).getOrDefault("fills-poll-timer", 0L)).as("the new leader polls fills").isGreaterThanOrEqualTo(2));
        assertThat(aBeforeKill.get("fills-poll-timer")).as("the first leader polled fills").isPositive();
        assertThat(bBeforeKill.values()).as("the follower ran no leader-only route while the leader lived").allMatch(n -> n == 0);
        assertThat(leaderOnlyRuns(b).get("fills-poll-timer")).as("the new leader polls fills").isGreaterThanOrEqualTo(2);
        assertThat(leaderOnlyRuns(b).get("fill-streams-start")).as("and opened the streams").isEqualTo(1);
        assertThat(leaderOnlyRuns(b).get("polymarket-heartbeats")).as("and sends the heartbeats").isPositive();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> assertThat(ledger.queryForObject(
                "SELECT COUNT(*) FROM orders WHERE client_order_id = 'file-after-failover'", Long.class)).as("the new leader read its inbox")
                .isPositive());
        assertThat(bFileBeforeKill).as("the follower left its inbox alone").isZero();
        assertThat(ledger.queryForObject("SELECT COUNT(*) FROM orders WHERE client_order_id = 'file-after-failover'", Long.class))
                .as("the new leader read its inbox").isEqualTo(1);

        // Every order resolved (the dead instance's ones by the new leader, once its lease ran out).
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(unresolved()).as("orders left unresolved").isZero());

        List<String> mismatches = new ArrayList<>();
        Map<String, PolymarketSim.SimOrder> atVenue = new HashMap<>(sim.polymarket().orders());
        List<Map<String, Object>> rows = ledger.queryForList("SELECT id, client_order_id, state, order_hash, filled_size, reason,"
                + " owner FROM " + com.oddsgate.ledger.OrderLedger.ORDERS);
        Map<String, Integer> perIntent = new HashMap<>();
        for (Map<String, Object> row : rows) {
            perIntent.merge((String) row.get("client_order_id"), 1, Integer::sum);
            String state = (String) row.get("state");
            BigDecimal filled = row.get("filled_size") == null ? BigDecimal.ZERO : (BigDecimal) row.get("filled_size");
            String hash = (String) row.get("order_hash");
            PolymarketSim.SimOrder o = hash == null ? null : atVenue.remove(hash.toLowerCase(Locale.ROOT));
            FaultScheduleTest.compare("order " + row.get("id") + " (" + row.get("client_order_id") + ", " + state + ", owner "
                    + row.get("owner") + ")", state, filled, o == null ? null : o.status().equals("LIVE") ? "open"
                            : o.status().equals("MATCHED") ? "filled" : "canceled", o == null ? null : o.sizeMatched(),
                    (String) row.get("reason"), mismatches);
        }
        atVenue.values().forEach(o -> mismatches.add("the venue holds order " + o.id() + " that no ledger order carries"));
        perIntent.forEach((id, n) -> {
            if (n > 1) {
                mismatches.add(n + " ledger orders for clientOrderId " + id);
            }
        });
        assertThat(mismatches).isEmpty();
        assertThat(rows).as("orders recorded").hasSizeGreaterThanOrEqualTo(60);
        assertThat(rows.stream().map(r -> r.get("owner")).distinct()).as("orders taken on both instances")
                .contains("gw-a", "gw-b");
        List<String> takenOver = rows.stream().filter(r -> ((String) r.get("client_order_id")).startsWith("a-")
                && "gw-b".equals(r.get("owner"))).map(r -> r.get("client_order_id") + " " + r.get("state")).toList();
        assertThat(takenOver).as("the order in flight when the leader died, resolved by the survivor").isNotEmpty();

        // Every (trade, order) fill once, and positions as the venue has them.
        long expectedFills = sim.polymarket().trades().stream().mapToLong(t -> t.path("maker_orders").findValuesAsText("maker_address")
                .stream().filter(FUNDER::equalsIgnoreCase).count()).sum();
        Map<String, BigDecimal> truth = sim.polymarket().positionsOf(FUNDER);
        Instant fillsUntil = Instant.now().plusSeconds(30);
        long counted = -1;
        Map<String, BigDecimal> ours = Map.of();
        while (Instant.now().isBefore(fillsUntil)) {
            counted = ledger.queryForObject("SELECT COUNT(*) FROM fills WHERE venue = 'polymarket'", Long.class);
            ours = positions(b);
            if (counted == expectedFills && ours.equals(truth)) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(expectedFills).as("fills happened").isPositive();
        assertThat(counted).as("every fill counted once").isEqualTo(expectedFills);
        assertThat(ours).as("positions equal the venue's").isEqualTo(truth);
        System.out.println("ClusterIT: " + rows.size() + " orders, " + sent.size() + " sent, " + counted + " fills; taken over "
                + takenOver + "; leader-only runs before the kill: a " + aBeforeKill + ", b " + bBeforeKill);
    }

    /** Orders, one after the other, until {@code stop} (at most 400). */
    private void send(Gateway g, String prefix, List<String> sent, Map<String, String> hashes, AtomicBoolean stop) {
        Random random = new Random(prefix.hashCode());
        for (int i = 0; i < 400 && !stop.get(); i++) {
            String id = prefix + i;
            sent.add(id);
            String price = "0.3" + random.nextInt(10);
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + "/api/orders"))
                        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"venue\":\"polymarket\",\"market\":\"sim-btc-100k\","
                                + "\"outcome\":\"YES\",\"side\":\"BUY\",\"price\":\"" + price + "\",\"size\":\"10\",\"clientOrderId\":\""
                                + id + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(id + ": " + r.body()).isEqualTo(201);
                hashes.put(id, Json.MAPPER.readTree(r.body()).get("orderHash").asText());
            } catch (IOException lostWithTheLeader) {
                assertThat(g.id()).as(id + " lost its answer: " + lostWithTheLeader).isEqualTo("gw-a");
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sleep(40);
        }
    }

    private void fill(Map<String, String> hashes, AtomicBoolean stop) {
        Random random = new Random(7);
        while (!stop.get()) {
            List<String> live = new ArrayList<>(hashes.values());
            if (!live.isEmpty()) {
                String h = live.get(random.nextInt(live.size()));
                PolymarketSim.SimOrder o = sim.polymarket().orders().get(h.toLowerCase(Locale.ROOT));
                if (o != null && o.status().equals("LIVE") && o.originalSize().subtract(o.sizeMatched()).compareTo(new BigDecimal("2")) >= 0) {
                    sim.polymarket().fillResting(List.of(h), new BigDecimal("2"), 1);
                }
            }
            sleep(60);
        }
    }

    private long unresolved() {
        return ledger.queryForObject("SELECT COUNT(*) FROM orders WHERE state IN ('RECEIVED','PENDING_SUBMIT','UNKNOWN')", Long.class);
    }

    /** Exchanges each leader-only route has run on this instance, from Camel's route MBeans over Jolokia. */
    private Map<String, Long> leaderOnlyRuns(Gateway g) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port()
                + "/actuator/jolokia/read/org.apache.camel:context=*,type=routes,name=*/ExchangesTotal"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:dev-admin-change-me"
                        .getBytes(StandardCharsets.UTF_8))).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, Long> out = new TreeMap<>();
        Json.MAPPER.readTree(r.body()).get("value").fields().forEachRemaining(e -> {
            String name = e.getKey().replaceAll(".*name=\"([^\"]+)\".*", "$1");
            if (LEADER_ONLY.contains(name)) {
                out.put(name, e.getValue().get("ExchangesTotal").asLong());
            }
        });
        assertThat(out.keySet()).as("the leader-only routes exist on every instance").isEqualTo(LEADER_ONLY);
        return out;
    }

    private Map<String, BigDecimal> positions(Gateway g) throws Exception {
        Map<String, BigDecimal> out = new TreeMap<>();
        for (JsonNode p : get(g, "/api/positions?venue=polymarket").get("positions")) {
            BigDecimal size = new BigDecimal(p.get("size").asText());
            if (size.signum() != 0) {
                out.put(p.get("tokenId").asText(), size.stripTrailingZeros());
            }
        }
        return out;
    }

    private JsonNode get(Gateway g, String path) throws Exception {
        return Json.MAPPER.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + path))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private void awaitRole(Gateway g, String role, Duration within) throws Exception {
        Instant until = Instant.now().plus(within);
        String last = null;
        while (Instant.now().isBefore(until)) {
            try {
                last = get(g, "/actuator/health").path("components").path("cluster").path("details").path("role").asText();
                if (role.equals(last)) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError(g.id() + " is not " + role + " after " + within + " (last: " + last + "; logs in " + data + ")");
    }

    private void awaitMetric(Gateway g, String name, double value, Duration within) throws Exception {
        Instant until = Instant.now().plus(within);
        String body = "";
        while (Instant.now().isBefore(until)) {
            body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + "/actuator/prometheus")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            if (body.lines().anyMatch(l -> l.startsWith(name + " ") && Double.parseDouble(l.substring(name.length() + 1)) == value)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(g.id() + ": " + name + " never reached " + value + ": "
                + body.lines().filter(l -> l.startsWith(name)).toList());
    }

    private Gateway launch(String id) throws Exception {
        String jar = System.getProperty("oddsgate.jar", "target/oddsgate-0.1.0-SNAPSHOT.jar");
        assertThat(new File(jar)).as("packaged gateway (mvn verify packages it before integration tests)").exists();
        int port = TestPorts.freePort();
        Path dir = data.resolve(id);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar,
                "--spring.profiles.active=postgres,cluster",
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=oddsgate",
                "--spring.datasource.password=oddsgate",
                "--spring.flyway.schemas=" + jdbcUrl.substring(jdbcUrl.indexOf("currentSchema=") + "currentSchema=".length()),
                "--oddsgate.cluster.zookeeper=127.0.0.1:" + zookeeper.getPort(),
                "--oddsgate.cluster.session-timeout=4s",
                "--oddsgate.instance-id=" + id,
                "--oddsgate.instance-lease=6s",
                "--oddsgate.instance-lease-renew-ms=1000",
                "--server.port=" + port,
                "--oddsgate.polymarket.clob-url=" + sim.baseUrl() + "/clob",
                "--oddsgate.polymarket.gamma-url=" + sim.baseUrl() + "/gamma",
                "--oddsgate.polymarket.data-url=" + sim.baseUrl() + "/data-api",
                "--oddsgate.polymarket.ws-url=" + sim.sockets().baseUrl(),
                "--oddsgate.kalshi.base-url=" + sim.baseUrl() + "/kalshi",
                "--oddsgate.kalshi.ws-url=" + sim.sockets().baseUrl() + "/trade-api/ws/v2",
                "--oddsgate.relay.ws.port=" + TestPorts.freePort(),
                "--oddsgate.data-dir=" + dir,
                "--oddsgate.inbox=" + dir.resolve("inbox"),
                "--oddsgate.outbox=" + dir.resolve("outbox"),
                "--oddsgate.retry.max-redeliveries=5",
                "--oddsgate.retry.delay-ms=500",
                "--oddsgate.recovery.initial-delay-ms=500",
                "--oddsgate.recovery.period-ms=1000",
                "--oddsgate.recovery.min-age=2s",
                "--oddsgate.polymarket.open-orders-sync.period=2s",
                "--oddsgate.positions.check.initial-delay-ms=500",
                "--oddsgate.positions.check.period-ms=2000",
                "--oddsgate.kill-switch.sweep-period-ms=1000",
                "--oddsgate.fills.websocket.keepalive-ms=500",
                "--oddsgate.fills.polling.initial-delay-ms=500",
                "--oddsgate.fills.polling.period-ms=1000",
                "--oddsgate.polymarket.heartbeats.enabled=true",
                "--oddsgate.polymarket.heartbeats.period=1s",
                "--oddsgate.file-poll-delay-ms=200",
                "--oddsgate.file-min-age-ms=500"));
        Files.createDirectories(dir);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("gateway.log").toFile()).start();
        Gateway g = new Gateway(id, p, port);
        gateways.add(g);
        Instant until = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(until)) {
            assertThat(p.isAlive()).as(id + " process (logs in " + dir + ")").isTrue();
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/orders?limit=1"))
                        .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return g;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError(id + " did not start; logs in " + dir);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
