package com.oddsgate.kalshi;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.order.CanonicalOrder;
import com.oddsgate.order.MarketInfo;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.venue.JsonHttp;

/** Resolves a Kalshi ticker to its trading rules ({@code GET /markets/{ticker}}), cached for a TTL. */
public class KalshiMarkets {

    /** Kalshi trades fractional contracts down to 0.01. */
    static final BigDecimal MINIMUM_COUNT = new BigDecimal("0.01");

    private record Cached(MarketInfo market, Instant expires) {
    }

    private final JsonHttp http;
    private final KalshiSettings settings;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public KalshiMarkets(JsonHttp http, KalshiSettings settings, Clock clock) {
        this.http = http;
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
        MarketInfo m = byTicker(o.market());
        ticket.setMarket(m);
        ticket.setOrder(o.withMarket(m.conditionId()));
        return ticket;
    }

    public MarketInfo byTicker(String ticker) {
        Cached c = cache.get(ticker);
        if (c != null && c.expires().isAfter(clock.instant())) {
            return c.market();
        }
        JsonHttp.Response r = http.get(settings.url("/markets/" + ticker), Map.of());
        JsonNode m = r.json() == null ? null : r.json().get("market");
        if (!r.ok() || m == null) {
            throw new OrderRejectedException("market", "unknown Kalshi market '" + ticker + "'");
        }
        String status = m.path("status").asText("");
        if (!status.equals("active") && !status.equals("open")) {
            throw new OrderRejectedException("market", "Kalshi market " + ticker + " is not open (" + status + ")");
        }
        BigDecimal tick = m.hasNonNull("tick_size") ? new BigDecimal(m.get("tick_size").asText()).movePointLeft(2)
                : new BigDecimal("0.01");
        MarketInfo info = new MarketInfo("kalshi", ticker, m.path("ticker").asText(ticker), null, null, false, tick,
                MINIMUM_COUNT, null);
        cache.put(ticker, new Cached(info, clock.instant().plus(settings.marketCacheTtl())));
        return info;
    }
}
