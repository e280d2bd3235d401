package com.oddsgate.api;

import static com.oddsgate.order.Decimals.plain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;


import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.events.BestVenue;
import com.oddsgate.kalshi.KalshiAccount;
import com.oddsgate.kalshi.KalshiAccounts;
import com.oddsgate.kalshi.KalshiFunds;
import com.oddsgate.kalshi.KalshiSettings;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.message.ApiRefusal;
import com.oddsgate.order.MarketInfo;
import com.oddsgate.order.Outcome;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.CanonicalOrder;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.polymarket.protocol.PolymarketAccount;
import com.oddsgate.polymarket.protocol.PolymarketAccounts;
import com.oddsgate.polymarket.protocol.PolymarketFunds;
import com.oddsgate.polymarket.protocol.PolymarketMarkets;
import com.oddsgate.polymarket.protocol.PolymarketSettings;
import com.oddsgate.venue.VenueReads;
import com.oddsgate.venue.RetryableVenueException;

/**
 * Read-through venue data for traders: a market's book with best bid/ask, midpoint and spread;
 * whether a resting order scores for rewards; balances and allowances per venue. Nothing is cached
 * here but market metadata (which {@link PolymarketMarkets} owns).
 */
public class MarketData {

    private final PolymarketMarkets markets;
    private final PolymarketSettings settings;
    private final PolymarketAccounts accounts;
    private final PolymarketFunds funds;
    private final KalshiAccounts kalshiAccounts;
    private final KalshiFunds kalshiFunds;
    private final KalshiSettings kalshiSettings;
    private final OrderLedger ledger;
    private final VenueReads reads;
    private final Clock clock;

    public MarketData(PolymarketMarkets markets, PolymarketSettings settings, PolymarketAccounts accounts, PolymarketFunds funds,
            KalshiAccounts kalshiAccounts, KalshiFunds kalshiFunds, KalshiSettings kalshiSettings,
            OrderLedger ledger, VenueReads reads, Clock clock) {
        this.kalshiSettings = kalshiSettings;
        this.markets = markets;
        this.settings = settings;
        this.accounts = accounts;
        this.funds = funds;
        this.kalshiAccounts = kalshiAccounts;
        this.kalshiFunds = kalshiFunds;
        this.ledger = ledger;
        this.reads = reads;
        this.clock = clock;
    }

    /**
     * {@code GET /api/markets/{slug}/book}: both outcomes' books (best price first) and their summary.
     * A Kalshi ticker ({@code ?venue=kalshi}, or an upper-case ticker) reads Kalshi's book.
     */
    public Map<String, Object> polymarketBook(String slug) {
        MarketInfo m;
        try {
            m = markets.bySlug(slug);
        } catch (OrderRejectedException e) {
            throw new ApiRefusal.NotFound(e.getMessage(), e.violations());
        }
        Map<String, Object> out = new LinkedHashMap<>(markets.describe(m));
        try {
            out.put("YES", side(m.yesTokenId()));
            out.put("NO", side(m.noTokenId()));
        } catch (RetryableVenueException | IllegalStateException e) {
            throw new ApiRefusal.BadGateway("the book of " + slug + " cannot be read now: " + e.getMessage());
        }
        return out;
    }

    /**
     * The midpoint of the book of the order's outcome (the pre-trade price band's reference), or
     * null when that book has no bid or no ask. Polymarket: the token's {@code /book}; Kalshi: the
     * ticker's order book, NO read as 1 − YES.
     */
    public BigDecimal midpoint(OrderTicket ticket) {
        CanonicalOrder o = ticket.getOrder();
        Map<String, Object> side = "kalshi".equals(o.venue()) ? kalshiSide(o.market(), o.outcome()) : side(o.tokenId());
        Object mid = side.get("midpoint");
        return mid == null ? null : new BigDecimal(mid.toString());
    }

    /** One outcome's book for a best-venue comparison: Polymarket by token, Kalshi by ticker and side. */
    @SuppressWarnings("unchecked")
    public BestVenue.Book levels(String venue, String instrument, Outcome outcome) {
        Map<String, Object> side = "kalshi".equals(venue) ? kalshiSide(instrument, outcome) : side(instrument);
        return new BestVenue.Book(asLevels((List<Map<String, String>>) side.get("bids")),
                asLevels((List<Map<String, String>>) side.get("asks")));
    }

    private static List<BestVenue.Level> asLevels(List<Map<String, String>> levels) {
        return levels.stream().map(l -> new BestVenue.Level(new BigDecimal(l.get("price")), new BigDecimal(l.get("size")))).toList();
    }

    /** A Kalshi outcome's side of the ticker's book: its bids, and the other side's bids as its asks. */
    private Map<String, Object> kalshiSide(String ticker, Outcome outcome) {
        VenueReads.Response r = reads.get("kalshi-orderbook", Map.of("ticker", ticker), "", VenueReads.Auth.NONE);
        if (!r.ok() || r.json() == null) {
            throw new IllegalStateException("Kalshi answered HTTP " + r.status() + " for the book of " + ticker);
        }
        return kalshiSides(r.json()).get(outcome == Outcome.NO ? "NO" : "YES");
    }

    /** Both sides of a Kalshi order book answer: each side's bids, and the other side's bids as its asks. */
    private static Map<String, Map<String, Object>> kalshiSides(JsonNode answer) {
        List<Map<String, String>> yes = kalshiBids(answer, "yes");
        List<Map<String, String>> no = kalshiBids(answer, "no");
        return Map.of("YES", summary(null, yes, complement(no)), "NO", summary(null, no, complement(yes)));
    }

    /** Kalshi lists bids per side; YES asks are NO bids at 1 − price and the other way round. */
    public Map<String, Object> kalshiBook(String ticker) {
        VenueReads.Response r;
        try {
            r = reads.get("kalshi-orderbook", Map.of("ticker", ticker), "", VenueReads.Auth.NONE);
        } catch (RetryableVenueException e) {
            throw new ApiRefusal.BadGateway("the book of " + ticker + " cannot be read now: " + e.getMessage());
        } catch (VenueReads.NotAnId e) {
            throw new ApiRefusal.NotFound("unknown Kalshi market '" + ticker + "'");
        }
        if (r.status() == 404) {
            throw new ApiRefusal.NotFound("unknown Kalshi market '" + ticker + "'");
        }
        if (!r.ok() || r.json() == null) {
            throw new ApiRefusal.BadGateway("Kalshi answered HTTP " + r.status() + " for the book of " + ticker);
        }
        Map<String, Map<String, Object>> sides = kalshiSides(r.json());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("venue", "kalshi");
        out.put("ticker", ticker);
        out.put("YES", sides.get("YES"));
        out.put("NO", sides.get("NO"));
        return out;
    }

    /**
     * One side's bids from {@code orderbook_fp.<side>_dollars} ([dollars, count] strings), or from the
     * older {@code orderbook.<side>_dollars} or {@code orderbook.<side>} ([cents, count]).
     */
    private static List<Map<String, String>> kalshiBids(JsonNode answer, String side) {
        JsonNode fp = answer.path("orderbook_fp");
        if (fp.isObject()) {
            return levels(fp.path(side + "_dollars"), true);
        }
        JsonNode old = answer.path("orderbook");
        if (old.has(side + "_dollars")) {
            return levels(old.path(side + "_dollars"), true);
        }
        List<Map<String, String>> out = new ArrayList<>();
        for (JsonNode l : old.path(side)) {
            out.add(Map.of("price", plain(new BigDecimal(l.path(0).asText()).movePointLeft(2)), "size", l.path(1).asText()));
        }
        out.sort((a, b) -> new BigDecimal(b.get("price")).compareTo(new BigDecimal(a.get("price"))));
        return out;
    }

    /** The other side's bids as this side's asks (1 − price), best (lowest) first. */
    private static List<Map<String, String>> complement(List<Map<String, String>> bids) {
        List<Map<String, String>> asks = new ArrayList<>();
        for (Map<String, String> b : bids) {
            asks.add(Map.of("price", plain(BigDecimal.ONE.subtract(new BigDecimal(b.get("price")))), "size", b.get("size")));
        }
        return asks;
    }

    private Map<String, Object> side(String token) {
        VenueReads.Response r = reads.get("polymarket-book", Map.of(), "token_id=" + token, VenueReads.Auth.NONE);
        if (!r.ok() || r.json() == null) {
            throw new IllegalStateException("GET /book answered HTTP " + r.status());
        }
        return summary(token, levels(r.json().path("bids"), true), levels(r.json().path("asks"), false));
    }

    /** Best bid/ask, midpoint and spread over a side's levels (best first). */
    private static Map<String, Object> summary(String token, List<Map<String, String>> bids, List<Map<String, String>> asks) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (token != null) {
            out.put("tokenId", token);
        }
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

    /** The venues list best last; traders want best first. Levels are {price, size} objects or [price, size] pairs. */
    private static List<Map<String, String>> levels(JsonNode list, boolean bids) {
        List<Map<String, String>> out = new ArrayList<>();
        for (JsonNode l : list) {
            out.add(l.isArray() ? Map.of("price", l.path(0).asText(), "size", l.path(1).asText())
                    : Map.of("price", l.path("price").asText(), "size", l.path("size").asText()));
        }
        out.sort((a, b) -> {
            int c = new BigDecimal(a.get("price")).compareTo(new BigDecimal(b.get("price")));
            return bids ? -c : c;
        });
        return out;
    }

    /** {@code GET /api/orders/{id}/scoring}: Polymarket's {@code /order-scoring} for an order at the venue (the route checks that). */
    public Map<String, Object> scoring(OrderRecord r) {
        VenueReads.Response a = reads.get("polymarket-order-scoring", Map.of(), "order_id=" + r.orderHash(), accounts.of(r).l2(clock));
        if (!a.ok() || a.json() == null || !a.json().has("scoring")) {
            throw new ApiRefusal.BadGateway("the venue's order scoring answered HTTP " + a.status());
        }
        return Map.of("id", r.id(), "orderHash", r.orderHash(), "state", r.state().name(),
                "scoring", a.json().get("scoring").asBoolean());
    }

    /**
     * {@code GET /api/account}: collateral and allowances per venue for the default account, and
     * every account's under {@code accounts}; a venue that cannot answer says why.
     */
    public Map<String, Object> account(String refreshParameter) {
        boolean refresh = Boolean.parseBoolean(refreshParameter);
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> poly = new LinkedHashMap<>();
        for (PolymarketAccount a : accounts.all()) {
            try {
                poly.put(a.name(), funds.describe(a, refresh));
            } catch (OrderRejectedException | RetryableVenueException e) {
                poly.put(a.name(), Map.of("error", e.getMessage()));
            }
        }
        out.put("polymarket", poly.get(accounts.byDefault().name()));
        Map<String, Object> kalshi = new LinkedHashMap<>();
        for (KalshiAccount k : kalshiAccounts.configuredAccounts()) {
            try {
                kalshi.put(k.name(), Map.of("account", k.name(), "balance", kalshiFunds.currentBalance(k).stripTrailingZeros()
                        .toPlainString(), "currency", "USD"));
            } catch (OrderRejectedException e) {
                kalshi.put(k.name(), Map.of("error", e.getMessage()));
            }
        }
        if (kalshiAccounts.configured()) {
            out.put("kalshi", kalshi.getOrDefault(kalshiAccounts.byDefault().name(), kalshi.values().iterator().next()));
        }
        out.put("accounts", Map.of("polymarket", poly, "kalshi", kalshi));
        return out;
    }
}
