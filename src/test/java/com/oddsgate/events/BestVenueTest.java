package com.oddsgate.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.oddsgate.order.CanonicalOrder;
import com.oddsgate.order.Listing;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.OrderType;
import com.oddsgate.order.Outcome;
import com.oddsgate.order.Side;
import com.oddsgate.order.TimeInForce;

/** Choosing the venue of a best-venue order from both books (books, fees and venue rules faked here). */
class BestVenueTest {

    static final Instant CLOSE = Instant.parse("2026-12-31T15:00:00Z");

    @TempDir
    Path dir;

    /** Asks by venue and outcome ("polymarket/YES"); a key in unreadable throws. */
    final Map<String, List<BestVenue.Level>> asks = new HashMap<>();
    final Set<String> unreadable = new HashSet<>();
    final Map<String, String> refusals = new HashMap<>();
    final Map<String, String> down = new HashMap<>();
    BestVenue best;
    EventRegistry registry;
    boolean kalshiReadable = true;

    @BeforeEach
    void inverted() throws Exception {
        Path file = dir.resolve("events.yaml");
        Files.writeString(file, "events:\n  - id: ev\n    polymarket: up\n    kalshi: DOWN\n    orientation: inverted\n"
                + "    approvedBy: desk\n");
        EventRegistry.Listings listings = new EventRegistry.Listings() {
            @Override
            public Listing polymarket(String slug) {
                return new Listing("polymarket", slug, "0xc", "111", "222", "Will it go up by year end?", CLOSE);
            }

            @Override
            public Listing kalshi(String ticker) {
                if (!kalshiReadable) {
                    throw new IllegalStateException("Kalshi answered HTTP 503");
                }
                return new Listing("kalshi", ticker, ticker, null, null, "Will it stay down through year end?", CLOSE);
            }
        };
        registry = new EventRegistry(file, listings, Duration.ofHours(24), 0.2, Duration.ofHours(1), Clock.systemUTC());
        registry.reload();
        BestVenue.Books books = (venue, instrument, outcome) -> {
            String key = venue + "/" + outcome;
            if (unreadable.contains(venue)) {
                throw new IllegalStateException(venue + " answered HTTP 502");
            }
            return new BestVenue.Book(List.of(), asks.getOrDefault(key, List.of()));
        };
        // Polymarket: no fee; Kalshi: ⌈0.07 × C × P × (1 − P)⌉ to the cent.
        BestVenue.Fees fees = (venue, market, price, size) -> "kalshi".equals(venue) ? new BigDecimal("0.07").multiply(size)
                .multiply(price).multiply(BigDecimal.ONE.subtract(price)).setScale(2, java.math.RoundingMode.UP) : BigDecimal.ZERO;
        BestVenue.Venues venues = new BestVenue.Venues() {
            @Override
            public String unavailable(String venue) {
                return down.get(venue);
            }

            @Override
            public String refuses(CanonicalOrder candidate) {
                return refusals.get(candidate.venue());
            }
        };
        best = new BestVenue(registry, books, fees, venues, null);
    }

    static BestVenue.Level level(String price, String size) {
        return new BestVenue.Level(new BigDecimal(price), new BigDecimal(size));
    }

    static OrderTicket buy(Outcome outcome, String price, String size, boolean postOnly) {
        OrderTicket t = new OrderTicket("test", null, null);
        t.setOrder(new CanonicalOrder("best", "ev", null, outcome, Side.BUY, new BigDecimal(price), new BigDecimal(size), OrderType.LIMIT,
                TimeInForce.GTC, null, postOnly, false, "c-1"));
        return t;
    }

    @Test
    void theLowerPriceWithFeesWinsAndTheInvertedLegBuysTheOtherSide() {
        asks.put("polymarket/YES", List.of(level("0.57", "500")));
        asks.put("kalshi/NO", List.of(level("0.53", "200")));
        OrderTicket t = best.choose(buy(Outcome.YES, "0.60", "10", false));
        assertThat(t.getOrder().venue()).isEqualTo("kalshi");
        assertThat(t.getOrder().market()).isEqualTo("DOWN");
        assertThat(t.getOrder().outcome()).as("the event's YES is Kalshi's NO").isEqualTo(Outcome.NO);
        assertThat(t.getOrder().price()).isEqualByComparingTo("0.60");
        assertThat(t.getChoice()).contains("kalshi (NO on DOWN): 10 at 0.53 + fee 0.18 = 0.548 a share",
                "polymarket (YES on up): 10 at 0.57 + fee 0 = 0.57 a share");

        // With a fee the cheaper book is not the cheaper venue: 0.55 + 0.18/10 = 0.568 > 0.56.
        asks.put("kalshi/NO", List.of(level("0.55", "200")));
        asks.put("polymarket/YES", List.of(level("0.56", "500")));
        assertThat(best.choose(buy(Outcome.YES, "0.60", "10", false)).getOrder().venue()).isEqualTo("polymarket");
    }

    @Test
    void fillingMoreOfTheSizeComesBeforeTheBetterPrice() {
        asks.put("polymarket/YES", List.of(level("0.50", "4")));
        asks.put("kalshi/NO", List.of(level("0.55", "10")));
        OrderTicket t = best.choose(buy(Outcome.YES, "0.60", "10", false));
        assertThat(t.getOrder().venue()).isEqualTo("kalshi");
        assertThat(t.getChoice()).contains("polymarket (YES on up): 4 at 0.5");
    }

    @Test
    void nothingFillingNowRestsWhereTheBestAskIsNearest() {
        asks.put("polymarket/YES", List.of(level("0.70", "100")));
        asks.put("kalshi/NO", List.of(level("0.62", "100")));
        OrderTicket t = best.choose(buy(Outcome.YES, "0.60", "10", false));
        assertThat(t.getOrder().venue()).isEqualTo("kalshi");
        assertThat(t.getChoice()).contains("nothing fills now", "none within the limit, best ask 0.62");
    }

    @Test
    void aPostOnlyOrderGoesWhereItDoesNotCross() {
        asks.put("polymarket/YES", List.of(level("0.65", "100")));
        asks.put("kalshi/NO", List.of(level("0.55", "100")));
        OrderTicket t = best.choose(buy(Outcome.YES, "0.60", "10", true));
        assertThat(t.getOrder().venue()).isEqualTo("polymarket");
        assertThat(t.getChoice()).contains("kalshi (NO on DOWN): post-only, and the best ask 0.55 would cross it");
    }

    @Test
    void aVenueWhoseRulesRefuseTheOrderOrWhoseBookCannotBeReadIsLeftOut() {
        asks.put("polymarket/YES", List.of(level("0.57", "500")));
        asks.put("kalshi/NO", List.of(level("0.53", "200")));
        refusals.put("kalshi", "its rules refuse the order: size: Kalshi market DOWN trades whole contracts only");
        assertThat(best.choose(buy(Outcome.YES, "0.60", "10.5", false)).getOrder().venue()).isEqualTo("polymarket");
        refusals.clear();
        unreadable.add("kalshi");
        OrderTicket t = best.choose(buy(Outcome.YES, "0.60", "10", false));
        assertThat(t.getOrder().venue()).isEqualTo("polymarket");
        assertThat(t.getChoice()).contains("kalshi (NO on DOWN): the book cannot be read now (kalshi answered HTTP 502)");
        unreadable.add("polymarket");
        OrderRejectedException none = catchThrowableOfType(() -> best.choose(buy(Outcome.YES, "0.60", "10", false)),
                OrderRejectedException.class);
        assertThat(none.status()).isEqualTo(503);
        assertThat(none.getMessage()).contains("no venue can take this order");
        // A market read that failed, or Polymarket's heartbeats failing, passes too: 503, not a final-looking 400.
        unreadable.clear();
        refusals.put("polymarket", BestVenue.NOT_NOW + ": heartbeats to Polymarket failing since …");
        refusals.put("kalshi", BestVenue.NOT_NOW + ": the market cannot be read (kalshi answered HTTP 503)");
        OrderRejectedException notNow = catchThrowableOfType(() -> best.choose(buy(Outcome.YES, "0.60", "10", false)),
                OrderRejectedException.class);
        assertThat(notNow.status()).isEqualTo(503);
        refusals.put("kalshi", "its rules refuse the order: size: whole contracts only");
        assertThat(catchThrowableOfType(() -> best.choose(buy(Outcome.YES, "0.60", "10", false)), OrderRejectedException.class)
                .status()).as("one venue refusing for good").isEqualTo(400);
        // Kalshi not configured here: it never could; Polymarket's heartbeats failing still passes — 503.
        refusals.remove("kalshi");
        down.put("kalshi", "Kalshi " + BestVenue.NOT_CONFIGURED);
        assertThat(catchThrowableOfType(() -> best.choose(buy(Outcome.YES, "0.60", "10", false)), OrderRejectedException.class)
                .status()).isEqualTo(503);
        down.clear();
        refusals.clear();
    }

    @Test
    void aSellOrAnUnknownEventIsRefused() {
        OrderTicket sell = buy(Outcome.YES, "0.60", "10", false);
        sell.setOrder(new CanonicalOrder("best", "ev", null, Outcome.YES, Side.SELL, new BigDecimal("0.6"), BigDecimal.TEN,
                OrderType.LIMIT, TimeInForce.GTC, null, false, false, "c-2"));
        assertThat(catchThrowableOfType(() -> best.choose(sell), OrderRejectedException.class).violations().get(0).field())
                .isEqualTo("side");
        OrderTicket unknown = buy(Outcome.YES, "0.60", "10", false);
        unknown.setOrder(unknown.getOrder().withMarket("nope"));
        OrderRejectedException e = catchThrowableOfType(() -> best.choose(unknown), OrderRejectedException.class);
        assertThat(e.violations().get(0).reason()).contains("unknown event 'nope'");
        assertThat(e.status()).isEqualTo(400);
    }

    @Test
    void aPairingNotCheckedYetIsServiceUnavailableNotABadRequest() throws Exception {
        kalshiReadable = false;
        Files.writeString(dir.resolve("events.yaml"), "events:\n  - id: ev2\n    polymarket: up\n    kalshi: DOWN\n"
                + "    orientation: inverted\n    approvedBy: desk\n");
        registry.reload();
        registry.reload();
        OrderTicket t = buy(Outcome.YES, "0.60", "10", false);
        t.setOrder(t.getOrder().withMarket("ev2"));
        OrderRejectedException e = catchThrowableOfType(() -> best.choose(t), OrderRejectedException.class);
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.violations().get(0).reason()).contains("ev2", "unverified");
    }
}
