package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.sim.KalshiSim;
import com.oddsgate.sim.PolymarketSim;
import com.oddsgate.sim.SimulatorServer;
import com.oddsgate.sim.VenueFaults;

/**
 * A few hundred orders over both venues (placements, batches, cancels, amends) under a random
 * schedule of venue faults — answers lost after the venue took the order, answers cut off midway,
 * a CDN's HTML 403, 429 storms with Retry-After, 503s, unknown status words, a success whose body
 * is not the venue's answer, the Polymarket order version switching right after a lost answer, its
 * trades list trailing the matches, slow lists, the balance endpoint down, trades with long outcome
 * labels, now and then the kill switch tripped and re-armed — then quiet.
 * Once recovery, the open-order sync and the fill catch-up have run, every order's state and filled
 * size in the ledger must equal the venue's, no intent may have two signatures at the venue, filled
 * never exceeds size, and positions agree.
 * <p>
 * Seeded: {@code -Doddsgate.faults.seed=N} replays a run, {@code -Doddsgate.faults.seed=random}
 * draws one (printed); {@code -Doddsgate.faults.orders=N} sets the number of operations.
 */
class FaultScheduleTest extends GatewayTestSupport {

    static final long DEFAULT_SEED = 20261130L;
    static final SimulatorServer VENUES;

    static {
        try {
            VENUES = new SimulatorServer("127.0.0.1", 0, 0,
                    new PolymarketSim(Clock.systemUTC()).loadFixtures(Path.of("config/sim/polymarket.json"))
                            .rateTier(PolymarketSim.RateTier.TOP),
                    new KalshiSim(Clock.systemUTC()).loadFixtures(Path.of("config/sim/kalshi.json")).rateTier(2000, 4000, 1000, 2000))
                    .start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void faultyVenues(DynamicPropertyRegistry r) {
        r.add("oddsgate.test.polymarket-clob-url", () -> VENUES.baseUrl() + "/clob");
        r.add("oddsgate.test.polymarket-gamma-url", () -> VENUES.baseUrl() + "/gamma");
        r.add("oddsgate.test.polymarket-data-url", () -> VENUES.baseUrl() + "/data-api");
        r.add("oddsgate.test.kalshi-url", () -> VENUES.baseUrl() + "/kalshi");
        ownLedgerAndFolders(r, "faults");
        // A short read timeout keeps lost answers cheap; the venue closes them only after it.
        r.add("camel.component.http.so-timeout", () -> "800");
        r.add("camel.component.http.response-timeout", () -> "800");
    }

    @AfterAll
    static void stop() {
        VENUES.stop();
    }

    static final String POLY_MARKET = "sim-btc-100k";
    static final AtomicInteger trips = new AtomicInteger();
    static final String KALSHI_TICKER = "SIM-KX-RAIN";

    @Test
    void everyOrderEndsAsTheVenueHoldsItUnderARandomFaultSchedule() throws Exception {
        String seedProperty = System.getProperty("oddsgate.faults.seed", "");
        long seed = seedProperty.equals("random") ? new Random().nextLong()
                : seedProperty.isBlank() ? DEFAULT_SEED : Long.parseLong(seedProperty.trim());
        int operations = Integer.getInteger("oddsgate.faults.orders", 240);
        System.out.println("FaultScheduleTest seed=" + seed + " operations=" + operations
                + " (replay with -Doddsgate.faults.seed=" + seed + ")");
        String run = "fz" + Long.toHexString(seed & 0xffffff) + "x" + System.nanoTime() % 100000;

        VenueFaults faults = VENUES.faults().lostAnswerAfter(Duration.ofMillis(1300)).slowBy(Duration.ofMillis(300))
                .random(seed, 0.2, 0.1);
        VENUES.polymarket().oddOutcomeLabels(true);
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        List<Long> placed = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            for (int i = 0; i < operations; i++) {
                Random rnd = new Random(seed * 31 + i);
                String id = run + "n" + i;
                // A third and two thirds of the way in, whatever the seed, the kill switch trips (and is re-armed).
                boolean trip = i == operations / 3 || i == 2 * operations / 3;
                // For two stretches Polymarket's trades list trails its matches (the orders' own state shows them).
                if (i == operations / 6 || i == operations / 2) {
                    done.add(pool.submit(() -> VENUES.polymarket().tradesLag(true)));
                } else if (i == operations / 6 + operations / 8 || i == operations / 2 + operations / 8) {
                    done.add(pool.submit(() -> VENUES.polymarket().tradesLag(false)));
                }
                done.add(pool.submit(() -> operate(rnd, id, placed, answers, trip)));
            }
            for (Future<?> f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
            faults.quiet();
            VENUES.polymarket().tradesLag(false);
            VENUES.polymarket().oddOutcomeLabels(false);
        }
        Map<VenueFaults.Kind, Integer> injected = faults.injected();
        System.out.println("FaultScheduleTest faults injected " + faults.injectedTotal() + " " + injected + "; gateway answers " + answers);
        assertThat(answers).as("no request ends in a 500").doesNotContainKey("500");

        // Quiet: what the gateway runs on its own timers, until nothing is unresolved.
        settle();

        List<Map<String, Object>> rows = jdbc.queryForList("SELECT id, client_order_id, venue, state, order_hash, venue_order_id,"
                + " size, filled_size, reason FROM " + com.oddsgate.ledger.OrderLedger.ORDERS);
        List<String> mismatches = new ArrayList<>();
        Map<String, PolymarketSim.SimOrder> polyAtVenue = new HashMap<>(VENUES.polymarket().orders());
        Map<String, KalshiSim.SimOrder> kalshiAtVenue = new HashMap<>();
        VENUES.kalshi().orders().forEach(o -> {
            if (kalshiAtVenue.put(o.clientOrderId(), o) != null) {
                mismatches.add("kalshi holds two orders for client_order_id " + o.clientOrderId());
            }
        });
        int polymarketOrders = 0;
        int kalshiOrders = 0;
        for (Map<String, Object> row : rows) {
            String state = (String) row.get("state");
            BigDecimal size = (BigDecimal) row.get("size");
            BigDecimal filled = row.get("filled_size") == null ? BigDecimal.ZERO : (BigDecimal) row.get("filled_size");
            String what = row.get("venue") + " order " + row.get("id") + " (" + row.get("client_order_id") + ", " + state + ")";
            if (size != null && filled.compareTo(size) > 0) {
                mismatches.add(what + ": filled " + filled + " > size " + size);
            }
            if ("polymarket".equals(row.get("venue"))) {
                polymarketOrders++;
                String hash = (String) row.get("order_hash");
                PolymarketSim.SimOrder o = hash == null ? null : polyAtVenue.remove(hash.toLowerCase(java.util.Locale.ROOT));
                compare(what, state, filled, o == null ? null : o.status().equals("LIVE") ? "open" : o.status().equals("MATCHED")
                        ? "filled" : "canceled", o == null ? null : o.sizeMatched(), (String) row.get("reason"), mismatches);
            } else {
                kalshiOrders++;
                KalshiSim.SimOrder o = kalshiAtVenue.remove((String) row.get("client_order_id"));
                if (o != null && !o.orderId().equals(row.get("venue_order_id"))) {
                    mismatches.add(what + ": venue id " + row.get("venue_order_id") + " but the venue's is " + o.orderId());
                }
                compare(what, state, filled, o == null ? null : o.status().equals("resting") ? "open"
                        : o.status().equals("executed") ? "filled" : "canceled", o == null ? null : o.filled(), (String) row.get("reason"),
                        mismatches);
            }
        }
        polyAtVenue.values().forEach(o -> mismatches.add("polymarket holds order " + o.id() + " (" + o.status()
                + ") that no ledger order carries: a second signature of one intent, or an order the ledger lost"));
        kalshiAtVenue.values().forEach(o -> mismatches.add("kalshi holds order " + o.orderId() + " (" + o.clientOrderId()
                + ") that the ledger does not know"));

        JsonNode positions = post("/api/fills/sync", "").json();
        positions.get("alerts").forEach(a -> mismatches.add("position " + a));
        if (positions.has("catchUpFailed")) {
            mismatches.add("the final fill sync could not read a venue: " + positions.get("catchUpFailed").asText());
        }
        jdbc.queryForList("SELECT reason FROM dead_letters WHERE route_id LIKE 'fills-%'", String.class)
                .forEach(q -> mismatches.add("a fill was quarantined: " + q));

        System.out.println("FaultScheduleTest: " + rows.size() + " orders (" + polymarketOrders + " Polymarket, " + kalshiOrders
                + " Kalshi), " + faults.injectedTotal() + " faults injected, " + trips.get() + " kill-switch trips, "
                + mismatches.size() + " mismatches");
        if (!mismatches.isEmpty()) {
            // Each mismatched order's history, to see where the story went wrong.
            rows.stream().filter(r -> mismatches.stream().anyMatch(m -> m.contains(" order " + r.get("id") + " ")))
                    .forEach(r -> ledger.events(((Number) r.get("id")).longValue()).forEach(e -> System.out.println(
                            "  order " + r.get("id") + ": " + e)));
        }
        assertThat(mismatches).as("seed " + seed).isEmpty();
        assertThat(faults.injectedTotal()).as("the schedule injected faults").isGreaterThan(operations / 20);
        assertThat(polymarketOrders).isGreaterThan(operations / 4);
        assertThat(kalshiOrders).isGreaterThan(operations / 6);
    }

    /**
     * The ledger's view against the venue's: {@code venue} is null when the venue never held the
     * order, else open / filled / canceled; filled sizes must be equal.
     */
    static void compare(String what, String state, BigDecimal filled, String venue, BigDecimal venueFilled, String reason,
            List<String> mismatches) {
        boolean ok = switch (state) {
            case "REJECTED", "UNMATCHED", "FAILED" -> venue == null;
            case "LIVE", "PARTIALLY_FILLED", "DELAYED" -> "open".equals(venue);
            case "FILLED", "MATCHED" -> "filled".equals(venue);
            // Done with nothing filled; when the venue's answers could not tell "cancelled there" from
            // "never placed", the ledger says so and either is the truth.
            case "CANCELED" -> "canceled".equals(venue) || (venue == null && filled.signum() == 0 && reason != null
                    && reason.contains(com.oddsgate.ledger.RecoveryScan.NOT_PLACED_OR_CANCELLED));
            default -> false; // RECEIVED, PENDING_SUBMIT, UNKNOWN after quiet: unresolved
        };
        if (!ok) {
            mismatches.add(what + ": the venue " + (venue == null ? "does not hold it" : "says " + venue));
        } else if (venue != null && filled.compareTo(venueFilled) != 0) {
            mismatches.add(what + ": filled " + filled.toPlainString() + ", venue says " + venueFilled.toPlainString());
        }
    }

    private void operate(Random rnd, String id, List<Long> placed, Map<String, AtomicInteger> answers, boolean trip) {
        int op = rnd.nextInt(100);
        Answer a;
        if (trip || (op == 99 && rnd.nextBoolean())) {
            // Now and then the kill switch trips while orders are under way (and is re-armed shortly after).
            a = send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/api/kill-switch?reason=drill"))
                    .header("Authorization", "Bearer " + TOKEN).POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
            trips.incrementAndGet();
            delete("/api/kill-switch", "drill-over");
        } else if (op < 35) {
            a = post("/api/orders", polymarket(rnd, id));
        } else if (op < 60) {
            a = post("/api/orders", kalshi(rnd, id));
        } else if (op < 72) {
            int n = 2 + rnd.nextInt(3);
            StringBuilder batch = new StringBuilder("[");
            for (int k = 0; k < n; k++) {
                batch.append(k == 0 ? "" : ",").append(rnd.nextBoolean() ? polymarket(rnd, id + "b" + k) : kalshi(rnd, id + "b" + k));
            }
            a = post("/api/orders/batch", batch.append(']').toString());
        } else if (op < 76) {
            // The timers' work, concurrently with the orders: open-order sync, fill catch-up, recovery.
            a = post(op < 74 ? "/api/orders/sync" : "/api/fills/sync", "");
            if (op == 75) {
                producer.sendBody("direct:recover-unresolved", null); // a pass while other orders are under way
            }
        } else if (op < 88 && !placed.isEmpty()) {
            a = delete("/api/orders/" + placed.get(rnd.nextInt(placed.size())));
        } else if (!placed.isEmpty()) {
            long target = placed.get(rnd.nextInt(placed.size()));
            a = patch("/api/orders/" + target, rnd.nextBoolean() ? "{\"price\":\"0.3" + rnd.nextInt(10) + "\"}"
                    : "{\"size\":\"" + (6 + rnd.nextInt(10)) + "\"}");
        } else {
            a = post("/api/orders", polymarket(rnd, id));
        }
        answers.computeIfAbsent(Integer.toString(a.status()), k -> new AtomicInteger()).incrementAndGet();
        if (a.status() >= 500 && a.status() != 502 && a.status() != 503) {
            System.out.println("FaultScheduleTest " + a.status() + " for operation " + op + " (" + id + "): " + a.body());
        }
        if (a.json() != null && a.json().has("id") && a.json().has("state")) {
            placed.add(a.json().get("id").asLong());
        }
    }

    /** Resting (well below the book) or marketable (at the best ask), 5 to 20 shares. */
    private static String polymarket(Random rnd, String id) {
        boolean marketable = rnd.nextInt(3) == 0;
        return "{\"venue\":\"polymarket\",\"market\":\"" + POLY_MARKET + "\",\"outcome\":\"YES\",\"side\":\"BUY\",\"price\":\""
                + (marketable ? "0.57" : "0.3" + rnd.nextInt(10)) + "\",\"size\":\"" + (5 + rnd.nextInt(16))
                + "\",\"clientOrderId\":\"" + id + "\"}";
    }

    private static String kalshi(Random rnd, String id) {
        boolean marketable = rnd.nextInt(3) == 0;
        return "{\"venue\":\"kalshi\",\"market\":\"" + KALSHI_TICKER + "\",\"outcome\":\"YES\",\"side\":\"BUY\",\"price\":\""
                + (marketable ? "0.45" : "0.3" + rnd.nextInt(10)) + "\",\"size\":\"" + (1 + rnd.nextInt(10))
                + "\",\"clientOrderId\":\"" + id + "\"}";
    }

    /**
     * Recovery, the open-order sync and a fill catch-up, until no order is left unresolved (bounded),
     * and at least twice: an order the venue ended without the ledger hearing of it (a kill-switch
     * sweep's cancel-all whose answer was lost: its redelivery finds nothing left to cancel) is
     * concluded by the open-order sync at its second look, as on the gateway's own timer.
     */
    private void settle() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (int round = 1; ; round++) {
            Thread.sleep(200);
            runRecovery();
            post("/api/orders/sync", "");
            post("/api/fills/sync", "");
            Integer open = jdbc.queryForObject("SELECT COUNT(*) FROM orders WHERE state IN ('RECEIVED', 'PENDING_SUBMIT',"
                    + " 'UNKNOWN', 'DELAYED')", Integer.class);
            if (open == 0 && round >= 2 || System.nanoTime() > deadline) {
                return;
            }
        }
    }
}
