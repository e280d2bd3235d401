package com.oddsgate.polymarket.protocol;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oddsgate.message.Json;
import com.oddsgate.order.CanonicalOrder;
import com.oddsgate.order.Listing;
import com.oddsgate.order.MarketInfo;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.Outcome;
import com.oddsgate.venue.VenueReads;

/**
 * Resolves what an order refers to: Gamma maps a slug to its condition and outcome tokens, and the
 * CLOB's {@code /clob-markets/{conditionId}} is authoritative for tick size and neg-risk (a wrong
 * neg-risk flag signs against the wrong exchange). Results are cached for a TTL. A market that
 * cannot be resolved is a clear rejection: nothing is signed with guessed data.
 */
public class PolymarketMarkets {

    private static final Logger LOG = LoggerFactory.getLogger(PolymarketMarkets.class);

    private record Cached(MarketInfo market, Instant expires) {
    }

    /**
     * The market channel follows at most 200 assets per connection (the venue's limit), two per
     * market: the cache keeps at most this many markets, the one read longest ago making room (an
     * order in it reads it afresh). Every cached market is followed, so no cached tick size goes stale.
     */
    static final int MAX_CACHED_MARKETS = 100;

    /** The CLOB refuses a marketable BUY under $1 notional. */
    static final BigDecimal MARKETABLE_BUY_MINIMUM = BigDecimal.ONE;

    private final VenueReads reads;
    private final PolymarketSettings settings;
    private final Clock clock;
    private final Map<String, TakerFee> fees = new ConcurrentHashMap<>();
    private final Map<String, Cached> byCondition = new ConcurrentHashMap<>();
    private final Map<String, String> conditionBySlug = new ConcurrentHashMap<>();

    public PolymarketMarkets(VenueReads reads, PolymarketSettings settings, Clock clock) {
        this.reads = reads;
        this.settings = settings;
        this.clock = clock;
    }

    /** Fills the ticket's market, token id and outcome; throws when they do not resolve or disagree. */
    public OrderTicket resolve(OrderTicket ticket) {
        CanonicalOrder o = ticket.getOrder();
        MarketInfo m;
        if (o.market() != null && !isConditionId(o.market())) {
            m = bySlug(o.market());
        } else if (o.market() != null) {
            m = byConditionId(o.market(), null);
        } else {
            m = byToken(o.tokenId());
        }
        String token = o.tokenId();
        Outcome outcome = o.outcome();
        if (token == null) {
            token = m.tokenFor(outcome);
        } else {
            Outcome ofToken = m.outcomeOf(token);
            if (ofToken == null) {
                throw new OrderRejectedException("tokenId", "token " + token + " is not an outcome of market "
                        + m.conditionId());
            }
            if (outcome != null && outcome != ofToken) {
                throw new OrderRejectedException("outcome", outcome + " does not match token " + token + " (" + ofToken + ")");
            }
            outcome = ofToken;
        }
        ticket.setMarket(m);
        ticket.setOrder(o.withTokenId(token, outcome).withMarket(m.conditionId()));
        return ticket;
    }

    public MarketInfo bySlug(String slug) {
        String cid = conditionBySlug.get(slug);
        if (cid != null) {
            Cached c = byCondition.get(cid);
            if (c != null && c.expires().isAfter(clock.instant())) {
                return c.market();
            }
        }
        return byGamma(slug, gamma(slug, false));
    }

    /**
     * Gamma's market for a slug; an unknown slug is a rejection. {@code strict}: only a 404 or an
     * empty list says unknown, any other answer is no answer (thrown as such).
     */
    private JsonNode gamma(String slug, boolean strict) {
        VenueReads.Response r = reads.get("polymarket-market-by-slug", Map.of(), "slug=" + URLEncoder.encode(slug, StandardCharsets.UTF_8), VenueReads.Auth.NONE);
        JsonNode list = r.json();
        if (strict && r.status() != 404 && (!r.ok() || list == null || !list.isArray())) {
            throw new IllegalStateException("Gamma answered HTTP " + r.status() + " for market '" + slug + "'");
        }
        if (!r.ok() || list == null || !list.isArray() || list.isEmpty()) {
            throw new OrderRejectedException("market", "unknown market '" + slug + "'");
        }
        return list.get(0);
    }

    /** The market Gamma describes, completed and cached from the CLOB. */
    private MarketInfo byGamma(String slug, JsonNode g) {
        String conditionId = g.path("conditionId").asText(null);
        if (conditionId == null) {
            throw new OrderRejectedException("market", "market '" + slug + "' has no condition id");
        }
        MarketInfo m = byConditionId(conditionId, slug, g);
        conditionBySlug.put(slug, conditionId);
        return m;
    }

    /**
     * How Gamma lists a market (its question and {@code endDate}) with the CLOB's tokens: what the
     * cross-venue event registry compares. Read fresh each time (the registry reads rarely).
     */
    public Listing listing(String slug) {
        JsonNode g = gamma(slug, true);
        MarketInfo m = byGamma(slug, g);
        return new Listing("polymarket", slug, m.conditionId(), m.yesTokenId(), m.noTokenId(), g.path("question").asText(""),
                Listing.instant(g.path("endDate").asText(null)));
    }

    public MarketInfo byToken(String tokenId) {
        for (Cached c : byCondition.values()) {
            if (c.expires().isAfter(clock.instant()) && c.market().outcomeOf(tokenId) != null) {
                return c.market();
            }
        }
        VenueReads.Response r;
        try {
            r = reads.get("polymarket-market-by-token", Map.of("token", tokenId), "", VenueReads.Auth.NONE);
        } catch (VenueReads.NotAnId e) {
            throw new OrderRejectedException("tokenId", "unknown token " + tokenId);
        }
        String cid = r.ok() && r.json() != null ? r.json().path("condition_id").asText(null) : null;
        if (cid == null) {
            throw new OrderRejectedException("tokenId", "unknown token " + tokenId);
        }
        return byConditionId(cid, null);
    }

    /** Drops the fee inputs read so far: the next check reads each market's again. */
    public void forgetFees() {
        fees.clear();
    }

    /** The market's taker fee inputs ({@code fd} of {@code /clob-markets}), read with the market. */
    public TakerFee takerFee(String conditionId) {
        TakerFee f = fees.get(conditionId);
        if (f == null) {
            byConditionId(conditionId, null, null);
            f = fees.getOrDefault(conditionId, TakerFee.NONE);
        }
        return f;
    }

    public MarketInfo byConditionId(String conditionId, String slug) {
        Cached c = byCondition.get(conditionId);
        if (c != null && c.expires().isAfter(clock.instant())) {
            return c.market();
        }
        return byConditionId(conditionId, slug, null);
    }

    private MarketInfo byConditionId(String conditionId, String slug, JsonNode gamma) {
        VenueReads.Response r;
        try {
            r = reads.get("polymarket-clob-market", Map.of("conditionId", conditionId), "", VenueReads.Auth.NONE);
        } catch (VenueReads.NotAnId e) {
            throw new OrderRejectedException("market", "unknown market " + conditionId);
        }
        JsonNode m = r.json();
        if (!r.ok() || m == null || !m.has("t")) {
            throw new OrderRejectedException("market", "unknown market " + conditionId);
        }
        String yes = null;
        String no = null;
        JsonNode tokens = m.get("t");
        for (int i = 0; i < tokens.size(); i++) {
            String id = tokens.get(i).path("t").asText();
            String name = tokens.get(i).path("o").asText("");
            boolean isNo = name.equalsIgnoreCase("no") || (!name.equalsIgnoreCase("yes") && i == 1);
            if (isNo) {
                no = id;
            } else {
                yes = id;
            }
        }
        if (yes == null || no == null) {
            throw new OrderRejectedException("market", "market " + conditionId + " is not a binary YES/NO market");
        }
        BigDecimal tick = new BigDecimal(m.path("mts").asText());
        try {
            fees.put(conditionId, TakerFee.of(m.get("fd")));
        } catch (IllegalArgumentException e) {
            throw new OrderRejectedException("market", "market " + conditionId + " has unreadable fee inputs: " + e.getMessage());
        }
        boolean negRisk = m.path("nr").isBoolean() ? m.get("nr").asBoolean() : negRisk(conditionId, yes);
        BigDecimal minSize = gamma != null && gamma.hasNonNull("orderMinSize")
                ? new BigDecimal(gamma.get("orderMinSize").asText())
                : minimumSizeFromBook(yes);
        MarketInfo info = new MarketInfo("polymarket", slug != null ? slug : gamma == null ? null : gamma.path("slug").asText(null),
                conditionId, yes, no, negRisk, tick, minSize, MARKETABLE_BUY_MINIMUM);
        cache(info);
        return info;
    }

    /** Caches a market read now, within {@link #MAX_CACHED_MARKETS}. */
    void cache(MarketInfo info) {
        byCondition.put(info.conditionId(), new Cached(info, clock.instant().plus(settings.marketCacheTtl())));
        while (byCondition.size() > MAX_CACHED_MARKETS) {
            byCondition.entrySet().stream().min(Map.Entry.comparingByValue(Comparator.comparing(Cached::expires)))
                    .ifPresent(oldest -> byCondition.remove(oldest.getKey(), oldest.getValue()));
        }
    }

    /**
     * {@code GET /neg-risk?token_id=} → {@code .neg_risk}, the documented source (the market record
     * need not carry it): a wrong flag signs against the wrong exchange, so no answer is a refusal,
     * never a guess.
     */
    private boolean negRisk(String conditionId, String tokenId) {
        VenueReads.Response r = reads.get("polymarket-neg-risk", Map.of(), "token_id=" + tokenId, VenueReads.Auth.NONE);
        if (!r.ok() || r.json() == null || !r.json().path("neg_risk").isBoolean()) {
            throw new OrderRejectedException("market", "market " + conditionId + ": whether it is neg-risk could not be read (GET"
                    + " /neg-risk answered HTTP " + r.status() + ")", 503); // not a refusal of the order: it may pass
        }
        return r.json().get("neg_risk").asBoolean();
    }

    private BigDecimal minimumSizeFromBook(String tokenId) {
        VenueReads.Response r = reads.get("polymarket-book", Map.of(), "token_id=" + tokenId, VenueReads.Auth.NONE);
        if (r.ok() && r.json() != null && r.json().hasNonNull("min_order_size")) {
            return new BigDecimal(r.json().get("min_order_size").asText());
        }
        return null;
    }

    /** Drops a market from the cache: the next order reads it from the venue again. */
    public void forget(String conditionId) {
        byCondition.remove(conditionId);
    }

    /** Drops every cached market (after the market channel was away, a tick change may have been missed). */
    public void forgetAll() {
        byCondition.clear();
    }

    /** The market channel's subscription for the cached markets' outcome tokens. */
    public String marketSubscription() {
        ObjectNode s = Json.MAPPER.createObjectNode();
        cachedTokens().forEach(s.putArray("assets_ids")::add);
        s.put("type", "market");
        return s.toString();
    }

    /**
     * The market channel's change from the subscription sent to the one wanted now, as the venue
     * documents it for an open connection: {@code {"operation":"subscribe","assets_ids":[added]}} and
     * {@code {"operation":"unsubscribe","assets_ids":[gone]}}.
     */
    public static List<String> marketSubscriptionChanges(String sent, String now) {
        return ChannelOperations.between(sent, now, "assets_ids");
    }

    /** The outcome tokens of every cached market: what the market channel follows. */
    public List<String> cachedTokens() {
        List<String> out = new ArrayList<>();
        byCondition.values().forEach(c -> {
            out.add(c.market().yesTokenId());
            out.add(c.market().noTokenId());
        });
        Collections.sort(out);
        return out;
    }

    /**
     * A market-channel frame (one event or an array of them). {@code tick_size_change} replaces the
     * cached tick size at once, so an order priced on the old grid is refused before it is signed.
     */
    public void onMarketEvent(String frame) {
        JsonNode root = Json.tryRead(frame);
        if (root == null) {
            return; // PONG and other non-JSON frames
        }
        for (JsonNode e : root.isArray() ? root : List.of(root)) {
            if (!"tick_size_change".equals(e.path("event_type").asText())) {
                continue;
            }
            String market = e.path("market").asText();
            Cached c = byCondition.get(market);
            if (c != null && e.hasNonNull("new_tick_size")) {
                MarketInfo m = c.market();
                BigDecimal tick = new BigDecimal(e.get("new_tick_size").asText());
                if (tick.compareTo(m.tickSize()) != 0) {
                    // Only while still cached (an eviction meanwhile is not undone), and only over the entry read here.
                    byCondition.replace(market, c, new Cached(new MarketInfo(m.venue(), m.slug(), m.conditionId(), m.yesTokenId(),
                            m.noTokenId(), m.negRisk(), tick, m.minimumSize(), m.marketableBuyMinimum()), c.expires()));
                    LOG.info("tick size of {} changed {} -> {}", m.slug() != null ? m.slug() : market, m.tickSize().toPlainString(),
                            tick.toPlainString());
                }
            }
        }
    }

    /** A JSON view of a market for the REST API. */
    public Map<String, Object> describe(MarketInfo m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("venue", m.venue());
        out.put("slug", m.slug());
        out.put("conditionId", m.conditionId());
        out.put("yesTokenId", m.yesTokenId());
        out.put("noTokenId", m.noTokenId());
        out.put("negRisk", m.negRisk());
        out.put("tickSize", m.tickSize().toPlainString());
        out.put("minimumSize", m.minimumSize() == null ? null : m.minimumSize().toPlainString());
        return out;
    }

    static boolean isConditionId(String market) {
        return market.matches("0x[0-9a-fA-F]{64}");
    }
}
