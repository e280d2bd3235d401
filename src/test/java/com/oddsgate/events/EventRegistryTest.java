package com.oddsgate.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.oddsgate.MutableClock;
import com.oddsgate.order.Listing;
import com.oddsgate.order.OrderRejectedException;

/** The registry file and the check of each pairing against the venues' listings (the venues faked here). */
class EventRegistryTest {

    static final Instant CLOSE = Instant.parse("2026-12-31T15:00:00Z");

    /** Listings by market; a market set to "unreadable" fails like a venue that answers 403, one absent is unknown. */
    final Map<String, Listing> listings = new HashMap<>();
    final Map<String, RuntimeException> failures = new HashMap<>();
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T00:00:00Z"));

    @TempDir
    Path dir;

    EventRegistry registry(Path file) {
        EventRegistry.Listings venues = new EventRegistry.Listings() {
            @Override
            public Listing polymarket(String slug) {
                return find(slug);
            }

            @Override
            public Listing kalshi(String ticker) {
                return find(ticker);
            }
        };
        return new EventRegistry(file, venues, Duration.ofHours(24), 0.5, Duration.ofHours(1), clock);
    }

    private Listing find(String market) {
        if (failures.containsKey(market)) {
            throw failures.get(market);
        }
        Listing l = listings.get(market);
        if (l == null) {
            throw new OrderRejectedException("market", "unknown market '" + market + "'");
        }
        return l;
    }

    void list(String market, String title, Instant closes) {
        boolean poly = market.equals(market.toLowerCase());
        listings.put(market, new Listing(poly ? "polymarket" : "kalshi", market, poly ? "0xc-" + market : market,
                poly ? "1" + market.length() : null, poly ? "2" + market.length() : null, title, closes));
    }

    static String pair(String id, String poly, String kalshi, String orientation, String extra) {
        return "  - id: " + id + "\n    polymarket: " + poly + "\n    kalshi: " + kalshi + "\n    orientation: " + orientation
                + "\n    approvedBy: desk\n" + (extra == null ? "" : extra);
    }

    @Test
    void eachPairingIsVerifiedRefusedOrConfirmed() throws Exception {
        list("rain", "Will it rain tomorrow?", CLOSE);
        list("RAIN", "Will it rain tomorrow?", CLOSE.plusSeconds(3600));
        list("snow", "Will it snow this week?", CLOSE);
        list("SNOW", "Will the Fed cut rates?", CLOSE.plus(Duration.ofDays(3)));
        list("fed", "Fed cuts in December", CLOSE);
        list("FED", "Fed cuts in December", CLOSE.plus(Duration.ofDays(3)));
        Path file = dir.resolve("events.yaml");
        Files.writeString(file, "events:\n" + pair("a", "rain", "RAIN", "same", null) + pair("b", "snow", "SNOW", "same", null)
                + pair("c", "fed", "FED", "inverted", "    confirmed: true\n") + pair("d", "rain", "SNOW", "same", null)
                + "  - id: e\n    polymarket: x\n");
        EventRegistry r = registry(file);
        r.reload();
        assertThat(r.usable("a").status()).isEqualTo(EventRegistry.Status.VERIFIED);
        EventRegistry.Entry b = r.all().get(1);
        assertThat(b.status()).isEqualTo(EventRegistry.Status.REFUSED);
        assertThat(String.join(" ", b.findings())).contains("close times PT72H apart", "titles 0.00 alike");
        assertThat(r.usable("c").status()).isEqualTo(EventRegistry.Status.CONFIRMED);
        assertThat(r.usable("c").findings().get(0)).isEqualTo("confirmed by desk despite:");
        assertThat(r.all().get(3).findings()).containsExactly("a market of this pairing is in an earlier entry already");
        assertThat(r.all().get(4).findings().get(0)).contains("kalshi is required", "orientation is required");
        assertThat(r.of("kalshi", "RAIN")).map(e -> e.pair().id()).contains("a");
        assertThat(r.of("polymarket", "14")).map(e -> e.pair().id()).contains("a");
        assertThat(r.of("kalshi", "SNOW")).as("a refused pairing is not used").isEmpty();
    }

    @Test
    void oppositeQuestionsPairedAsTheSameAreRefused() throws Exception {
        list("eth", "Will ETH trade above $5k by year end?", CLOSE);
        list("ETHLOW", "Will ETH stay below $5k through year end?", CLOSE);
        list("btc", "Will BTC trade above $100k by year end?", CLOSE);
        list("BTCLOW", "Will BTC trade below $100k by year end?", CLOSE);
        Path file = dir.resolve("events.yaml");
        Files.writeString(file, "events:\n" + pair("same", "eth", "ETHLOW", "same", null)
                + pair("inverted", "btc", "BTCLOW", "inverted", null));
        EventRegistry r = registry(file);
        r.reload();
        EventRegistry.Entry same = r.all().get(0);
        assertThat(same.status()).as(same.findings().toString()).isEqualTo(EventRegistry.Status.REFUSED);
        assertThat(String.join(" ", same.findings())).contains("opposite questions ('above' and 'below')", "orientation inverted");
        assertThat(r.usable("inverted").status()).as("paired as the inverse they are").isEqualTo(EventRegistry.Status.VERIFIED);
        assertThat(EventRegistry.opposed("Will it rain tomorrow?", "Will it rain tomorrow?")).isNull();
        assertThat(EventRegistry.opposed("Will the Fed cut rates?", "Will the Fed not cut rates?")).contains("not");
    }

    @Test
    void anEmptyOrGoneFileKeepsThePairingsAndAChangeIsTakenOnceItReadsTheSameTwice() throws Exception {
        list("rain", "Will it rain tomorrow?", CLOSE);
        list("RAIN", "Will it rain tomorrow?", CLOSE);
        list("snow", "Will it snow?", CLOSE);
        list("SNOW", "Will it snow?", CLOSE);
        Path file = dir.resolve("events.yaml");
        Files.writeString(file, "events:\n" + pair("a", "rain", "RAIN", "same", null));
        EventRegistry r = registry(file);
        r.reload();
        assertThat(r.all()).hasSize(1);

        Files.writeString(file, "");
        r.reload();
        assertThat(r.all()).as("an empty file (an editor half-way) removes nothing").hasSize(1);
        assertThat(r.fileProblem()).contains("is empty", "events: []");
        Files.delete(file);
        r.reload();
        assertThat(r.all()).hasSize(1);
        assertThat(r.fileProblem()).contains("is gone");

        Files.writeString(file, "events:\n" + pair("a", "rain", "RAIN", "same", null) + pair("b", "snow", "SNOW", "same", null));
        r.reload();
        assertThat(r.all()).as("seen once: not taken yet").hasSize(1);
        r.reload();
        assertThat(r.all()).as("the same twice: taken").hasSize(2);
        assertThat(r.fileProblem()).isNull();

        Files.writeString(file, "events: []\n");
        r.reload();
        r.reload();
        assertThat(r.all()).as("events: [] removes them all").isEmpty();
    }

    @Test
    void aVenueThatCannotBeReadLeavesThePairingUnverifiedUntilItCan() throws Exception {
        list("rain", "Will it rain tomorrow?", CLOSE);
        list("RAIN", "Will it rain tomorrow?", CLOSE);
        failures.put("RAIN", new IllegalStateException("Kalshi answered HTTP 403"));
        Path file = dir.resolve("events.yaml");
        Files.writeString(file, "events:\n" + pair("a", "rain", "RAIN", "same", null));
        EventRegistry r = registry(file);
        r.reload();
        assertThat(r.all().get(0).status()).isEqualTo(EventRegistry.Status.UNVERIFIED);
        assertThat(r.unchecked("kalshi", "RAIN")).isPresent();
        assertThat(r.unchecked("polymarket", "rain")).isPresent();
        assertThat(r.unchecked("polymarket", null, "14")).as("an order named by token, Polymarket read: this pairing's")
                .isPresent();
        assertThat(r.unchecked("polymarket", null, "99")).isEmpty();
        assertThat(r.unchecked("kalshi", null, "14")).isEmpty();
        failures.clear();
        r.reload();
        assertThat(r.all().get(0).status()).isEqualTo(EventRegistry.Status.VERIFIED);
        assertThat(r.unchecked("kalshi", "RAIN")).isEmpty();

        // An hour on, the venues are asked again: a failure keeps what the last check found...
        clock.now = clock.now.plus(Duration.ofMinutes(61));
        failures.put("RAIN", new IllegalStateException("Kalshi answered HTTP 503"));
        r.reload();
        assertThat(r.all().get(0).status()).isEqualTo(EventRegistry.Status.VERIFIED);
        // ...and a listing that moved refuses the pairing.
        failures.clear();
        list("RAIN", "Will it rain tomorrow?", CLOSE.plus(Duration.ofDays(2)));
        r.reload();
        assertThat(r.all().get(0).status()).isEqualTo(EventRegistry.Status.REFUSED);
        assertThat(r.of("kalshi", "RAIN")).isEmpty();
    }

    @Test
    void titlesAreComparedByTheirMeaningfulWords() {
        assertThat(EventRegistry.similarity("Will it rain in the simulator tomorrow?", "Will it rain in the simulator tomorrow?"))
                .isEqualTo(1.0);
        assertThat(EventRegistry.similarity("Will BTC trade above $100k by year end?", "Will BTC stay below $100k through year end?"))
                .isEqualTo(4.0 / 9);
        assertThat(EventRegistry.similarity("Will it snow?", "Fed cuts")).isZero();
    }
}
