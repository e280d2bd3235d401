package com.oddsgate.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.kalshi.KalshiAccount;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.order.MarketInfo;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.polymarket.PolymarketAccount;
import com.oddsgate.polymarket.PolymarketFunds;
import com.oddsgate.polymarket.PolymarketMarkets;
import com.oddsgate.polymarket.PolymarketSettings;
import com.oddsgate.venue.JsonHttp;
import com.oddsgate.venue.RetryableVenueException;

/**
 * Read-through venue data for traders: a market's book with best bid/ask, midpoint and spread;
 * whether a resting order scores for rewards; balances and allowances per venue. Nothing is cached
 * here but market metadata (which {@link PolymarketMarkets} owns).
 */
public class MarketData {

    private final PolymarketMarkets markets;
    private final PolymarketSettings settings;
    private final PolymarketAccount account;
    private final PolymarketFunds funds;
    private final KalshiAccount kalshiAccount;
    private final com.oddsgate.kalshi.KalshiFunds kalshiFunds;
    private final OrderLedger ledger;
    private final JsonHttp http;
    private final Clock clock;

    public MarketData(PolymarketMarkets markets, PolymarketSettings settings, PolymarketAccount account, PolymarketFunds funds,
            KalshiAccount kalshiAccount, com.oddsgate.kalshi.KalshiFunds kalshiFunds, OrderLedger ledger, JsonHttp http, Clock clock) {
        this.markets = markets;
        this.settings = settings;
        this.account = account;
        this.funds = funds;
        this.kalshiAccount = kalshiAccount;
        this.kalshiFunds = kalshiFunds;
        this.ledger = ledger;
        this.http = http;
        this.clock = clock;
    }

    /** {@code GET /api/markets/{slug}/book}: both outcomes' books (best price first) and their summary. */
    public void book(Exchange exchange) {
        String slug = exchange.getIn().getHeader("slug", String.class);
        MarketInfo m;
        try {
            m = markets.bySlug(slug);
        } catch (OrderRejectedException e) {
            OrderViews.respond(exchange, 404, Map.of("error", e.getMessage(), "violations", e.violations()));
            return;
        }
        Map<String, Object> out = new LinkedHashMap<>(markets.describe(m));
        try {
            out.put("YES", side(m.yesTokenId()));
            out.put("NO", side(m.noTokenId()));
        } catch (RetryableVenueException | IllegalStateException e) {
            OrderViews.respond(exchange, 502, Map.of("error", "the book of " + slug + " cannot be read now: " + e.getMessage()));
            return;
        }
        OrderViews.respond(exchange, 200, out);
    }

    private Map<String, Object> side(String token) {
        JsonHttp.Response r = http.get(settings.clobUrl() + "/book?token_id=" + token, Map.of());
        if (!r.ok() || r.json() == null) {
            throw new IllegalStateException("GET /book answered HTTP " + r.status());
        }
        List<Map<String, String>> bids = levels(r.json().path("bids"), true);
        List<Map<String, String>> asks = levels(r.json().path("asks"), false);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tokenId", token);
        BigDecimal bestBid = bids.isEmpty() ? null : new BigDecimal(bids.get(0).get("price"));
        BigDecimal bestAsk = asks.isEmpty() ? null : new BigDecimal(asks.get(0).get("price"));
        out.put("bestBid", plain(bestBid));
        out.put("bestAsk", plain(bestAsk));
        boolean both = bestBid != null && bestAsk != null;
        out.put("midpoint", both ? plain(bestBid.add(bestAsk).divide(BigDecimal.valueOf(2), 6, RoundingMode.HALF_EVEN)) : null);
        out.put("spread", both ? plain(bestAsk.subtract(bestBid)) : null);
        out.put("bids", bids);
        out.put("asks", asks);
        return out;
    }

    /** The venue lists bids ascending and asks descending (best last); traders want best first. */
    private static List<Map<String, String>> levels(JsonNode list, boolean bids) {
        List<Map<String, String>> out = new ArrayList<>();
        for (JsonNode l : list) {
            out.add(Map.of("price", l.path("price").asText(), "size", l.path("size").asText()));
        }
        out.sort((a, b) -> {
            int c = new BigDecimal(a.get("price")).compareTo(new BigDecimal(b.get("price")));
            return bids ? -c : c;
        });
        return out;
    }

    /** {@code GET /api/orders/{id}/scoring}: Polymarket's {@code /order-scoring} for a resting order. */
    public void scoring(Exchange exchange) {
        OrderRecord r = OrderViews.pathOrder(ledger, exchange);
        if (r == null) {
            return;
        }
        if (!"polymarket".equals(r.venue()) || r.orderHash() == null) {
            OrderViews.respond(exchange, 409, Map.of("error", "order " + r.id() + " has no rewards scoring: only Polymarket orders"
                    + " at the venue score"));
            return;
        }
        String path = "/order-scoring";
        JsonHttp.Response a = http.get(settings.clobUrl() + path + "?order_id=" + r.orderHash(),
                account.l2Headers(clock.instant().getEpochSecond(), "GET", path, null));
        if (!a.ok() || a.json() == null || !a.json().has("scoring")) {
            OrderViews.respond(exchange, 502, Map.of("error", "the venue's order scoring answered HTTP " + a.status()));
            return;
        }
        OrderViews.respond(exchange, 200, Map.of("id", r.id(), "orderHash", r.orderHash(), "state", r.state().name(),
                "scoring", a.json().get("scoring").asBoolean()));
    }

    /** {@code GET /api/account}: collateral and allowances per venue; a venue that cannot answer says why. */
    public void account(Exchange exchange) {
        boolean refresh = Boolean.parseBoolean(exchange.getIn().getHeader("refresh", "false", String.class));
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            out.put("polymarket", funds.describe(refresh));
        } catch (OrderRejectedException | RetryableVenueException e) {
            out.put("polymarket", Map.of("error", e.getMessage()));
        }
        if (kalshiAccount.configured()) {
            try {
                out.put("kalshi", Map.of("balance", kalshiFunds.currentBalance().stripTrailingZeros().toPlainString(), "currency", "USD"));
            } catch (OrderRejectedException e) {
                out.put("kalshi", Map.of("error", e.getMessage()));
            }
        }
        OrderViews.respond(exchange, 200, out);
    }

    private static String plain(BigDecimal d) {
        return d == null ? null : d.stripTrailingZeros().toPlainString();
    }
}
