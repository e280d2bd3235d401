package com.oddsgate.kalshi;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.order.CanonicalOrder;
import com.oddsgate.order.Decimals;
import com.oddsgate.order.Listing;
import com.oddsgate.order.MarketInfo;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.venue.VenueReads;

/**
 * Resolves a Kalshi ticker to its trading rules ({@code GET /markets/{ticker}}), cached for a TTL:
 * the price grid from {@code price_ranges} (each range its own step; the legacy {@code tick_size} in
 * cents where there are none) and whole contracts unless {@code fractional_trading_enabled}.
 */
public class KalshiMarkets {

    /** Where fractional trading is enabled, counts go down to 0.01. */
    static final BigDecimal FRACTIONAL_MINIMUM = new BigDecimal("0.01");

    /** Prices from {@code start} to {@code end} (YES book, dollars) in steps of {@code step}. */
    record PriceRange(BigDecimal start, BigDecimal end, BigDecimal step) {
        boolean contains(BigDecimal price) {
            return price.compareTo(start) >= 0 && price.compareTo(end) <= 0;
        }
    }

    private record Cached(MarketInfo market, List<PriceRange> grid, boolean fractional, Instant expires) {
    }

    private final VenueReads reads;
    private final KalshiSettings settings;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public KalshiMarkets(VenueReads reads, KalshiSettings settings, Clock clock) {
        this.reads = reads;
        this.settings = settings;
        this.clock = clock;
    }

    public OrderTicket resolve(OrderTicket ticket) {
        CanonicalOrder o = ticket.getOrder();
        if (o.tokenId() != null) {
            throw new OrderRejectedException("tokenId", "Kalshi orders name a market ticker, not a token id");
        }
        if (o.market() == null) {
            throw new OrderRejectedException("market", "the Kalshi market ticker is required (market or marketTicker)");
        }
        if (o.outcome() == null) {
            throw new OrderRejectedException("outcome", "is required (YES or NO)");
        }
        if (o.clientOrderId() != null && o.clientOrderId().indexOf('.') >= 0) {
            throw new OrderRejectedException("clientOrderId", "Kalshi takes 1-64 characters of letters, digits and -_:+=/"
                    + " (no '.'), got '" + o.clientOrderId() + "'");
        }
        Cached c = cached(o.market());
        if (!c.fractional() && o.size() != null && o.size().stripTrailingZeros().scale() > 0) {
            throw new OrderRejectedException("size", "Kalshi market " + o.market() + " trades whole contracts only, got "
                    + o.size().toPlainString());
        }
        // The grid is the YES book's: a NO order at p rests on it at 1 − p.
        BigDecimal yesPrice = o.price() == null ? null : KalshiOrders.yesBook(o.side(), o.outcome(), o.price()).price();
        MarketInfo m = c.market();
        if (yesPrice != null) {
            PriceRange range = c.grid().stream().filter(r -> r.contains(yesPrice)).findFirst()
                    .orElseThrow(() -> new OrderRejectedException("price", o.price().toPlainString()
                            + " is outside the price ranges of Kalshi market " + o.market()));
            m = new MarketInfo(m.venue(), m.slug(), m.conditionId(), null, null, false, range.step(), m.minimumSize(), null);
        }
        ticket.setMarket(m);
        ticket.setOrder(o.withMarket(m.conditionId()));
        return ticket;
    }

    /**
     * How Kalshi lists a market ({@code title}, {@code close_time}): what the cross-venue event
     * registry compares. Only a 404 says unknown; any other failure is no answer (thrown as such).
     */
    public Listing listing(String ticker) {
        VenueReads.Response r = market(ticker);
        if (r.status() == 404) {
            throw new OrderRejectedException("market", "unknown Kalshi market '" + ticker + "'");
        }
        JsonNode m = r.json() == null ? null : r.json().get("market");
        if (!r.ok() || m == null) {
            throw new IllegalStateException("Kalshi answered HTTP " + r.status() + " for market '" + ticker + "'");
        }
        // The venue's spelling of the ticker: orders and fills carry it.
        String venueTicker = m.path("ticker").asText(ticker);
        return new Listing("kalshi", venueTicker, venueTicker, null, null, m.path("title").asText(""),
                Listing.instant(m.path("close_time").asText(null)));
    }

    /** {@code GET /markets/{ticker}}; a ticker that is none cannot be listed: unknown (400). */
    private VenueReads.Response market(String ticker) {
        try {
            return reads.get("kalshi-market", Map.of("ticker", ticker), "", VenueReads.Auth.NONE);
        } catch (VenueReads.NotAnId e) {
            throw new OrderRejectedException("market", "unknown Kalshi market '" + ticker + "'");
        }
    }

    public MarketInfo byTicker(String ticker) {
        return cached(ticker).market();
    }

    private Cached cached(String ticker) {
        Cached c = cache.get(ticker);
        if (c != null && c.expires().isAfter(clock.instant())) {
            return c;
        }
        VenueReads.Response r = market(ticker);
        JsonNode m = r.json() == null ? null : r.json().get("market");
        if (!r.ok() || m == null) {
            throw new OrderRejectedException("market", "unknown Kalshi market '" + ticker + "'");
        }
        String status = m.path("status").asText("");
        if (!status.equals("active") && !status.equals("open")) {
            throw new OrderRejectedException("market", "Kalshi market " + ticker + " is not open (" + status + ")");
        }
        List<PriceRange> grid = new ArrayList<>();
        try {
            for (JsonNode range : m.path("price_ranges")) {
                grid.add(new PriceRange(Decimals.parse(range.path("start").asText()), Decimals.parse(range.path("end").asText()),
                        Decimals.parse(range.path("step").asText())));
            }
            if (grid.isEmpty()) {
                BigDecimal tick = m.hasNonNull("tick_size") ? Decimals.parse(m.get("tick_size").asText()).movePointLeft(2)
                        : new BigDecimal("0.01");
                grid.add(new PriceRange(BigDecimal.ZERO, BigDecimal.ONE, tick));
            }
        } catch (IllegalArgumentException e) {
            throw new OrderRejectedException("market", "Kalshi market " + ticker + " has an unreadable price grid: " + e.getMessage());
        }
        if (grid.stream().anyMatch(g -> g.step().signum() <= 0)) {
            throw new OrderRejectedException("market", "Kalshi market " + ticker + " has a price range without a step");
        }
        boolean fractional = m.path("fractional_trading_enabled").asBoolean(false);
        BigDecimal finest = grid.stream().map(PriceRange::step).min(BigDecimal::compareTo).orElseThrow();
        MarketInfo info = new MarketInfo("kalshi", ticker, m.path("ticker").asText(ticker), null, null, false, finest,
                fractional ? FRACTIONAL_MINIMUM : BigDecimal.ONE, null);
        Cached fresh = new Cached(info, List.copyOf(grid), fractional, clock.instant().plus(settings.marketCacheTtl()));
        cache.put(ticker, fresh);
        return fresh;
    }
}
