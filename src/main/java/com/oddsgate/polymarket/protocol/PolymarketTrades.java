package com.oddsgate.polymarket.protocol;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oddsgate.fills.Fill;
import com.oddsgate.fills.FillBook;
import com.oddsgate.fills.FillCursors;
import com.oddsgate.fills.PositionCheck;
import com.oddsgate.fills.TradeStatus;
import com.oddsgate.order.Decimals;
import com.oddsgate.order.Side;
import com.oddsgate.venue.ListPage;
import com.oddsgate.venue.VenueReads;

/**
 * Polymarket trades → our fills, from both sources: the user channel's {@code trade} events and
 * {@code GET /data/trades}. {@code owner} is the receiver of the event (us, on the user channel), so
 * it says nothing about which part is ours: {@code trader_side} does (else {@code trade_owner}, the
 * taker's API key). As taker the taker order is ours; as maker, only the {@code maker_orders} entries
 * we own, each at its own price and {@code matched_amount}. Never a fill for the other party's order.
 */
public class PolymarketTrades {

    public static final String VENUE = "polymarket";
    /** The most markets one user-channel connection may follow. */
    public static final int MAX_MARKETS = 200;
    static final String START = "MA==";
    static final String END = "LTE=";

    private final PolymarketAccounts accounts;
    private final PolymarketSettings settings;
    private final VenueReads reads;
    private final ObjectMapper json;
    private final FillBook book;
    private final FillCursors cursors;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration lookback;
    private final Duration overlap;

    public PolymarketTrades(PolymarketAccounts accounts, PolymarketSettings settings, VenueReads reads, ObjectMapper json,
            FillBook book, FillCursors cursors, JdbcTemplate jdbc, Clock clock, Duration lookback, Duration overlap) {
        this.accounts = accounts;
        this.settings = settings;
        this.reads = reads;
        this.json = json;
        this.book = book;
        this.cursors = cursors;
        this.jdbc = jdbc;
        this.clock = clock;
        this.lookback = lookback;
        this.overlap = overlap;
    }

    /** The default account's funder address, lower case. */
    public String accountId() {
        return accountId(accounts.byDefault());
    }

    /** The account's funder address, lower case: the account its fills and positions are kept under. */
    public String accountId(PolymarketAccount account) {
        return account.maker(settings).toLowerCase(Locale.ROOT);
    }

    /** The names of the accounts, for the routes that poll and compare each. */
    public List<String> accountNames() {
        return accounts.all().stream().map(PolymarketAccount::name).toList();
    }

    /**
     * The polling cursor of an account, by its name: {@code main} keeps the one from before
     * accounts existed, so that an upgrade neither re-reads nor skips trades.
     */
    private static String cursor(PolymarketAccount account) {
        return PolymarketAccount.MAIN.equals(account.name()) ? "trades" : "trades:" + account.name();
    }

    // ---- user channel --------------------------------------------------------------------------

    /**
     * Fills in one message of an account's user channel (an event or an array of events); other
     * events yield none. {@code trader_side} in it is that account's side.
     */
    public List<Fill> fromUserChannel(String message, String accountName) throws IOException {
        PolymarketAccount account = accounts.of(accountName);
        JsonNode root = json.readTree(message);
        List<Fill> out = new ArrayList<>();
        for (JsonNode event : root.isArray() ? root : List.of(root)) {
            if ("trade".equalsIgnoreCase(event.path("event_type").asText())) {
                out.addAll(ours(account, event));
            }
        }
        return out;
    }

    /**
     * The subscription for this account's user channel: markets with orders that can still trade,
     * newest first, at most {@value #MAX_MARKETS} (fills in any others still arrive by polling).
     */
    public String subscription(String accountName) {
        PolymarketAccount account = accounts.of(accountName);
        String mine = PolymarketAccount.MAIN.equals(account.name()) ? "(account = ? OR account IS NULL)" : "account = ?";
        List<String> markets = jdbc.queryForList("SELECT market FROM orders WHERE venue = 'polymarket' AND market IS NOT NULL"
                + " AND " + mine + " AND state IN ('PENDING_SUBMIT', 'UNKNOWN', 'LIVE', 'DELAYED', 'MATCHED', 'PARTIALLY_FILLED')"
                + " GROUP BY market ORDER BY MAX(id) DESC LIMIT " + MAX_MARKETS, String.class, account.name());
        return account.credentials().userSubscription(markets);
    }

    /**
     * The user channel's subscription change from the one sent to the one wanted now:
     * {@code {"operation":"subscribe","markets":[added]}} and {@code {"operation":"unsubscribe","markets":[gone]}}
     * (no credentials: the connection is authenticated already).
     */
    public List<String> subscriptionChanges(String sent, String now) {
        return ChannelOperations.between(sent, now, "markets");
    }

    // ---- polling -------------------------------------------------------------------------------

    /**
     * Every trade since the cursor (less an overlap, and never after the oldest fill whose status
     * can still change), all pages. Repeats are expected: the fill book ignores them.
     */
    public List<Fill> fetchSinceCursor(String accountName) {
        PolymarketAccount account = accounts.of(accountName);
        Instant after = cursors.resumeAt(VENUE, cursor(account), overlap, lookback);
        Instant unsettled = cursors.oldestUnsettled(VENUE).orElse(after);
        Instant floor = clock.instant().minus(lookback); // a trade that never settles must not drag every poll back for ever
        if (unsettled.isBefore(after)) {
            after = unsettled.isBefore(floor) ? floor : unsettled;
        }
        return fetch(account, "after=" + after.getEpochSecond());
    }

    /**
     * All pages of {@code GET /data/trades?<filter>}: the account's own trades. A list that does not
     * end (the same cursor twice, or 10,000 pages) is no answer rather than a partial one: a poll
     * would move its cursor past trades it never saw, and a lookup would judge an order on part of its trades.
     */
    public List<Fill> fetch(PolymarketAccount account, String filter) {
        List<Fill> out = new ArrayList<>();
        String cursor = START;
        for (int page = 0; !END.equals(cursor); page++) {
            if (page == 10_000) {
                throw new IllegalStateException("Polymarket /data/trades did not end after 10,000 pages");
            }
            String query = filter + "&next_cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8);
            VenueReads.Response r = reads.get("polymarket-trades", Map.of(), query, account.l2(clock));
            if (!r.ok() || r.json() == null) {
                throw new IllegalStateException("Polymarket /data/trades answered HTTP " + r.status());
            }
            for (JsonNode t : ListPage.items(r.json(), "data", "Polymarket /data/trades")) {
                out.addAll(ours(account, t));
            }
            String next = ListPage.cursor(r.json(), "next_cursor", "Polymarket /data/trades");
            if (next.equals(cursor)) {
                throw new IllegalStateException("Polymarket /data/trades returned the same cursor twice");
            }
            cursor = next.isEmpty() ? END : next;
        }
        return out;
    }

    /** Moves the account's polling cursor to the newest match seen (never backwards). */
    public void advanceCursor(String accountName, List<Fill> fills) {
        cursors.advanceCursor(VENUE, cursor(accounts.of(accountName)), fills);
    }

    /** The data API's page size limit: positions are read page by page until a short page. */
    static final int POSITIONS_PAGE = 500;

    /** The default account's positions at the venue. */
    public PositionCheck.VenuePositions venuePositions() {
        return venuePositions(accounts.byDefault().name());
    }

    /** The venue's positions for an account's funder: token id → shares ({@code GET /positions?user=} of the data API, every page). */
    public PositionCheck.VenuePositions venuePositions(String accountName) {
        String accountId = accountId(accounts.of(accountName));
        Map<String, BigDecimal> sizes = new LinkedHashMap<>();
        for (int offset = 0; offset < 1_000_000; offset += POSITIONS_PAGE) {
            VenueReads.Response r = reads.get("polymarket-positions", Map.of(), "sizeThreshold=0&limit=" + POSITIONS_PAGE + "&offset=" + offset
                    + "&user=" + accountId, VenueReads.Auth.NONE);
            if (!r.ok() || r.json() == null || !r.json().isArray()) {
                throw new IllegalStateException("Polymarket positions answered HTTP " + r.status());
            }
            for (JsonNode p : r.json()) {
                sizes.merge(p.path("asset").asText(), Decimals.parse(p.path("size").asText("0")), BigDecimal::add);
            }
            if (r.json().size() < POSITIONS_PAGE) {
                return new PositionCheck.VenuePositions(VENUE, accountId, sizes);
            }
        }
        throw new IllegalStateException("Polymarket positions did not end after 1,000,000 entries");
    }

    // ---- parsing -------------------------------------------------------------------------------

    /**
     * {@link #fromTrade} for one trade of a frame or a page: a trade that cannot be read is logged and
     * counted and yields nothing, so the other trades of that frame or poll are still recorded.
     */
    private List<Fill> ours(PolymarketAccount account, JsonNode t) {
        try {
            return fromTrade(account, t);
        } catch (RuntimeException e) { // a field we cannot read: number, time, side, id
            unreadable.incrementAndGet();
            book.quarantine(VENUE, t.path("id").asText("?"), ApiKeyFields.removed(t).toString(), "cannot be read: " + e.getMessage());
            return List.of();
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(PolymarketTrades.class);
    private final AtomicLong unreadable = new AtomicLong();
    private final AtomicLong unknownStatuses = new AtomicLong();

    /** Trades skipped because they could not be read, since start. */
    public long unreadableTrades() {
        return unreadable.get();
    }

    /** Trades seen with a status word we do not know (kept UNKNOWN, not final), since start. */
    public long unknownStatuses() {
        return unknownStatuses.get();
    }

    /** The default account's fills in one trade object. */
    public List<Fill> fromTrade(JsonNode t) {
        return fromTrade(accounts.byDefault(), t);
    }

    /** An account's fills in one trade object (REST or WebSocket shape) it was sent. */
    public List<Fill> fromTrade(PolymarketAccount account, JsonNode t) {
        String apiKey = account.credentials().apiKey();
        String funder = accountId(account);
        List<Fill> out = new ArrayList<>();
        String tradeId = text(t, "id");
        // No status at all is an unknown one too: kept UNKNOWN (counted, not final), not the whole trade put aside.
        TradeStatus status = TradeStatus.parse(t.path("status").asText(""));
        if (status == TradeStatus.UNKNOWN) {
            unknownStatuses.incrementAndGet();
            LOG.warn("Polymarket trade {} has an unknown status '{}': kept UNKNOWN (counted, not final)", tradeId,
                    t.path("status").asText());
        }
        // The user channel sends no bucket_index (only /data/trades does), so it cannot be part of a
        // fill's identity: a fill is (trade id, our order id), as the venue says to key it; the parts of
        // a split match are grouped by taker order and match time instead.
        int bucket = 0;
        // Pages of the docs differ: match_time, or matchtime on older ones.
        Instant matched = time(t.hasNonNull("match_time") ? t.get("match_time").asText() : t.path("matchtime").asText(""));
        String takerOrder = text(t, "taker_order_id");
        String group = takerOrder + "@" + matched.getEpochSecond();
        String market = t.path("market").asText(null);
        String takerAsset = text(t, "asset_id");
        Side takerSide = Side.valueOf(text(t, "side").toUpperCase(Locale.ROOT));
        boolean makerOurs = false;
        for (JsonNode m : t.path("maker_orders")) {
            makerOurs |= ownMaker(m, apiKey, funder);
        }
        String traderSide = t.path("trader_side").asText("").toUpperCase(Locale.ROOT);
        // Without trader_side (an undocumented shape), ours as taker only when no maker part is ours:
        // trade_owner and owner name us as the frame's receiver also when we are the maker (the docs' example).
        boolean takerOurs = !traderSide.isEmpty() ? traderSide.equals("TAKER")
                : !makerOurs && (apiKey.equals(t.path("trade_owner").asText()) || apiKey.equals(t.path("owner").asText())
                        || funder.equalsIgnoreCase(t.path("maker_address").asText()));
        if (takerOurs) {
            out.add(new Fill(VENUE, tradeId, bucket, takerOrder, null, funder, market, takerAsset,
                    outcome(t.path("outcome").asText(null)), takerSide, takerPrice(t, takerAsset), decimal(t, "size"), "TAKER",
                    status, group, matched));
        }
        for (JsonNode m : t.path("maker_orders")) {
            if (!ownMaker(m, apiKey, funder)) {
                continue;
            }
            String asset = m.path("asset_id").asText(takerAsset);
            // A maker on the same token took the other side; on the complementary token, the same side.
            Side side = m.hasNonNull("side") ? Side.valueOf(m.get("side").asText().toUpperCase(Locale.ROOT))
                    : asset.equals(takerAsset) ? (takerSide == Side.BUY ? Side.SELL : Side.BUY) : takerSide;
            out.add(new Fill(VENUE, tradeId, bucket, text(m, "order_id"), null, funder, market, asset,
                    outcome(m.path("outcome").asText(null)), side, decimal(m, "price"), decimal(m, "matched_amount"),
                    "MAKER", status, group, matched));
        }
        return out;
    }

    /**
     * What the taker paid (or got) per share: the makers' prices weighted by what each matched — a
     * trade's own {@code price} is the taker order's limit price (the venue's docs), which a sweep of
     * several levels, or a book better than the limit, did not pay. A maker on the complementary
     * token stands at 1 − its price. Without readable makers (a {@code /data/trades} item may list
     * none), the trade's price.
     */
    static BigDecimal takerPrice(JsonNode t, String takerAsset) {
        BigDecimal shares = BigDecimal.ZERO;
        BigDecimal paid = BigDecimal.ZERO;
        for (JsonNode m : t.path("maker_orders")) {
            BigDecimal size;
            BigDecimal price;
            try {
                size = Decimals.parse(m.path("matched_amount").asText(""));
                price = Decimals.parse(m.path("price").asText(""));
            } catch (IllegalArgumentException unreadable) {
                return decimal(t, "price");
            }
            if (size.signum() <= 0 || price.signum() <= 0 || price.compareTo(BigDecimal.ONE) >= 0) {
                return decimal(t, "price");
            }
            boolean sameToken = m.path("asset_id").asText(takerAsset).equals(takerAsset);
            shares = shares.add(size);
            paid = paid.add(size.multiply(sameToken ? price : BigDecimal.ONE.subtract(price)));
        }
        return shares.signum() == 0 ? decimal(t, "price") : paid.divide(shares, 6, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }

    private static boolean ownMaker(JsonNode m, String apiKey, String funder) {
        return apiKey.equals(m.path("owner").asText()) || funder.equalsIgnoreCase(m.path("maker_address").asText());
    }

    /**
     * YES or NO when the venue's label says so; any other label (a candidate's name in a neg-risk
     * market, a long phrase) is not an outcome of ours: the fill book derives it from the token.
     */
    static String outcome(String venueOutcome) {
        String o = venueOutcome == null ? "" : venueOutcome.trim().toUpperCase(Locale.ROOT);
        return o.equals("YES") || o.equals("NO") ? o : null;
    }

    private static String text(JsonNode n, String field) {
        String v = n.path(field).asText("");
        if (v.isEmpty()) {
            throw new IllegalArgumentException("trade without " + field);
        }
        return v;
    }

    private static BigDecimal decimal(JsonNode n, String field) {
        return Decimals.parse(text(n, field));
    }

    /** Venue times are unix seconds (or milliseconds) as text; ISO-8601 is accepted too. */
    static Instant time(String v) {
        if (v.isEmpty()) {
            throw new IllegalArgumentException("trade without match_time");
        }
        if (v.chars().allMatch(Character::isDigit)) {
            long n = Long.parseLong(v);
            return n > 100_000_000_000L ? Instant.ofEpochMilli(n) : Instant.ofEpochSecond(n);
        }
        return Instant.parse(v);
    }
}
