package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One event across Polymarket and Kalshi (config/events.yaml, copied per run): pairings checked
 * against the simulators' listings, the net exposure of an inverted pair, the per-event limit
 * across venues, and best-venue orders. Its own ledger: positions and limits are per ledger.
 */
class EventsTest extends GatewayTestSupport {

    static final Duration WAIT = Duration.ofSeconds(15);
    static final Path EVENTS;

    static {
        try {
            EVENTS = Files.createTempDirectory("oddsgate-events").resolve("events.yaml");
            Files.copy(Path.of("config/events.yaml"), EVENTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void ownLedger(DynamicPropertyRegistry r) {
        ownLedgerAndFolders(r, "events");
        r.add("oddsgate.risk.refresh", () -> "0s");
        r.add("oddsgate.events.file", EVENTS::toString);
        r.add("oddsgate.events.reload-ms", () -> "200");
    }

    @AfterEach
    void limitsOff() {
        limits("{}");
    }

    private JsonNode event(String id) {
        for (JsonNode e : get("/api/events").json().get("events")) {
            if (e.get("id").asText().equals(id)) {
                return e;
            }
        }
        throw new AssertionError("no event " + id);
    }

    private JsonNode exposure(String id) {
        Answer a = get("/api/events/" + id + "/exposure");
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        return a.json();
    }

    private static BigDecimal dec(JsonNode n) {
        return new BigDecimal(n.asText());
    }

    private static String order(String venue, String market, String outcome, String side, String price, String size, String id) {
        return "{\"venue\":\"" + venue + "\",\"market\":\"" + market + "\",\"outcome\":\"" + outcome + "\",\"side\":\"" + side
                + "\",\"price\":\"" + price + "\",\"size\":\"" + size + "\",\"clientOrderId\":\"" + id + "\"}";
    }

    @Test
    void eachPairingIsCheckedAgainstTheVenuesListings() throws Exception {
        await().atMost(WAIT).until(() -> event("sim-rain").get("status").asText().equals("verified"));
        assertThat(event("sim-eth-5k").get("status").asText()).isIn("verified", "confirmed");
        assertThat(event("sim-eth-5k").get("polymarket").get("closes").asText()).isEqualTo("2026-12-31T23:59:59Z");
        JsonNode refused = event("sim-mismatch");
        assertThat(refused.get("status").asText()).isEqualTo("refused");
        assertThat(refused.get("findings").toString()).contains("close times", "titles", "set confirmed: true");

        Answer notInUse = get("/api/events/sim-mismatch/exposure");
        assertThat(notInUse.status()).as(notInUse.body()).isEqualTo(409);
        assertThat(notInUse.json().get("violations").get(0).get("reason").asText()).contains("refused", "close times");
        assertThat(get("/api/events/no-such-event/exposure").status()).isEqualTo(404);
        Answer best = post("/api/orders", order("best", "sim-mismatch", "YES", "BUY", "0.40", "5", "ev-best-refused")
                .replace("\"market\"", "\"event\""));
        assertThat(best.status()).as(best.body()).isEqualTo(400);
        assertThat(best.json().get("violations").get(0).get("field").asText()).isEqualTo("event");
        assertThat(best.json().get("state").asText()).as("recorded, then refused").isEqualTo("REJECTED");

        // The operator confirms the pairing in the file: reloaded, and in use.
        String text = Files.readString(EVENTS);
        Files.writeString(EVENTS, text.replace("    kalshi: SIM-KX-SNOW\n", "    kalshi: SIM-KX-SNOW\n    confirmed: true\n"));
        try {
            await().atMost(WAIT).until(() -> event("sim-mismatch").get("status").asText().equals("confirmed"));
            assertThat(event("sim-mismatch").get("findings").get(0).asText()).isEqualTo("confirmed by desk-ops despite:");
            assertThat(get("/api/events/sim-mismatch/exposure").status()).isEqualTo(200);
        } finally {
            Files.writeString(EVENTS, text);
        }
        await().atMost(WAIT).until(() -> event("sim-mismatch").get("status").asText().equals("refused"));
    }

    @Test
    void yesOnBothSidesOfAnInvertedPairIsAHedge() {
        await().atMost(WAIT).until(() -> event("sim-eth-5k").get("status").asText().matches("verified|confirmed"));
        JsonNode before = exposure("sim-eth-5k");
        assertThat(before.get("orientation").asText()).isEqualTo("inverted");
        // Marketable through several levels: other tests of the run take from the same simulated books.
        Answer poly = post("/api/orders", order("polymarket", "sim-eth-5k", "YES", "BUY", "0.70", "10", "ev-hedge-poly"));
        Answer kalshi = post("/api/orders", order("kalshi", "SIM-KX-ETHLOW", "YES", "BUY", "0.60", "10", "ev-hedge-kalshi"));
        assertThat(poly.status()).as(poly.body()).isEqualTo(201);
        assertThat(kalshi.status()).as(kalshi.body()).isEqualTo(201);
        assertThat(poly.json().get("state").asText()).as(poly.body()).isIn("MATCHED", "FILLED");
        assertThat(kalshi.json().get("state").asText()).as(kalshi.body()).isIn("MATCHED", "FILLED");
        await().atMost(WAIT).until(() -> {
            post("/api/fills/sync", "");
            JsonNode now = exposure("sim-eth-5k");
            return dec(now.get("polymarket").get("yes")).subtract(dec(before.get("polymarket").get("yes"))).compareTo(BigDecimal.TEN) == 0
                    && dec(now.get("kalshi").get("yes")).subtract(dec(before.get("kalshi").get("yes"))).compareTo(BigDecimal.TEN) == 0;
        });
        JsonNode after = exposure("sim-eth-5k");
        assertThat(dec(after.get("kalshi").get("eventYes")).subtract(dec(before.get("kalshi").get("eventYes"))))
                .as("Kalshi's YES is the event's NO").isEqualByComparingTo("-10");
        assertThat(dec(after.get("net"))).as("the two legs cancel: hedged").isEqualByComparingTo(dec(before.get("net")));
    }

    @Test
    void theEventLimitCountsBothVenues() {
        await().atMost(WAIT).until(() -> event("sim-rain").get("status").asText().equals("verified"));
        JsonNode now = exposure("sim-rain");
        BigDecimal worst = dec(now.get("openOrders").get("worstLong"));
        BigDecimal limit = worst.max(BigDecimal.ZERO).add(BigDecimal.TEN);
        assertThat(limits("{\"maxEventPosition\":\"" + limit.toPlainString() + "\"}").status()).isEqualTo(200);
        int posts = venue().orderPostCount();

        Answer over = post("/api/orders", order("polymarket", "sim-rain-tomorrow", "YES", "BUY", "0.30", "11", "ev-limit-over"));
        assertThat(over.status()).as(over.body()).isEqualTo(400);
        assertThat(over.json().get("violations").get(0).get("reason").asText()).contains("max event position " + limit.toPlainString(),
                "event sim-rain");
        assertThat(venue().orderPostCount()).as("nothing sent").isEqualTo(posts);
        Answer inside = post("/api/orders", order("polymarket", "sim-rain-tomorrow", "YES", "BUY", "0.30", "10", "ev-limit-in"));
        assertThat(inside.status()).as(inside.body()).isEqualTo(201);

        // The same event on Kalshi: its YES adds to the same exposure, its NO takes from it.
        Answer kalshiOver = post("/api/orders", order("kalshi", "SIM-KX-RAIN", "YES", "BUY", "0.30", "1", "ev-limit-kalshi-over"));
        assertThat(kalshiOver.status()).as(kalshiOver.body()).isEqualTo(400);
        assertThat(kalshiOver.json().get("violations").get(0).get("reason").asText()).contains("max event position");
        Answer kalshiNo = post("/api/orders", order("kalshi", "SIM-KX-RAIN", "NO", "BUY", "0.30", "5", "ev-limit-kalshi-no"));
        assertThat(kalshiNo.status()).as(kalshiNo.body()).isEqualTo(201);

        // Changed over REST: the next order sees it.
        assertThat(limits("{\"maxEventPosition\":\"" + limit.add(BigDecimal.ONE).toPlainString() + "\"}").status()).isEqualTo(200);
        Answer kalshiIn = post("/api/orders", order("kalshi", "SIM-KX-RAIN", "YES", "BUY", "0.30", "1", "ev-limit-kalshi-in"));
        assertThat(kalshiIn.status()).as(kalshiIn.body()).isEqualTo(201);
        for (String id : new String[] {"ev-limit-in", "ev-limit-kalshi-no", "ev-limit-kalshi-in"}) {
            String venue = id.contains("kalshi") ? "kalshi" : "polymarket";
            delete("/api/orders/" + orderView(venue, id).get("id").asLong());
        }
    }

    @Test
    void aBestVenueOrderGoesWhereTheBookIsBetterAndSaysWhy() {
        await().atMost(WAIT).until(() -> event("sim-eth-5k").get("status").asText().matches("verified|confirmed"));
        // The event's YES: Polymarket asks 0.57 (no fee); Kalshi's NO (inverted) asks 1 − 0.47 = 0.53, fee
        // ⌈0.07 × 10 × 0.53 × 0.47⌉ = 0.18, so 0.548 a share: Kalshi.
        String yes = "{\"venue\":\"best\",\"event\":\"sim-eth-5k\",\"outcome\":\"YES\",\"side\":\"BUY\",\"price\":\"0.60\","
                + "\"size\":\"10\",\"clientOrderId\":\"ev-best-yes\"}";
        Answer preview = post("/api/orders/preview", yes.replace("ev-best-yes", "ev-best-preview"));
        assertThat(preview.status()).as(preview.body()).isEqualTo(200);
        assertThat(preview.json().get("venue").asText()).isEqualTo("kalshi");
        assertThat(preview.json().get("venueChoice").asText()).contains("best venue", ": kalshi");

        int kalshiOrders = kalshi().orders().size();
        Answer a = post("/api/orders", yes);
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        assertThat(kalshi().orders().size()).isEqualTo(kalshiOrders + 1);
        // The event's YES is Kalshi's NO: bought at 0.60, it rests on Kalshi's YES book as an ask at 0.40.
        assertThat(KalshiFlowTest.venueOrder("ev-best-yes").side()).isEqualTo("ask");
        assertThat(KalshiFlowTest.venueOrder("ev-best-yes").price()).isEqualByComparingTo("0.40");
        JsonNode placed = orderView("kalshi", "ev-best-yes");
        assertThat(placed.get("market").asText()).isEqualTo("SIM-KX-ETHLOW");
        assertThat(placed.get("outcome").asText()).isEqualTo("NO");
        String why = placed.get("events").toString();
        assertThat(why).contains("best venue for BUY 10 YES of event sim-eth-5k at 0.6 (inverted pairing): kalshi",
                "kalshi (NO on SIM-KX-ETHLOW): 10 at 0.53 + fee 0.18 = 0.548 a share",
                "polymarket (YES on sim-eth-5k): 10 at 0.57 + fee 0 = 0.57 a share");

        // The event's NO: Polymarket's NO asks 0.45; Kalshi's YES asks 0.49 + fee 0.18: Polymarket.
        Answer no = post("/api/orders", "{\"venue\":\"best\",\"event\":\"sim-eth-5k\",\"outcome\":\"NO\",\"side\":\"BUY\","
                + "\"price\":\"0.55\",\"size\":\"10\",\"clientOrderId\":\"ev-best-no\"}");
        assertThat(no.status()).as(no.body()).isEqualTo(201);
        JsonNode poly = orderView("polymarket", "ev-best-no");
        assertThat(poly.get("outcome").asText()).isEqualTo("NO");
        JsonNode leg = event("sim-eth-5k").get("polymarket");
        assertThat(poly.get("tokenId").asText()).as("the NO token signed and recorded").isEqualTo(leg.get("noTokenId").asText());
        assertThat(poly.get("market").asText()).isEqualTo(leg.get("conditionId").asText());
        assertThat(poly.get("events").toString()).contains(": polymarket", "polymarket (NO on sim-eth-5k): 10 at 0.45 + fee 0 = 0.45 a share",
                "kalshi (YES on SIM-KX-ETHLOW): 10 at 0.49 + fee 0.18 = 0.508 a share");
    }
}
