package com.oddsgate.kalshi;

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


import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.fills.Fill;
import com.oddsgate.fills.FillBook;
import com.oddsgate.fills.FillCursors;
import com.oddsgate.fills.PositionCheck;
import com.oddsgate.fills.TradeStatus;
import com.oddsgate.message.Json;
import com.oddsgate.order.Decimals;
import com.oddsgate.order.Side;
import com.oddsgate.venue.ListPage;
import com.oddsgate.venue.VenueReads;

/**
 * Kalshi fills → our fills, kept on the YES book (a bid buys YES, an ask sells YES, i.e. buys NO),
 * which is how Kalshi nets a market position. Kalshi fills are final when reported: CONFIRMED.
 */
public class KalshiFills {

    public static final String VENUE = "kalshi";
    private final AtomicLong unreadable = new AtomicLong();

    /** Fills skipped because they could not be read, since start. */
    public long unreadableFills() {
        return unreadable.get();
    }

    private final KalshiAccounts accounts;
    private final KalshiSettings settings;
    private final VenueReads reads;
    private final FillBook book;
    private final FillCursors cursors;
    private final Clock clock;
    private final Duration lookback;
    private final Duration overlap;

    public KalshiFills(KalshiAccounts accounts, KalshiSettings settings, VenueReads reads, FillBook book, FillCursors cursors, Clock clock,
            Duration lookback, Duration overlap) {
        this.accounts = accounts;
        this.settings = settings;
        this.reads = reads;
        this.book = book;
        this.cursors = cursors;
        this.clock = clock;
        this.lookback = lookback;
        this.overlap = overlap;
    }

    public boolean configured() {
        return accounts.configured();
    }

    /** The names of the configured keys, for the routes that poll and compare each. */
    public List<String> accountNames() {
        return accounts.configuredAccounts().stream().map(KalshiAccount::name).toList();
    }

    /** The polling cursor of a key, by its name: {@code main} keeps the one from before accounts existed. */
    private static String cursor(KalshiAccount account) {
        return KalshiAccount.MAIN.equals(account.name()) ? "fills" : "fills:" + account.name();
    }

    /**
     * Every fill of a key since its cursor less an overlap, all pages; none when it is not configured.
     * A list that does not end (the same cursor twice, or 10,000 pages) is no answer rather than a
     * partial one: the poll would move its cursor past fills it never saw.
     */
    public List<Fill> fetchSinceCursor(String accountName) {
        KalshiAccount account = accounts.of(accountName);
        if (!account.configured()) {
            return List.of();
        }
        Instant after = cursors.resumeAt(VENUE, cursor(account), overlap, lookback);
        List<Fill> out = new ArrayList<>();
        String cursor = "";
        for (int page = 0; ; page++) {
            if (page == 10_000) {
                throw new IllegalStateException("Kalshi /portfolio/fills did not end after 10,000 pages");
            }
            String query = "limit=200&min_ts=" + after.getEpochSecond()
                    + (cursor.isEmpty() ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            VenueReads.Response r = reads.get("kalshi-fills", Map.of(), query, account.signed(settings));
            if (!r.ok() || r.json() == null) {
                throw new IllegalStateException("Kalshi /portfolio/fills answered HTTP " + r.status());
            }
            for (JsonNode f : ListPage.items(r.json(), "fills", "Kalshi /portfolio/fills")) {
                try {
                    out.add(fromFill(account, f));
                } catch (RuntimeException e) { // one fill we cannot read must not stop the catch-up of the others
                    unreadable.incrementAndGet();
                    book.quarantine("kalshi", f.path("trade_id").asText(f.path("fill_id").asText("?")), f.toString(),
                            "cannot be read: " + e.getMessage());
                }
            }
            String next = ListPage.cursor(r.json(), "cursor", "Kalshi /portfolio/fills");
            if (next.isEmpty()) {
                return out;
            }
            if (next.equals(cursor)) {
                throw new IllegalStateException("Kalshi /portfolio/fills returned the same cursor twice");
            }
            cursor = next;
        }
    }

    /** Moves the key's polling cursor to the newest match seen (never backwards). */
    public void advanceCursor(String accountName, List<Fill> fills) {
        cursors.advanceCursor(VENUE, cursor(accounts.of(accountName)), fills);
    }

    /** The default key's positions at Kalshi. */
    public PositionCheck.VenuePositions venuePositions() {
        return venuePositions(accounts.byDefault().name());
    }

    /** Kalshi's own positions of a key: ticker → net YES contracts (negative: NO), every page. */
    public PositionCheck.VenuePositions venuePositions(String accountName) {
        KalshiAccount account = accounts.of(accountName);
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        String cursor = "";
        for (int page = 0; page < 10_000; page++) {
            String query = "limit=200" + (cursor.isEmpty() ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            VenueReads.Response r = reads.get("kalshi-positions", Map.of(), query, account.signed(settings));
            if (!r.ok() || r.json() == null) {
                throw new IllegalStateException("Kalshi /portfolio/positions answered HTTP " + r.status());
            }
            for (JsonNode p : ListPage.items(r.json(), "market_positions", "Kalshi /portfolio/positions")) {
                BigDecimal v = KalshiAnswers.count(p, "position");
                out.put(p.path("ticker").asText(), v == null ? BigDecimal.ZERO : v);
            }
            // Kalshi's positions answer documents its cursor as optional (none: no next page); orders' and fills' as required.
            String next = r.json().path("cursor").asText("");
            if (next.isEmpty()) {
                return new PositionCheck.VenuePositions(VENUE, account.signer().keyId(), out);
            }
            if (next.equals(cursor)) { // a list that does not end: part of the positions would raise false alarms
                throw new IllegalStateException("Kalshi /portfolio/positions returned the same cursor twice");
            }
            cursor = next;
        }
        throw new IllegalStateException("Kalshi /portfolio/positions did not end after 10,000 pages");
    }

    /** The channel's subscription: the {@code fill} channel of this key. */
    public static final String SUBSCRIBE = "{\"id\":1,\"cmd\":\"subscribe\",\"params\":{\"channels\":[\"fill\"]}}";

    /**
     * The fill in one frame of the {@code fill} channel ({@code {"type":"fill","sid","msg":{…}}}).
     * Fill frames carry no sequence number, so a lost frame cannot be seen here: every (re)connect
     * and the polling timer catch up from {@code /portfolio/fills}, and the fill book ignores repeats.
     */
    public List<Fill> fromChannel(String frame) throws IOException {
        return fromChannel(frame, accounts.byDefault().name());
    }

    /** {@link #fromChannel(String)} for a frame of a key's channel. */
    public List<Fill> fromChannel(String frame, String accountName) throws IOException {
        JsonNode j = Json.MAPPER.readTree(frame); // numbers as exact decimals, never doubles
        if (!"fill".equals(j.path("type").asText())) {
            return List.of();
        }
        return List.of(fromFill(accounts.of(accountName), j.path("msg")));
    }

    /** Signed handshake headers of a key for the fill channel's URL path. */
    public Map<String, String> handshake(String accountName, String path) {
        return accounts.of(accountName).headers(clock.millis(), "GET", path);
    }

    /** A fill of the default key. */
    public Fill fromFill(JsonNode f) {
        return fromFill(accounts.byDefault(), f);
    }

    /**
     * One fill, from {@code /portfolio/fills} or a {@code fill} frame: {@code side: yes|no} with
     * {@code action: buy|sell} and {@code yes_price_dollars} (older: {@code yes_price} in cents, or
     * {@code side: bid|ask} with a dollar {@code price}); the count as {@code count_fp}. Its identity is
     * the trade id, which both sources carry ({@code fill_id} only where no trade id is given); a
     * differing {@code fill_id} is its alias, so a fill seen on both is one fill whichever of the two
     * ids the frame carries (FillBook looks it up under both; the contract leaves it open).
     */
    public Fill fromFill(KalshiAccount account, JsonNode f) {
        String side = f.path("side").asText().toLowerCase(Locale.ROOT);
        Side yesSide;
        BigDecimal yesPrice;
        if (side.equals("bid") || side.equals("ask")) {
            yesSide = side.equals("bid") ? Side.BUY : Side.SELL;
            yesPrice = Decimals.parse(f.path("price").asText());
        } else if (side.equals("yes") || side.equals("no")) {
            // No guess: a fill on the wrong side of the book moves the position twice its size.
            String action = f.path("action").asText("").toLowerCase(Locale.ROOT);
            if (!action.equals("buy") && !action.equals("sell")) {
                throw new IllegalArgumentException("Kalshi fill with action '" + f.path("action").asText("") + "' (buy or sell)");
            }
            boolean buy = action.equals("buy");
            yesSide = side.equals("yes") == buy ? Side.BUY : Side.SELL;
            yesPrice = f.hasNonNull("yes_price_dollars") ? Decimals.parse(f.get("yes_price_dollars").asText())
                    : Decimals.parse(f.path("yes_price").asText()).divide(BigDecimal.valueOf(100), 4, RoundingMode.UNNECESSARY);
        } else {
            throw new IllegalArgumentException("Kalshi fill with side '" + side + "'");
        }
        BigDecimal count = KalshiAnswers.count(f, "count");
        if (count == null) {
            throw new IllegalArgumentException("Kalshi fill without count_fp");
        }
        String tradeId = f.hasNonNull("trade_id") ? f.get("trade_id").asText() : f.path("fill_id").asText();
        // A REST fill's fill_id, where it differs: a frame may name the fill by it (the docs do not say which id a frame carries).
        String alias = f.hasNonNull("trade_id") && f.hasNonNull("fill_id") ? f.get("fill_id").asText() : null;
        String ticker = f.hasNonNull("market_ticker") ? f.get("market_ticker").asText() : f.path("ticker").asText();
        Instant at = f.hasNonNull("ts_ms") ? Instant.ofEpochMilli(f.get("ts_ms").asLong())
                : f.hasNonNull("created_time") ? Instant.parse(f.get("created_time").asText())
                : f.hasNonNull("ts") ? Instant.ofEpochSecond(f.get("ts").asLong()) : null;
        if (at == null) {
            throw new IllegalArgumentException("Kalshi fill without a time (ts_ms, created_time or ts)");
        }
        return new Fill(VENUE, tradeId, 0, f.path("order_id").asText(), f.path("client_order_id").asText(null),
                account.signer().keyId(), ticker, ticker, "YES", yesSide, yesPrice, count,
                f.path("is_taker").asBoolean(false) ? "TAKER" : "MAKER", TradeStatus.CONFIRMED, tradeId, at, fee(f), alias);
    }

    private static final BigDecimal FEE_BOUND = new BigDecimal("1000000000");

    /** The fee Kalshi reports with the fill ({@code fee_cost}, dollars), or null without one or unreadable. */
    private static BigDecimal fee(JsonNode f) {
        JsonNode fee = f.get("fee_cost");
        if (fee == null || fee.isNull() || fee.asText().isEmpty()) {
            return null;
        }
        try {
            BigDecimal d = Decimals.parse(fee.asText());
            // The ledger keeps a fee to 12 digits: one beyond (a garbled figure) must not cost the fill itself.
            return d.abs().compareTo(FEE_BOUND) < 0 ? d : null;
        } catch (IllegalArgumentException unreadable) {
            return null; // the fill counts all the same; only its fee is unknown
        }
    }
}
