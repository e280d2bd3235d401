package com.oddsgate.sim;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.web3j.utils.Numeric;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Polymarket CLOB and Gamma, simulated with the venue's wire formats and checks: L1 EIP-712
 * auth on key calls, L2 HMAC on every private call (path without query, exact body bytes), the
 * order's EIP-712 signature recovered against the exchange the venue would use (chain 137, real
 * addresses, neg-risk aware), signer bound to the API key, tick / size / precision / balance rules,
 * and duplicate order hashes refused. Marketable orders match seeded liquidity.
 * <p>
 * Simplification, on purpose: resting orders do not join the seeded book. {@code /data/order} answers
 * open orders only, as the venue does (a matched or cancelled one answers {@code null}).
 */
public class PolymarketSim {

    static final long CHAIN_ID = VenueSignatures.CHAIN_ID;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    /** API credentials as the venue stores them. */
    record Account(String address, String apiKey, String secret, String passphrase) {
    }

    /** Who signed an L1 request, and for which key nonce. */
    private record L1Identity(String address, long nonce) {
        String key() {
            return address + "/" + nonce;
        }
    }

    /** An order as the venue holds it. */
    /** An order's side as the CLOB writes it (the simulator reads the wire, not the gateway's model). */
    public enum Side { BUY, SELL }

    public record SimOrder(String id, String owner, String maker, String signer, String market, String assetId,
            String outcome, Side side, BigDecimal price, BigDecimal originalSize, BigDecimal sizeMatched, String status,
            String orderType, long expiration, long createdAt) {
    }

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, SimMarket> marketsByCondition = new ConcurrentHashMap<>();
    private final Map<String, SimMarket> marketsBySlug = new ConcurrentHashMap<>();
    private final Map<String, SimMarket> marketsByToken = new ConcurrentHashMap<>();
    private final Map<String, String> depositWallets = new ConcurrentHashMap<>();
    /** Proxy (type 1) and Safe (type 2) wallets → the EOA that owns each, as the venue knows them. */
    private final Map<String, String> proxyWallets = new ConcurrentHashMap<>();
    private final Map<String, Account> accountsByKey = new ConcurrentHashMap<>();
    private final Map<String, Account> accountsByAddressNonce = new ConcurrentHashMap<>();
    private final Map<String, SimOrder> orders = new ConcurrentHashMap<>();
    private final Map<String, BigDecimal> collateral = new ConcurrentHashMap<>();
    private final Map<String, BigDecimal> shares = new ConcurrentHashMap<>();
    private final AtomicInteger orderPosts = new AtomicInteger();
    private final AtomicInteger batchPosts = new AtomicInteger();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile int failStatus = 503;
    private volatile long holdAnswersMillis;
    private final CountDownLatch[] heldOrder = {new CountDownLatch(1)};
    private volatile int version = 2;
    private volatile RateTier tier = RateTier.LOWEST;
    private final Map<String, VenueBucket[]> buckets = new ConcurrentHashMap<>();
    private final AtomicInteger rateLimited = new AtomicInteger();
    /** Taker fee inputs per market: {@code fd.r} and {@code fd.e} of {@code /clob-markets}. */
    private final Map<String, BigDecimal[]> feeInputs = new ConcurrentHashMap<>();
    /** Heartbeat chains per API key: the id the next heartbeat must carry, and when the last one came. */
    private final Map<String, String> heartbeatIds = new ConcurrentHashMap<>();
    private final Map<String, Long> lastHeartbeat = new ConcurrentHashMap<>();
    private volatile long heartbeatTimeoutMillis = 10_000;
    private volatile boolean heartbeatsDown;
    private final List<String> marketEvents = new CopyOnWriteArrayList<>();
    private volatile Consumer<String> marketListener = e -> { };
    /** Trades by id, in match order; each is the venue's latest version of the trade object. */
    private final Map<String, ObjectNode> trades = new LinkedHashMap<>();
    /** Trades matched but not listed on /data/trades yet (see {@link #tradesLag}). */
    private final Set<String> unlisted = new HashSet<>();
    private boolean tradesLag;
    private volatile Consumer<ObjectNode> tradeListener = t -> { };
    private volatile long settleMillis;
    private ScheduledExecutorService settler;
    private BigDecimal defaultCollateral = new BigDecimal("100000");
    private BigDecimal defaultShares = new BigDecimal("100000");

    public PolymarketSim(Clock clock) {
        this.clock = clock;
    }

    // ---- fixtures and test controls -------------------------------------------------------------

    public PolymarketSim loadFixtures(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        if (root.has("defaultCollateral")) {
            defaultCollateral = new BigDecimal(root.get("defaultCollateral").asText());
        }
        if (root.has("defaultShares")) {
            defaultShares = new BigDecimal(root.get("defaultShares").asText());
        }
        for (JsonNode a : root.path("accounts")) {
            registerAccount(a.get("address").asText(), 0, a.get("apiKey").asText(), a.get("secret").asText(),
                    a.get("passphrase").asText());
        }
        for (JsonNode m : root.path("markets")) {
            JsonNode yes = m.get("tokens").get(0);
            JsonNode no = m.get("tokens").get(1);
            SimMarket market = new SimMarket(m.get("slug").asText(), m.path("question").asText(""),
                    m.get("conditionId").asText(), m.path("negRisk").asBoolean(false),
                    new BigDecimal(m.get("tickSize").asText()), new BigDecimal(m.get("minimumSize").asText()),
                    yes.get("tokenId").asText(), no.get("tokenId").asText());
            market.endDate = m.path("endDate").asText(null);
            for (JsonNode t : List.of(yes, no)) {
                String token = t.get("tokenId").asText();
                t.path("bids").forEach(l -> market.bids.get(token).merge(new BigDecimal(l.get(0).asText()),
                        new BigDecimal(l.get(1).asText()), BigDecimal::add));
                t.path("asks").forEach(l -> market.asks.get(token).merge(new BigDecimal(l.get(0).asText()),
                        new BigDecimal(l.get(1).asText()), BigDecimal::add));
            }
            marketsByCondition.put(market.conditionId, market);
            marketsBySlug.put(market.slug, market);
            marketsByToken.put(market.yesToken, market);
            marketsByToken.put(market.noToken, market);
        }
        return this;
    }

    void registerAccount(String address, long nonce, String apiKey, String secret, String passphrase) {
        Account a = new Account(Numeric.prependHexPrefix(address).toLowerCase(Locale.ROOT), apiKey, secret, passphrase);
        accountsByKey.put(apiKey, a);
        accountsByAddressNonce.put(a.address() + "/" + nonce, a);
    }

    /** A Polymarket rate-limit tier as the simulator enforces it per API key (orders and cancels a second, bursts). */
    public record RateTier(String name, int ordersPerSecond, int orderBurst, int cancelsPerSecond, int cancelBurst) {
        /** The lowest tier, named as the venue's Poly-RateLimit-Tier header names it. */
        public static final RateTier LOWEST = new RateTier("Standard", 40, 60, 80, 120);
        public static final RateTier TOP = new RateTier("Elite", 600, 900, 1200, 1800);
    }

    /** The tier every API key gets; buckets start full again. */
    public PolymarketSim rateTier(RateTier t) {
        tier = t;
        buckets.clear();
        return this;
    }

    /** How many requests were answered 429. */
    public int rateLimitedCount() {
        return rateLimited.get();
    }

    /**
     * The order version the venue expects from now on ({@code GET /version}); orders signed otherwise
     * are refused. Under the lock of order placement: an order is checked and hashed under one version.
     */
    public synchronized void setVersion(int v) {
        if (v != 2 && v != 3) {
            throw new IllegalArgumentException("the simulated exchange runs order version 2 or 3, not " + v);
        }
        version = v;
    }

    /** The order version the venue expects now. */
    public int version() {
        return version;
    }

    /** Changes a market's tick size and tells the market channel ({@code tick_size_change}), as the venue does. */
    public void setTickSize(String slug, BigDecimal tick) {
        SimMarket m = marketsBySlug.get(slug);
        BigDecimal old = m.tickSize;
        m.tickSize = tick;
        for (String token : List.of(m.yesToken, m.noToken)) {
            String event = obj().put("event_type", "tick_size_change").put("asset_id", token).put("market", m.conditionId)
                    .put("old_tick_size", old.toPlainString()).put("new_tick_size", tick.toPlainString())
                    .put("timestamp", Long.toString(clock.millis())).toString();
            marketEvents.add(event);
            marketListener.accept(event);
        }
    }

    void marketListener(Consumer<String> listener) {
        this.marketListener = listener;
    }

    /** The order is cancelled at the venue without the gateway (another client, the web UI, the venue itself). */
    public synchronized void cancelOutside(String orderId) {
        SimOrder o = orders.get(orderId);
        if (o == null || !o.status().equals("LIVE")) {
            throw new IllegalArgumentException("no live order " + orderId);
        }
        canceled(o);
    }

    /** Cancels a live order and tells its owner's user channel ({@code order} event, CANCELLATION), as the venue does. */
    private void canceled(SimOrder o) {
        SimOrder c = withStatus(o, "CANCELED");
        orders.put(o.id(), c);
        orderListener.accept(obj().put("event_type", "order").put("type", "CANCELLATION").put("id", c.id())
                .put("owner", c.owner()).put("market", c.market()).put("asset_id", c.assetId()).put("side", c.side().name())
                .put("original_size", c.originalSize().toPlainString()).put("size_matched", c.sizeMatched().toPlainString())
                .put("price", c.price().toPlainString()).put("outcome", c.outcome())
                .put("timestamp", Long.toString(clock.instant().getEpochSecond())));
    }

    private volatile Consumer<ObjectNode> orderListener = e -> { };

    void orderListener(Consumer<ObjectNode> listener) {
        this.orderListener = listener;
    }

    /** A market's taker fee inputs: a taker pays shares × r × (p(1 − p))^e; makers pay none. */
    public void setTakerFee(String slug, BigDecimal rate, int exponent) {
        feeInputs.put(marketsBySlug.get(slug).conditionId, new BigDecimal[] {rate, BigDecimal.valueOf(exponent)});
    }

    /** The collateral (pUSD) a funder holds; orders need it, {@code /balance-allowance} reports it. */
    public void setCollateral(String funder, BigDecimal amount) {
        collateral.put(funder.toLowerCase(Locale.ROOT), amount);
    }

    /** When a key's heartbeats stop for longer than this, all its open orders are cancelled (dead-man switch). */
    public void heartbeatTimeout(Duration timeout) {
        heartbeatTimeoutMillis = timeout.toMillis();
    }

    /** While true, {@code POST /v1/heartbeats} answers 503 (the venue's heartbeat service is unavailable). */
    public void failHeartbeats(boolean down) {
        heartbeatsDown = down;
    }

    public boolean heartbeating(String apiKey) {
        Long last = lastHeartbeat.get(apiKey);
        return last != null && clock.millis() - last <= heartbeatTimeoutMillis;
    }

    /**
     * The dead-man switch, run before every private request: a key whose heartbeats lapsed loses its
     * open orders, and the switch is disarmed until its next heartbeat. Returns how many were cancelled.
     */
    public synchronized int expireHeartbeats() {
        int n = 0;
        for (Map.Entry<String, Long> e : List.copyOf(lastHeartbeat.entrySet())) {
            if (clock.millis() - e.getValue() > heartbeatTimeoutMillis) {
                lastHeartbeat.remove(e.getKey());
                heartbeatIds.remove(e.getKey());
                for (SimOrder o : List.copyOf(orders.values())) {
                    if (o.owner().equals(e.getKey()) && o.status().equals("LIVE")) {
                        canceled(o);
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private static SimOrder withStatus(SimOrder o, String status) {
        return new SimOrder(o.id(), o.owner(), o.maker(), o.signer(), o.market(), o.assetId(), o.outcome(), o.side(),
                o.price(), o.originalSize(), o.sizeMatched(), status, o.orderType(), o.expiration(), o.createdAt());
    }

    /** One rate-limit check: {@code kind} 0 orders, 1 cancels; null when allowed, else the 429. */
    private SimulatorServer.Reply limited(Account a, int kind, int cost) {
        RateTier t = tier;
        VenueBucket[] b = buckets.computeIfAbsent(a.apiKey(), k -> new VenueBucket[] {
            new VenueBucket(t.ordersPerSecond(), t.orderBurst()),
            new VenueBucket(t.cancelsPerSecond(), t.cancelBurst())});
        if (b[kind].tryTake(cost)) {
            return null;
        }
        rateLimited.incrementAndGet();
        // Seconds, fractional when under one (as the venue sends them, e.g. "0.5").
        BigDecimal seconds = BigDecimal.valueOf(Math.max(1, b[kind].nanosUntil(cost) / 1_000_000)).movePointLeft(3)
                .setScale(1, RoundingMode.UP).stripTrailingZeros();
        return error(429, "Too Many Requests").withHeaders(Map.of("Retry-After", seconds.toPlainString()));
    }

    /** {@code Poly-RateLimit-*} headers describing the caller's order bucket after a request. */
    private SimulatorServer.Reply rateHeaders(Account a, SimulatorServer.Reply reply) {
        VenueBucket[] b = buckets.get(a.apiKey());
        if (b == null) {
            return reply;
        }
        double left = b[0].available();
        long reset = (long) Math.ceil((b[0].burst() - left) / b[0].rate());
        return reply.withHeaders(Map.of("Poly-RateLimit-Tier", tier.name(), "Poly-RateLimit-Remaining",
                Long.toString((long) Math.floor(left)), "Poly-RateLimit-Reset", Long.toString(reset)));
    }

    /** The next {@code count} order posts answer {@code status} without being processed. */
    public void failNextOrderPosts(int count, int status) {
        this.failHtml = false;
        this.failStatus = status;
        this.failNext.set(count);
    }

    private volatile boolean failHtml;

    /** The same, answered by something in front of the venue with an HTML page (a CDN's 403, a proxy's 502). */
    public void failNextOrderPostsWithHtml(int count, int status) {
        failNextOrderPosts(count, status);
        this.failHtml = true;
    }

    /**
     * Orders are taken (they enter the book) but the answer is held back this long: the window in
     * which a gateway can die having sent an order whose answer it never sees.
     */
    public void holdAnswers(Duration hold) {
        holdAnswersMillis = hold.toMillis();
        heldOrder[0] = new CountDownLatch(1);
    }

    /** Waits until an order arrived while answers are held. */
    public boolean awaitHeldOrder(Duration timeout) throws InterruptedException {
        return heldOrder[0].await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * When positive, every new trade moves MATCHED → MINED → CONFIRMED on its own, one step per
     * {@code delay}, as a live venue's trades do; zero (the default) leaves the steps to the test.
     */
    public synchronized PolymarketSim settleTradesAfter(Duration delay) {
        settleMillis = delay.toMillis();
        if (settleMillis > 0 && settler == null) {
            settler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "venue-sim-settle");
                t.setDaemon(true);
                return t;
            });
        }
        return this;
    }

    void tradeListener(Consumer<ObjectNode> listener) {
        this.tradeListener = listener;
    }

    /**
     * Someone else's marketable order hits our resting orders: one taker trade with each listed
     * order as a maker, {@code size} from each, split into {@code buckets} transactions (trade
     * objects with one match time and increasing {@code bucket_index}). Returns the trade ids.
     */
    public synchronized List<String> fillResting(List<String> orderIds, BigDecimal size, int buckets) {
        String taker = "0x" + UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        long matchTime = clock.instant().getEpochSecond();
        SimOrder first = orders.get(orderIds.get(0));
        if (first == null) {
            throw new IllegalArgumentException("unknown order " + orderIds.get(0));
        }
        BigDecimal part = size.divide(BigDecimal.valueOf(buckets), 2, RoundingMode.DOWN);
        List<String> ids = new ArrayList<>();
        for (int b = 0; b < buckets; b++) {
            BigDecimal amount = b == buckets - 1 ? size.subtract(part.multiply(BigDecimal.valueOf(buckets - 1))) : part;
            ObjectNode t = trade(first.market(), first.assetId(), first.side() == Side.BUY ? Side.SELL : Side.BUY,
                    amount.multiply(BigDecimal.valueOf(orderIds.size())), first.price(), "sim-taker", taker, matchTime, b);
            ArrayNode makers = t.putArray("maker_orders");
            for (String id : orderIds) {
                SimOrder o = orders.get(id);
                if (o == null || !o.status().equals("LIVE") || o.originalSize().subtract(o.sizeMatched()).compareTo(amount) < 0) {
                    throw new IllegalArgumentException("order " + id + " cannot take " + amount.toPlainString());
                }
                BigDecimal matched = o.sizeMatched().add(amount);
                orders.put(id, new SimOrder(o.id(), o.owner(), o.maker(), o.signer(), o.market(), o.assetId(), o.outcome(),
                        o.side(), o.price(), o.originalSize(), matched, matched.compareTo(o.originalSize()) >= 0 ? "MATCHED"
                                : "LIVE", o.orderType(), o.expiration(), o.createdAt()));
                makers.addObject().put("order_id", id).put("owner", o.owner()).put("maker_address", o.maker())
                        .put("matched_amount", amount.toPlainString()).put("price", o.price().toPlainString())
                        .put("fee_rate_bps", "0").put("asset_id", o.assetId()).put("outcome", oddLabels ? o.outcome()
                                + ODD_LABEL : o.outcome())
                        .put("side", o.side().name());
            }
            ids.add(record(t));
        }
        return ids;
    }

    /** A trade the venue sends with a field a client cannot read (for tests of one bad trade among good ones). */
    public synchronized void garbleTrade(String tradeId, String field, String value) {
        trades.get(tradeId).put(field, value);
    }

    /** The venue re-sends a trade on every status change: FAILED undoes it. */
    public void setTradeStatus(String tradeId, String status) {
        ObjectNode copy;
        synchronized (this) {
            ObjectNode t = trades.get(tradeId);
            if (t == null) {
                throw new IllegalArgumentException("unknown trade " + tradeId);
            }
            t.put("status", status).put("last_update", Long.toString(clock.instant().getEpochSecond()));
            if (!status.equals("MATCHED") && !status.equals("FAILED")) {
                t.put("transaction_hash", "0x" + UUID.randomUUID().toString().replace("-", ""));
            }
            copy = t.deepCopy();
        }
        tradeListener.accept(copy);
    }

    /** One settlement step, only from the status it expects: a trade failed meanwhile stays FAILED. */
    private void settle(String tradeId, String from, String to) {
        synchronized (this) {
            if (!trades.get(tradeId).get("status").asText().matches(from)) {
                return;
            }
        }
        setTradeStatus(tradeId, to);
    }

    /** Sends a trade's current version over the user channel again, as the venue does after a reconnect. */
    public void redeliver(String tradeId) {
        ObjectNode copy;
        synchronized (this) {
            copy = trades.get(tradeId).deepCopy();
        }
        tradeListener.accept(copy);
    }

    public synchronized List<ObjectNode> trades() {
        return trades.values().stream().map(ObjectNode::deepCopy).toList();
    }

    /**
     * The venue's positions for one funder (as the data API reports them), from every trade that
     * did not fail: token id → shares.
     */
    public synchronized Map<String, BigDecimal> positionsOf(String funder) {
        Map<String, BigDecimal> out = new TreeMap<>();
        for (ObjectNode t : trades.values()) {
            if (t.get("status").asText().equals("FAILED")) {
                continue;
            }
            if (funder.equalsIgnoreCase(t.path("maker_address").asText())) {
                BigDecimal q = new BigDecimal(t.get("size").asText());
                out.merge(t.get("asset_id").asText(), t.get("side").asText().equals("BUY") ? q : q.negate(), BigDecimal::add);
            }
            for (JsonNode m : t.path("maker_orders")) {
                if (funder.equalsIgnoreCase(m.path("maker_address").asText())) {
                    BigDecimal q = new BigDecimal(m.get("matched_amount").asText());
                    out.merge(m.get("asset_id").asText(), m.get("side").asText().equals("BUY") ? q : q.negate(), BigDecimal::add);
                }
            }
        }
        out.replaceAll((k, v) -> v.stripTrailingZeros());
        return out;
    }

    private volatile boolean oddLabels;
    private static final String ODD_LABEL = " (resolves per the official source; a label far longer than a ledger column)";

    /** Trades name their outcome with long labels, not Yes / No (a market's own wording; a fault the gateway must survive). */
    public void oddOutcomeLabels(boolean on) {
        oddLabels = on;
    }

    private String label(SimMarket m, String token) {
        String l = m == null ? "" : m.outcomeOf(token);
        return oddLabels && m != null ? l + ODD_LABEL : l;
    }

    private ObjectNode trade(String market, String asset, Side side, BigDecimal size, BigDecimal price, String owner,
            String takerOrder, long matchTime, int bucket) {
        SimMarket m = marketsByCondition.get(market);
        return obj().put("id", UUID.randomUUID().toString()).put("taker_order_id", takerOrder).put("market", market)
                .put("asset_id", asset).put("side", side.name()).put("size", size.toPlainString())
                .put("fee_rate_bps", "0").put("price", price.toPlainString()).put("status", "MATCHED")
                .put("match_time", Long.toString(matchTime)).put("last_update", Long.toString(matchTime))
                .put("outcome", label(m, asset)).put("bucket_index", bucket).put("trade_owner", owner)
                .put("maker_address", "").put("transaction_hash", "").put("type", "TRADE");
    }

    private static final List<String> WS_TRADE_FIELDS = List.of("event_type", "type", "id", "taker_order_id", "market", "asset_id",
            "side", "size", "price", "status", "match_time", "last_update", "outcome", "owner", "trade_owner", "trader_side",
            "maker_orders");
    private static final List<String> REST_TRADE_FIELDS = List.of("id", "taker_order_id", "market", "asset_id", "side", "size",
            "price", "status", "match_time", "bucket_index", "owner", "maker_address", "trader_side", "outcome", "maker_orders");
    private static final List<String> MAKER_FIELDS = List.of("order_id", "owner", "maker_address", "matched_amount", "price",
            "asset_id", "outcome");

    /**
     * The trade as one participant receives it, in the documented shape of the user channel's
     * {@code trade} event ({@code websocket}) or of a {@code /data/trades} item: {@code owner} is the
     * receiver, {@code trade_owner} the taker, {@code trader_side} which part is the receiver's. What
     * the simulator keeps for itself (a maker's side, fees, transaction hashes) is not sent.
     */
    public static ObjectNode addressedTo(JsonNode trade, String apiKey, boolean websocket) {
        ObjectNode full = trade.deepCopy();
        full.put("owner", apiKey).put("trader_side", apiKey.equals(trade.path("trade_owner").asText()) ? "TAKER" : "MAKER")
                .put("event_type", "trade");
        ObjectNode out = JSON.createObjectNode();
        for (String f : websocket ? WS_TRADE_FIELDS : REST_TRADE_FIELDS) {
            if (f.equals("maker_orders")) {
                ArrayNode makers = out.putArray("maker_orders");
                for (JsonNode m : trade.path("maker_orders")) {
                    ObjectNode one = makers.addObject();
                    MAKER_FIELDS.forEach(mf -> one.set(mf, m.get(mf)));
                }
            } else if (full.has(f)) {
                out.set(f, full.get(f));
            }
        }
        return out;
    }

    /** The API keys that took part in a trade: the taker and every maker. */
    static Set<String> participants(JsonNode trade) {
        Set<String> keys = new HashSet<>();
        keys.add(trade.path("trade_owner").asText());
        trade.path("maker_orders").forEach(m -> keys.add(m.path("owner").asText()));
        return keys;
    }

    private volatile boolean endedOrdersAnswered;

    /**
     * While on, {@code /data/order/{hash}} also answers orders that have left the book, with their
     * status ({@code MATCHED}, {@code CANCELED}) — not what the venue documents ("active only"), a
     * shape the gateway must read by its words all the same.
     */
    public void endedOrdersAnswered(boolean on) {
        endedOrdersAnswered = on;
    }

    /**
     * Trades reach {@code /data/trades} after the match: while on, trades matched from now on are not
     * listed yet (the order's own state already shows the match); off lists them all.
     */
    public synchronized void tradesLag(boolean on) {
        tradesLag = on;
        if (!on) {
            unlisted.clear();
        }
    }

    /** Keeps a new trade, tells the user channel, and lets it settle when the venue settles on its own. */
    private String record(ObjectNode t) {
        String id = t.get("id").asText();
        if (trades.size() % 4 == 3) {
            t.put("status", "MATCHED_NOT_BROADCASTED"); // now and then, as the venue does before broadcasting
        }
        trades.put(id, t);
        if (tradesLag) {
            unlisted.add(id);
        }
        ObjectNode copy = t.deepCopy();
        tradeListener.accept(copy);
        if (settleMillis > 0 && settler != null) {
            settler.schedule(() -> settle(id, "MATCHED|MATCHED_NOT_BROADCASTED", "MINED"), settleMillis,
                    TimeUnit.MILLISECONDS);
            settler.schedule(() -> settle(id, "MINED", "CONFIRMED"), 2 * settleMillis, TimeUnit.MILLISECONDS);
        }
        return id;
    }

    public int orderPostCount() {
        return orderPosts.get();
    }

    /** How many {@code POST /orders} batches arrived. */
    public int batchPostCount() {
        return batchPosts.get();
    }

    public Map<String, SimOrder> orders() {
        return Map.copyOf(orders);
    }

    // ---- HTTP ----------------------------------------------------------------------------------

    /** The CLOB's public endpoints: no authentication. */
    private final SimRoutes<Void> publicClob = new SimRoutes<Void>()
            .on("GET", "/time", (r, none, rest) -> serverTime())
            .on("GET", "/version", (r, none, rest) -> ok(obj().put("version", version)))
            .on("POST", "/auth/api-key", (r, none, rest) -> createApiKey(r))
            .on("GET", "/auth/derive-api-key", (r, none, rest) -> deriveApiKey(r))
            .on("GET", "/neg-risk", (r, none, rest) -> {
                SimMarket m = marketByToken(r.query("token_id"));
                return m == null ? error(404, "market not found") : ok(obj().put("neg_risk", m.negRisk));
            })
            .on("GET", "/tick-size", (r, none, rest) -> {
                SimMarket m = marketByToken(r.query("token_id"));
                return m == null ? error(404, "market not found") : ok(obj().put("minimum_tick_size", m.tickSize));
            })
            .on("GET", "/book", (r, none, rest) -> book(r.query("token_id")))
            .under("GET", "/clob-markets/", (r, none, conditionId) -> clobMarket(conditionId))
            .under("GET", "/markets-by-token/", (r, none, token) -> {
                SimMarket m = marketByToken(token);
                return m == null ? error(404, "market not found") : ok(obj().put("condition_id", m.conditionId));
            });

    /** The CLOB's private endpoints, after L2 authentication. */
    private final SimRoutes<Account> privateClob = new SimRoutes<Account>()
            .on("POST", "/order", (r, account, rest) -> postOne(account, r))
            .on("POST", "/orders", (r, account, rest) -> postBatch(account, r))
            .on("DELETE", "/order", (r, account, rest) -> paced(account, 1,
                    () -> cancel(account, List.of(JSON.readTree(r.body()).path("orderID").asText()))))
            .on("DELETE", "/orders", (r, account, rest) -> paced(account, 1, () -> {
                List<String> ids = new ArrayList<>();
                JSON.readTree(r.body()).forEach(id -> ids.add(id.asText()));
                return cancel(account, ids);
            }))
            .on("DELETE", "/cancel-all", (r, account, rest) -> paced(account, 1, () -> cancel(account, openIds(account, null, null))))
            .on("DELETE", "/cancel-market-orders", (r, account, rest) -> paced(account, 1, () -> {
                JsonNode q = r.body().length == 0 ? obj() : JSON.readTree(r.body());
                return cancel(account, openIds(account, q.path("market").asText(null), q.path("asset_id").asText(null)));
            }))
            .on("POST", "/v1/heartbeats", (r, account, rest) -> heartbeat(account,
                    JSON.readTree(r.body().length == 0 ? "{}".getBytes() : r.body())))
            .on("GET", "/balance-allowance", (r, account, rest) -> balanceAllowance(account, r))
            .on("GET", "/balance-allowance/update", (r, account, rest) -> balanceAllowance(account, r))
            .on("GET", "/order-scoring", (r, account, rest) -> scoring(account, r.query("order_id")))
            .under("GET", "/data/order/", (r, account, hash) -> {
                // Active orders only, as the venue: a matched or cancelled order is found in /data/trades.
                SimOrder o = orders.get(hash);
                return o == null || !o.owner().equals(account.apiKey()) || !(o.status().equals("LIVE") || endedOrdersAnswered)
                        ? SimulatorServer.Reply.json(200, "null") : ok(orderJson(o));
            })
            .on("GET", "/data/orders", (r, account, rest) -> openOrders(account, r))
            .on("GET", "/data/trades", (r, account, rest) -> tradesOf(account, r));

    private SimulatorServer.Reply serverTime() {
        return SimulatorServer.Reply.json(200, Long.toString(clock.instant().getEpochSecond()));
    }

    @FunctionalInterface
    private interface Work {
        SimulatorServer.Reply run() throws IOException;
    }

    /** A write that takes {@code kind}'s rate-limit token first (0: orders, 1: cancels). */
    private SimulatorServer.Reply paced(Account account, int kind, Work work) throws IOException {
        SimulatorServer.Reply slow = limited(account, kind, 1);
        return slow != null ? slow : work.run();
    }

    private SimulatorServer.Reply postOne(Account account, SimulatorServer.Request r) throws IOException {
        SimulatorServer.Reply slow = limited(account, 0, 1);
        if (slow != null) {
            return slow;
        }
        long hold = holdAnswersMillis; // read once: a test may lift the hold as soon as this order is held
        SimulatorServer.Reply reply = postOrder(account, JSON.readTree(r.body()));
        if (hold > 0) {
            heldOrder[0].countDown();
            sleep(hold);
        }
        return rateHeaders(account, reply);
    }

    private SimulatorServer.Reply postBatch(Account account, SimulatorServer.Request r) throws IOException {
        JsonNode batch = JSON.readTree(r.body());
        if (!batch.isArray() || batch.size() > 15) {
            return error(400, "a batch holds 1 to 15 orders");
        }
        SimulatorServer.Reply slow = limited(account, 0, batch.size());
        if (slow != null) {
            return slow;
        }
        batchPosts.incrementAndGet();
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode o : batch) {
            SimulatorServer.Reply one = postOrder(account, o);
            JsonNode answer = JSON.readTree(one.body());
            if (one.status() != 200 && answer.isObject()) {
                // A refused order in a batch: success false and the reason, as the venue answers.
                ((ObjectNode) answer).put("success", false).put("errorMsg", answer.path("error").asText());
            }
            out.add(answer);
        }
        return rateHeaders(account, ok(out));
    }

    SimulatorServer.Reply clob(SimulatorServer.Request r) {
        try {
            SimulatorServer.Reply open = publicClob.dispatch(r, null);
            if (open != null) {
                return open;
            }
            // Everything else is private: L2 first, as the venue does.
            if (!lastHeartbeat.isEmpty()) {
                expireHeartbeats();
            }
            Account account = authenticateL2(r);
            if (account == null) {
                return error(401, "Unauthorized/Invalid api key");
            }
            SimulatorServer.Reply reply = privateClob.dispatch(r, account);
            return reply != null ? reply : error(404, "not found: " + r.method() + " " + r.path());
        } catch (IOException e) {
            return error(400, "invalid json body");
        }
    }

    SimulatorServer.Reply gamma(SimulatorServer.Request r) {
        if (!r.is("GET", "/markets")) {
            return error(404, "not found");
        }
        ArrayNode out = JSON.createArrayNode();
        SimMarket m = r.query("slug") == null ? null : marketsBySlug.get(r.query("slug"));
        if (m != null) {
            ObjectNode g = out.addObject();
            g.put("slug", m.slug);
            g.put("question", m.question);
            if (m.endDate != null) {
                g.put("endDate", m.endDate);
            }
            g.put("conditionId", m.conditionId);
            g.put("clobTokenIds", "[\"" + m.yesToken + "\", \"" + m.noToken + "\"]");
            g.put("outcomes", "[\"Yes\", \"No\"]");
            g.put("negRisk", m.negRisk);
            g.put("orderPriceMinTickSize", m.tickSize);
            g.put("orderMinSize", m.minimumSize);
            g.put("active", true);
            g.put("closed", false);
        }
        return ok(out);
    }

    // ---- auth ----------------------------------------------------------------------------------

    private L1Identity authenticateL1(SimulatorServer.Request r) {
        String address = r.header("POLY_ADDRESS");
        String sig = r.header("POLY_SIGNATURE");
        String ts = r.header("POLY_TIMESTAMP");
        String nonce = r.header("POLY_NONCE");
        if (address == null || sig == null || ts == null) {
            return null;
        }
        long n = nonce == null ? 0 : Long.parseLong(nonce);
        if (!VenueSignatures.recover(VenueSignatures.clobAuthDigest(address, ts, n), sig).equalsIgnoreCase(address)) {
            return null;
        }
        return new L1Identity(address.toLowerCase(Locale.ROOT), n);
    }

    private SimulatorServer.Reply createApiKey(SimulatorServer.Request r) {
        L1Identity who = authenticateL1(r);
        if (who == null) {
            return error(401, "Invalid L1 Request headers");
        }
        String k = who.key();
        if (accountsByAddressNonce.containsKey(k)) {
            return error(400, "Could not create api key");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        registerAccount(who.address(), who.nonce(), UUID.randomUUID().toString(),
                Base64.getUrlEncoder().encodeToString(secret), UUID.randomUUID().toString().replace("-", ""));
        return credentials(accountsByAddressNonce.get(k));
    }

    private SimulatorServer.Reply deriveApiKey(SimulatorServer.Request r) {
        L1Identity who = authenticateL1(r);
        if (who == null) {
            return error(401, "Invalid L1 Request headers");
        }
        Account a = accountsByAddressNonce.get(who.key());
        return a == null ? error(400, "Could not derive api key!") : credentials(a);
    }

    private SimulatorServer.Reply credentials(Account a) {
        return ok(obj().put("apiKey", a.apiKey()).put("secret", a.secret()).put("passphrase", a.passphrase()));
    }

    private Account authenticateL2(SimulatorServer.Request r) {
        Account a = r.header("POLY_API_KEY") == null ? null : accountsByKey.get(r.header("POLY_API_KEY"));
        String ts = r.header("POLY_TIMESTAMP");
        String sig = r.header("POLY_SIGNATURE");
        if (a == null || ts == null || sig == null || !a.passphrase().equals(r.header("POLY_PASSPHRASE"))
                || !a.address().equalsIgnoreCase(String.valueOf(r.header("POLY_ADDRESS")))) {
            return null;
        }
        String expected = VenueSignatures.hmac(a.secret(), ts, r.method(), r.path(), r.body().length == 0 ? null : r.body());
        return expected.equals(sig) ? a : null;
    }

    // ---- orders --------------------------------------------------------------------------------

    private synchronized SimulatorServer.Reply postOrder(Account account, JsonNode body) {
        orderPosts.incrementAndGet();
        if (failNext.get() > 0 && failNext.getAndDecrement() > 0) {
            return failHtml ? new SimulatorServer.Reply(failStatus, "<html><head><title>Attention Required!</title></head><body>"
                    + "Sorry, you have been blocked</body></html>", Map.of("Content-Type", "text/html"))
                    : error(failStatus, "simulated venue failure");
        }
        String shape = ClobOrderShape.problem(body);
        if (shape != null) {
            return error(400, "Invalid order payload: " + shape);
        }
        JsonNode o = body.path("order");
        if (!account.apiKey().equals(body.path("owner").asText())) {
            return error(400, "the order owner has to be the owner of the API KEY");
        }
        int sigType = o.path("signatureType").asInt();
        String signer = o.path("signer").asText();
        // A deposit wallet (type 3) is maker and signer; the API key's address must own it.
        String owner = sigType == VenueSignatures.POLY_1271 ? depositWallets.get(signer.toLowerCase(Locale.ROOT)) : signer;
        if (sigType == VenueSignatures.POLY_1271 && (owner == null || !o.path("maker").asText().equalsIgnoreCase(signer))) {
            return error(400, "invalid signature");
        }
        if (!account.address().equalsIgnoreCase(owner)) {
            return error(400, "the order signer address has to be the address of the API KEY");
        }
        SimMarket m = marketByToken(o.path("tokenId").asText());
        if (m == null) {
            return error(400, "market not found for token id " + o.path("tokenId").asText());
        }
        String orderType = body.get("orderType").asText();
        Side side = Side.valueOf(o.path("side").asText());
        if (sigType == 0 && !o.path("maker").asText().equalsIgnoreCase(signer)) {
            return error(400, "invalid signature");
        }
        // Types 1 and 2: the maker is the funder, a proxy or Safe wallet the signer must own; a wrong
        // funder/type pair is "invalid signature" (the venue's facts), whatever the signature itself.
        if ((sigType == 1 || sigType == 2)
                && !signer.equalsIgnoreCase(proxyWallets.get(o.path("maker").asText().toLowerCase(Locale.ROOT)))) {
            return error(400, "invalid signature");
        }
        if (!VenueSignatures.signedBy(version, o, m.negRisk, owner)) {
            int other = version == 2 ? 3 : 2;
            if (VenueSignatures.signedBy(other, o, m.negRisk, owner)) {
                return error(400, "order_version_mismatch: order signed for version " + other
                        + ", the exchange expects version " + version);
            }
            return error(400, "invalid signature");
        }
        String hash = Numeric.toHexString(VenueSignatures.orderHash(version, o, m.negRisk));
        if (orders.containsKey(hash)) {
            return error(400, "order " + hash + " is invalid. Duplicated.");
        }
        return placeVerified(account, body, o, m, orderType, side, hash);
    }

    /** Rounding per tick: decimals of price, size and amount, as the venue documents them. */
    private record Rounding(int price, int size, int amount) {
        static Rounding of(BigDecimal tick) {
            return switch (tick.stripTrailingZeros().toPlainString()) {
                case "0.1" -> new Rounding(1, 2, 3);
                case "0.01" -> new Rounding(2, 2, 4);
                case "0.005", "0.001" -> new Rounding(3, 2, 5);
                default -> new Rounding(4, 2, 6); // 0.0025, 0.0001
            };
        }
    }

    /** A proxy (signature type 1) or Safe (type 2) wallet and the EOA that owns it, as the venue knows them. */
    public void registerProxyWallet(String wallet, String ownerEoa) {
        proxyWallets.put(wallet.toLowerCase(Locale.ROOT), ownerEoa.toLowerCase(Locale.ROOT));
    }

    /** A deposit wallet (signature type 3) and the EOA that owns it, as the wallet contract would check. */
    public void registerDepositWallet(String wallet, String ownerEoa) {
        depositWallets.put(wallet.toLowerCase(Locale.ROOT), ownerEoa.toLowerCase(Locale.ROOT));
    }

    private SimulatorServer.Reply placeVerified(Account account, JsonNode body, JsonNode o, SimMarket m, String orderType,
            Side side, String hash) {
        boolean marketable = orderType.equals("FOK") || orderType.equals("FAK");
        BigDecimal makerAmt = new BigDecimal(new BigInteger(o.path("makerAmount").asText("0")), 6);
        BigDecimal takerAmt = new BigDecimal(new BigInteger(o.path("takerAmount").asText("0")), 6);
        BigDecimal size = side == Side.BUY ? takerAmt : makerAmt;
        BigDecimal money = side == Side.BUY ? makerAmt : takerAmt;
        if (size.signum() <= 0 || money.signum() <= 0) {
            return error(400, "invalid amounts");
        }
        BigDecimal tick = m.tickSize;
        Rounding rounding = Rounding.of(tick);
        BigDecimal price;
        if (marketable) {
            if (makerAmt.stripTrailingZeros().scale() > 2 || takerAmt.stripTrailingZeros().scale() > 4) {
                return error(400, "invalid amounts, the market buy orders maker amount supports a max accuracy of 2 decimals,"
                        + " taker amount a max of 4 decimals");
            }
            price = money.divide(size, rounding.price(), side == Side.BUY ? RoundingMode.DOWN : RoundingMode.UP);
        } else {
            if (size.stripTrailingZeros().scale() > rounding.size() || money.stripTrailingZeros().scale() > rounding.amount()) {
                return error(400, "invalid amounts, the sell orders maker amount supports a max accuracy of "
                        + rounding.size() + " decimals, taker amount a max of " + rounding.amount() + " decimals");
            }
            BigDecimal exact = money.divide(size, 12, RoundingMode.HALF_EVEN).stripTrailingZeros();
            if (exact.remainder(tick).signum() != 0) {
                return error(400, "order is invalid. Price (" + exact.toPlainString()
                        + ") breaks minimum tick size rule: " + tick.toPlainString());
            }
            price = exact;
        }
        if (price.compareTo(tick) < 0 || price.compareTo(BigDecimal.ONE.subtract(tick)) > 0) {
            return error(400, "order is invalid. Price (" + price.toPlainString() + ") breaks minimum tick size rule: "
                    + tick.toPlainString());
        }
        if (size.compareTo(m.minimumSize) < 0) {
            return error(400, "order is invalid. Size (" + size.toPlainString() + ") lower than the minimum: "
                    + m.minimumSize.toPlainString());
        }
        long expiration = Long.parseLong(o.path("expiration").asText("0"));
        if (orderType.equals("GTD") && expiration < clock.instant().getEpochSecond() + 60) {
            return error(400, "invalid expiration");
        }
        String funder = o.path("maker").asText().toLowerCase(Locale.ROOT);
        String assetKey = funder + "/" + m.outcomeOf(o.path("tokenId").asText()) + "/" + m.conditionId;
        // A post-only order can only make, and makers pay no fee.
        BigDecimal needed = side == Side.BUY ? money.add(body.path("postOnly").asBoolean(false) ? BigDecimal.ZERO : fee(m, price, size)) : size;
        BigDecimal available = side == Side.BUY ? collateral.getOrDefault(funder, defaultCollateral)
                : shares.getOrDefault(assetKey, defaultShares);
        if (needed.compareTo(available) > 0) {
            return error(400, "not enough balance / allowance");
        }
        String token = o.path("tokenId").asText();
        TreeMap<BigDecimal, BigDecimal> opposite = side == Side.BUY ? m.asks.get(token) : m.bids.get(token);
        BigDecimal crossable = BigDecimal.ZERO;
        for (Map.Entry<BigDecimal, BigDecimal> level : opposite.entrySet()) {
            boolean crosses = side == Side.BUY ? level.getKey().compareTo(price) <= 0 : level.getKey().compareTo(price) >= 0;
            if (!crosses) {
                break;
            }
            crossable = crossable.add(level.getValue());
        }
        if (body.path("postOnly").asBoolean(false) && crossable.signum() > 0) {
            return error(400, "invalid post-only order: order crosses book");
        }
        if (side == Side.BUY && crossable.signum() > 0 && money.compareTo(BigDecimal.ONE) < 0) {
            return error(400, "invalid amount for a marketable BUY order ($" + money.toPlainString() + "), min size: $1");
        }
        if (orderType.equals("FOK") && crossable.compareTo(size) < 0) {
            return error(400, "order couldn't be fully filled. FOK orders are fully filled or killed.");
        }
        if (orderType.equals("FAK") && crossable.signum() == 0) {
            return error(400, "no orders found to match with FAK order. FAK orders are partially filled or killed if no"
                    + " match is found.");
        }
        if (side == Side.BUY) {
            collateral.put(funder, available.subtract(needed));
        } else {
            shares.put(assetKey, available.subtract(size));
        }
        Duration delay = matchingDelays.get(m.conditionId);
        if (delay != null && crossable.signum() > 0) {
            // Marketable in a market with a matching delay: held, neither on the book nor matched, and answered
            // "delayed" in the contract's shape; matched against the book as it is once the delay is over.
            orders.put(hash, new SimOrder(hash, account.apiKey(), o.path("maker").asText(), o.path("signer").asText(), m.conditionId,
                    token, m.outcomeOf(token), side, price, size, BigDecimal.ZERO, "DELAYED", orderType, expiration,
                    clock.instant().getEpochSecond()));
            delays().schedule(() -> matchDelayed(account, m, token, side, price, size, marketable, orderType, hash, funder),
                    delay.toMillis(), TimeUnit.MILLISECONDS);
            return ok(obj().put("success", true).put("errorMsg", "").put("orderID", hash).put("status", "delayed"));
        }
        BigDecimal matched = crossable.min(size);
        List<BigDecimal[]> levels = consume(opposite, price, side, matched); // (price, shares) per level taken
        String status = matched.signum() > 0 ? "matched" : "live";
        String resting = marketable || matched.compareTo(size) >= 0 ? "MATCHED" : "LIVE";
        orders.put(hash, new SimOrder(hash, account.apiKey(), o.path("maker").asText(), o.path("signer").asText(), m.conditionId, token,
                m.outcomeOf(token), side, price, size, matched, resting,
                orderType, expiration, clock.instant().getEpochSecond()));
        String tradeId = takerTrade(account, m, token, side, price, matched, levels, hash, funder);
        // As documented: amounts are "" while nothing matched; a match adds its transactions and trade ids.
        // What changed hands at the levels taken (better than the limit where the book was).
        BigDecimal matchedMoney = levels.stream().map(l -> l[0].multiply(l[1])).reduce(BigDecimal.ZERO, BigDecimal::add)
                .setScale(6, RoundingMode.DOWN);
        ObjectNode answer = obj().put("success", true).put("errorMsg", "").put("orderID", hash).put("status", status)
                .put("makingAmount", matched.signum() == 0 ? "" : (side == Side.BUY ? matchedMoney : matched).toPlainString())
                .put("takingAmount", matched.signum() == 0 ? "" : (side == Side.BUY ? matched : matchedMoney).toPlainString());
        if (tradeId != null) {
            answer.putArray("transactionsHashes").add("0x" + UUID.randomUUID().toString().replace("-", "").repeat(2));
            answer.putArray("tradeIDs").add(tradeId);
        }
        return ok(answer);
    }

    /** Markets (by condition id) whose marketable orders wait out a matching delay (in-game trading). */
    private final Map<String, Duration> matchingDelays = new ConcurrentHashMap<>();
    private ScheduledExecutorService delays;

    /**
     * Marketable orders in this market are answered "delayed" and matched once the delay is over, as
     * the venue's matching delay for in-game trading does; null lifts it. While held, an order is
     * neither open ({@code /data/order}, {@code /data/orders}) nor traded: the docs do not say how the
     * venue lists a delayed order, and this is the case that asks most of the gateway.
     */
    public void matchingDelay(String slug, Duration delay) {
        SimMarket m = marketsBySlug.get(slug);
        if (delay == null) {
            matchingDelays.remove(m.conditionId);
        } else {
            matchingDelays.put(m.conditionId, delay);
        }
    }

    private synchronized ScheduledExecutorService delays() {
        if (delays == null) {
            delays = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sim-matching-delay");
                t.setDaemon(true);
                return t;
            });
        }
        return delays;
    }

    /** The delay is over: matched against the book as it is now; a FOK that cannot fill, or nothing to match, is not placed. */
    private synchronized void matchDelayed(Account account, SimMarket m, String token, Side side, BigDecimal price, BigDecimal size,
            boolean marketable, String orderType, String hash, String funder) {
        SimOrder held = orders.get(hash);
        if (held == null || !held.status().equals("DELAYED")) {
            return;
        }
        TreeMap<BigDecimal, BigDecimal> opposite = side == Side.BUY ? m.asks.get(token) : m.bids.get(token);
        BigDecimal crossable = BigDecimal.ZERO;
        for (Map.Entry<BigDecimal, BigDecimal> level : opposite.entrySet()) {
            if (side == Side.BUY ? level.getKey().compareTo(price) > 0 : level.getKey().compareTo(price) < 0) {
                break;
            }
            crossable = crossable.add(level.getValue());
        }
        if (orderType.equals("FOK") && crossable.compareTo(size) < 0 || marketable && crossable.signum() == 0) {
            orders.put(hash, withStatus(held, "CANCELED")); // "unmatched": not placed
            return;
        }
        BigDecimal matched = crossable.min(size);
        List<BigDecimal[]> levels = consume(opposite, price, side, matched);
        orders.put(hash, new SimOrder(hash, held.owner(), held.maker(), held.signer(), held.market(), held.assetId(), held.outcome(),
                side, price, size, matched, marketable || matched.compareTo(size) >= 0 ? "MATCHED" : "LIVE", orderType, held.expiration(),
                held.createdAt()));
        takerTrade(account, m, token, side, price, matched, levels, hash, funder);
    }

    /** Our order took seeded liquidity: one taker trade against a simulated market maker per price level; its id (null when none). */
    private String takerTrade(Account account, SimMarket m, String token, Side side, BigDecimal price, BigDecimal matched,
            List<BigDecimal[]> levels, String hash, String funder) {
        String tradeId = null;
        if (matched.signum() > 0) {
            // Our order took seeded liquidity: one taker trade against a simulated market maker per price level.
            // The trade's price is the taker order's limit price, as the venue documents; each maker's is its own.
            ObjectNode t = trade(m.conditionId, token, side, matched, price, account.apiKey(), hash,
                    clock.instant().getEpochSecond(), 0);
            t.put("maker_address", funder);
            ArrayNode makers = t.putArray("maker_orders");
            for (BigDecimal[] level : levels) {
                makers.addObject().put("order_id", "0x" + UUID.randomUUID().toString().replace("-", ""))
                        .put("owner", "sim-liquidity").put("maker_address", "0x000000000000000000000000000000000000dead")
                        .put("matched_amount", level[1].toPlainString()).put("price", level[0].toPlainString()).put("fee_rate_bps", "0")
                        .put("asset_id", token).put("outcome", label(m, token)).put("side", side == Side.BUY ? "SELL" : "BUY");
            }
            tradeId = record(t);
        }
        return tradeId;
    }

    /** Why an order not on the book is not cancelled, in the venue's words. */
    public static final String GONE = "order can't be found - already canceled or matched";

    /** {@code {"canceled":[ids],"not_canceled":{id: reason}}}, as the venue answers. */
    private synchronized SimulatorServer.Reply cancel(Account account, List<String> ids) {
        ObjectNode out = obj();
        ArrayNode canceled = out.putArray("canceled");
        ObjectNode notCanceled = out.putObject("not_canceled");
        for (String id : ids) {
            SimOrder o = orders.get(id);
            if (o == null || !o.owner().equals(account.apiKey()) || !o.status().equals("LIVE")) {
                // The venue's own words for an order no longer on its book, whichever way it left (as reported
                // in nautilus_trader#3797; the docs give none): they do not tell a cancel from a match.
                notCanceled.put(id, GONE);
            } else {
                canceled(o);
                canceled.add(id);
            }
        }
        return ok(out);
    }

    /** The account's open orders, optionally in one market and/or of one outcome token. */
    private synchronized List<String> openIds(Account account, String market, String assetId) {
        List<String> ids = new ArrayList<>();
        for (SimOrder o : orders.values()) {
            if (o.owner().equals(account.apiKey()) && o.status().equals("LIVE") && (market == null || market.equals(o.market()))
                    && (assetId == null || assetId.equals(o.assetId()))) {
                ids.add(o.id());
            }
        }
        return ids;
    }

    /** The taker fee: shares × r × (p(1 − p))^e, in collateral (6 decimals, rounded up). */
    private BigDecimal fee(SimMarket m, BigDecimal price, BigDecimal size) {
        BigDecimal[] fd = feeInputs.getOrDefault(m.conditionId, new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ONE});
        return size.multiply(fd[0]).multiply(price.multiply(BigDecimal.ONE.subtract(price)).pow(fd[1].intValueExact()))
                .setScale(6, RoundingMode.UP);
    }

    /**
     * A heartbeat carries {@code heartbeat_id}: {@code ""} to start a chain, else the id the previous
     * answer gave. A stale id is answered 400 with the id the venue expects (the client resynchronises).
     */
    private SimulatorServer.Reply heartbeat(Account account, JsonNode body) {
        if (heartbeatsDown) {
            return error(503, "heartbeat service unavailable");
        }
        if (!body.path("heartbeat_id").isTextual()) {
            return error(400, "heartbeat_id is required (\"\" to start)");
        }
        String expected = heartbeatIds.get(account.apiKey());
        String given = body.get("heartbeat_id").asText();
        if (expected != null && !given.isEmpty() && !expected.equals(given)) {
            return SimulatorServer.Reply.json(400, obj().put("error", "invalid heartbeat id").put("heartbeat_id", expected).toString());
        }
        lastHeartbeat.put(account.apiKey(), clock.millis());
        if (heartbeatStatusOk) {
            // That page's answer names no id to send next: no chain to keep (every beat would be "stale" otherwise).
            heartbeatIds.remove(account.apiKey());
            return ok(obj().put("status", "ok"));
        }
        String next = UUID.randomUUID().toString();
        heartbeatIds.put(account.apiKey(), next);
        return ok(obj().put("heartbeat_id", next));
    }

    private volatile boolean heartbeatStatusOk;

    /** Whether heartbeat answers carry {@code "status":"ok"} too (one docs page shows that answer). */
    public void heartbeatAnswersWithStatus(boolean statusOk) {
        heartbeatStatusOk = statusOk;
    }

    /** The venue forgets the heartbeat chains (a restart): the next beat with an old id is answered 400 with the new one. */
    public void restartHeartbeatChains() {
        heartbeatIds.replaceAll((k, v) -> UUID.randomUUID().toString());
    }

    /** Collateral in 6-decimal units and the allowance granted to each exchange (unlimited in the simulator). */
    private SimulatorServer.Reply balanceAllowance(Account account, SimulatorServer.Request r) {
        if (!"COLLATERAL".equalsIgnoreCase(r.query("asset_type"))) {
            return error(400, "asset_type COLLATERAL expected");
        }
        String funder = r.query("funder") != null ? r.query("funder").toLowerCase(Locale.ROOT) : account.address();
        BigDecimal balance = collateral.getOrDefault(funder, defaultCollateral);
        ObjectNode out = obj().put("balance", balance.movePointRight(6).setScale(0, RoundingMode.DOWN).toPlainString());
        ObjectNode allowances = out.putObject("allowances");
        for (int v : List.of(2, 3)) {
            for (boolean negRisk : List.of(false, true)) {
                allowances.put(VenueSignatures.exchange(v, negRisk), "115792089237316195423570985008687907853269984665640564039457584007913129639935");
            }
        }
        return ok(out);
    }

    /** Scoring: a live order resting within 3 ticks of the midpoint earns rewards. */
    private SimulatorServer.Reply scoring(Account account, String orderId) {
        SimOrder o = orderId == null ? null : orders.get(orderId);
        if (o == null || !o.owner().equals(account.apiKey())) {
            return error(404, "order not found");
        }
        boolean scoring = false;
        SimMarket m = marketsByCondition.get(o.market());
        synchronized (this) {
            if (o.status().equals("LIVE") && !m.bids.get(o.assetId()).isEmpty() && !m.asks.get(o.assetId()).isEmpty()) {
                BigDecimal mid = m.bids.get(o.assetId()).firstKey().add(m.asks.get(o.assetId()).firstKey()).divide(BigDecimal.valueOf(2));
                scoring = o.price().subtract(mid).abs().compareTo(m.tickSize.multiply(BigDecimal.valueOf(3))) <= 0;
            }
        }
        return ok(obj().put("scoring", scoring));
    }

    /** Takes up to {@code amount} from the levels that cross {@code limit}, best first: (level price, shares) per level. */
    private static List<BigDecimal[]> consume(TreeMap<BigDecimal, BigDecimal> book, BigDecimal limit, Side side, BigDecimal amount) {
        List<BigDecimal[]> taken = new ArrayList<>();
        BigDecimal left = amount;
        while (left.signum() > 0 && !book.isEmpty()) {
            Map.Entry<BigDecimal, BigDecimal> best = book.firstEntry();
            boolean crosses = side == Side.BUY ? best.getKey().compareTo(limit) <= 0 : best.getKey().compareTo(limit) >= 0;
            if (!crosses) {
                break;
            }
            BigDecimal at = best.getKey();
            BigDecimal took = SimMarket.takeBest(book, left);
            taken.add(new BigDecimal[] {at, took});
            left = left.subtract(took);
        }
        return taken;
    }

    private final Set<String> lagging = ConcurrentHashMap.newKeySet();

    /** The open-order list lags behind for this order (a slow or eventually consistent list): it is left out. */
    public void lagOpenList(String orderId, boolean lag) {
        if (lag) {
            lagging.add(orderId);
        } else {
            lagging.remove(orderId);
        }
    }

    private SimulatorServer.Reply openOrders(Account account, SimulatorServer.Request r) {
        List<SimOrder> mine = new ArrayList<>();
        for (SimOrder o : orders.values()) {
            if (o.owner().equals(account.apiKey()) && o.status().equals("LIVE") && !lagging.contains(o.id())
                    && (r.query("market") == null || r.query("market").equals(o.market()))
                    && (r.query("asset_id") == null || r.query("asset_id").equals(o.assetId()))
                    && (r.query("id") == null || r.query("id").equals(o.id()))) {
                mine.add(o);
            }
        }
        mine.sort((a, b) -> a.id().compareTo(b.id()));
        return page(r, mine.stream().map(this::orderJson).toList());
    }

    /** {@code /data/trades}: trades this account took part in (as taker or as a maker), filtered, paged. */
    private synchronized SimulatorServer.Reply tradesOf(Account account, SimulatorServer.Request r) {
        List<JsonNode> mine = new ArrayList<>();
        long after = r.query("after") == null ? Long.MIN_VALUE : Long.parseLong(r.query("after"));
        long before = r.query("before") == null ? Long.MAX_VALUE : Long.parseLong(r.query("before"));
        for (ObjectNode t : trades.values()) {
            boolean ours = participants(t).contains(account.apiKey()) && !unlisted.contains(t.get("id").asText());
            long at = t.get("match_time").asLong();
            if (ours && at >= after && at <= before
                    && (r.query("id") == null || r.query("id").equals(t.get("id").asText()))
                    && (r.query("market") == null || r.query("market").equals(t.get("market").asText()))
                    && (r.query("asset_id") == null || r.query("asset_id").equals(t.get("asset_id").asText()))) {
                mine.add(addressedTo(t, account.apiKey(), false));
            }
        }
        return page(r, mine);
    }

    /** The venue's cursor paging: {@code MA==} starts, {@code LTE=} ends, 100 per page. */
    private static SimulatorServer.Reply page(SimulatorServer.Request r, List<? extends JsonNode> items) {
        int page = 100;
        int start = 0;
        String cursor = r.query("next_cursor");
        if ("LTE=".equals(cursor)) {
            return ok(obj().put("limit", page).put("count", 0).put("next_cursor", "LTE=").set("data", JSON.createArrayNode()));
        }
        if (cursor != null && !cursor.equals("MA==")) {
            start = Integer.parseInt(new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8));
        }
        int end = Math.min(items.size(), start + page);
        ArrayNode data = JSON.createArrayNode();
        items.subList(Math.min(start, end), end).forEach(data::add);
        String next = end >= items.size() ? "LTE="
                : Base64.getEncoder().encodeToString(Integer.toString(end).getBytes(StandardCharsets.UTF_8));
        return ok(obj().put("limit", page).put("count", data.size()).put("next_cursor", next).set("data", data));
    }

    private final Map<String, Map<String, BigDecimal>> extraPositions = new ConcurrentHashMap<>();

    public void clearHoldings() {
        extraPositions.clear();
    }

    /** Holdings of a funder that came from elsewhere (older trades, transfers): listed by the data API too. */
    public void addHoldings(String funder, Map<String, BigDecimal> holdings) {
        extraPositions.computeIfAbsent(funder.toLowerCase(Locale.ROOT), k -> new LinkedHashMap<>()).putAll(holdings);
    }

    /** The data API's {@code GET /positions?user=}: shares per token, from trades that did not fail. */
    SimulatorServer.Reply dataApi(SimulatorServer.Request r) {
        if (!r.is("GET", "/positions") || r.query("user") == null) {
            return error(404, "not found");
        }
        // limit at most 500 (default 100), offset: a client pages until a short page, as the venue documents.
        int limit = Math.max(1, Math.min(500, r.query("limit") == null ? 100 : Integer.parseInt(r.query("limit"))));
        int offset = Math.max(0, r.query("offset") == null ? 0 : Integer.parseInt(r.query("offset")));
        ArrayNode out = JSON.createArrayNode();
        List<Map.Entry<String, BigDecimal>> all = new ArrayList<>(positionsOf(r.query("user")).entrySet());
        all.addAll(extraPositions.getOrDefault(r.query("user").toLowerCase(Locale.ROOT), Map.of()).entrySet());
        for (Map.Entry<String, BigDecimal> e : all.subList(Math.min(offset, all.size()), Math.min(all.size(), offset + limit))) {
            SimMarket m = marketByToken(e.getKey());
            out.addObject().put("proxyWallet", r.query("user")).put("asset", e.getKey())
                    .put("conditionId", m == null ? "" : m.conditionId).put("size", e.getValue().toPlainString())
                    .put("outcome", m == null ? "" : m.outcomeOf(e.getKey()));
        }
        return ok(out);
    }

    private ObjectNode orderJson(SimOrder o) {
        return obj().put("id", o.id()).put("status", o.status()).put("owner", o.owner()).put("maker_address", o.maker())
                .put("market", o.market()).put("asset_id", o.assetId()).put("side", o.side().name())
                .put("original_size", o.originalSize().toPlainString()).put("size_matched", o.sizeMatched().toPlainString())
                .put("price", o.price().toPlainString()).put("outcome", o.outcome())
                .put("expiration", Long.toString(o.expiration())).put("order_type", o.orderType())
                .put("created_at", o.createdAt());
    }

    /** True when the three values are one registered API key's credentials (the user channel's auth). */
    boolean credentialsValid(String apiKey, String secret, String passphrase) {
        Account a = accountsByKey.get(apiKey);
        return a != null && a.secret().equals(secret) && a.passphrase().equals(passphrase);
    }

    /** The market channel's {@code book} event for a token, or null for an unknown one. */
    String bookEvent(String token) {
        ObjectNode b = bookJson(token);
        if (b == null) {
            return null;
        }
        b.put("event_type", "book");
        return JSON.createArrayNode().add(b).toString();
    }

    private SimulatorServer.Reply book(String token) {
        ObjectNode b = bookJson(token);
        return b == null ? error(404, "No orderbook exists for the requested token id") : ok(b);
    }

    private ObjectNode bookJson(String token) {
        SimMarket m = marketByToken(token);
        if (m == null) {
            return null;
        }
        ObjectNode b = obj().put("market", m.conditionId).put("asset_id", token)
                .put("timestamp", Long.toString(clock.millis())).put("min_order_size", m.minimumSize.toPlainString())
                .put("tick_size", m.tickSize.toPlainString()).put("neg_risk", m.negRisk);
        synchronized (this) {
            ArrayNode bids = b.putArray("bids");
            // The venue lists bids ascending and asks descending: best price last.
            new TreeMap<>(m.bids.get(token)).forEach((p, s) -> bids.addObject().put("price", p.toPlainString()).put("size", s.toPlainString()));
            ArrayNode asks = b.putArray("asks");
            m.asks.get(token).descendingMap().forEach((p, s) -> asks.addObject().put("price", p.toPlainString()).put("size", s.toPlainString()));
        }
        return b;
    }

    private SimulatorServer.Reply clobMarket(String conditionId) {
        SimMarket m = marketsByCondition.get(conditionId);
        if (m == null) {
            return error(404, "market not found");
        }
        ObjectNode out = obj();
        ArrayNode t = out.putArray("t");
        t.addObject().put("t", m.yesToken).put("o", "Yes");
        t.addObject().put("t", m.noToken).put("o", "No");
        out.put("mts", m.tickSize);
        // No neg-risk flag here: the documented source is GET /neg-risk?token_id= (above).
        BigDecimal[] fd = feeInputs.getOrDefault(m.conditionId, new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ONE});
        out.putObject("fd").put("r", fd[0]).put("e", fd[1].intValueExact());
        return ok(out);
    }

    private SimMarket marketByToken(String token) {
        return token == null ? null : marketsByToken.get(token);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ObjectNode obj() {
        return JSON.createObjectNode();
    }

    private static SimulatorServer.Reply ok(JsonNode body) {
        return SimulatorServer.Reply.json(200, body.toString());
    }

    private static SimulatorServer.Reply error(int status, String message) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("error", message);
        try {
            return SimulatorServer.Reply.json(status, JSON.writeValueAsString(m));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
