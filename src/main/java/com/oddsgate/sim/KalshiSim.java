package com.oddsgate.sim;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Kalshi's Trade API v2, simulated under {@code /trade-api/v2} in the shapes Kalshi documents for
 * 2026 ({@code venue-contracts/kalshi-2026.json}): every portfolio call must carry a valid RSA-PSS
 * signature (SHA-256, MGF1, salt 32) by a known public key over {@code timestamp + METHOD + path},
 * checked with the JDK's own verifier (nothing from the gateway's Kalshi code), with a timestamp
 * inside a short window. V2 creates answer flat ({@code order_id, fill_count, remaining_count, …});
 * orders are deduplicated on {@code client_order_id}, checked against the price ranges, matched
 * against seeded YES-book liquidity, and leave fills and positions. The retired legacy
 * {@code /portfolio/orders} create and cancel answer 410, as the venue does.
 */
public class KalshiSim {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final String PREFIX = "/trade-api/v2";
    private static final Pattern CLIENT_ORDER_ID = Pattern.compile("[-\\w:+=/]{1,64}");
    private static final Set<String> TIME_IN_FORCE = Set.of("good_till_canceled", "fill_or_kill", "immediate_or_cancel");

    static final class Market {
        final String ticker;
        final String title;
        /** When trading closes (ISO 8601), or null when the fixture gives none. */
        volatile String closeTime;
        /** Price ranges [start, end, step] on the YES book, in dollars. */
        final List<BigDecimal[]> ranges;
        final boolean fractional;
        final TreeMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Comparator.reverseOrder());
        final TreeMap<BigDecimal, BigDecimal> asks = new TreeMap<>();

        Market(String ticker, String title, List<BigDecimal[]> ranges, boolean fractional) {
            this.ticker = ticker;
            this.title = title;
            this.ranges = ranges;
            this.fractional = fractional;
        }

        /** Whether the price lies on the grid: inside a range (ends excluded as prices) on its step. */
        boolean onGrid(BigDecimal price) {
            if (price.signum() <= 0 || price.compareTo(BigDecimal.ONE) >= 0) {
                return false;
            }
            for (BigDecimal[] r : ranges) {
                if (price.compareTo(r[0]) >= 0 && price.compareTo(r[1]) <= 0 && price.subtract(r[0]).remainder(r[2]).signum() == 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /** An order as Kalshi holds it (prices on the YES book). */
    public record SimOrder(String orderId, String keyId, String clientOrderId, String ticker, String side, BigDecimal price,
            BigDecimal count, BigDecimal filled, String status, String timeInForce, long createdMs, long expiresMs) {
        SimOrder with(BigDecimal newFilled, String newStatus) {
            return new SimOrder(orderId, keyId, clientOrderId, ticker, side, price, count, newFilled, newStatus, timeInForce,
                    createdMs, expiresMs);
        }

        /** What a resting order holds of the balance: its unfilled contracts at its price (an ask: the NO side's 1 − price). */
        BigDecimal reserved() {
            return perContract(side, price).multiply(count.subtract(filled));
        }
    }

    private final Clock clock;
    private final Map<String, PublicKey> keys = new ConcurrentHashMap<>();
    private final Map<String, Market> markets = new ConcurrentHashMap<>();
    private final Map<String, SimOrder> orders = new LinkedHashMap<>();
    private final List<ObjectNode> fills = new ArrayList<>();
    private final Map<String, BigDecimal> positions = new ConcurrentHashMap<>();
    private final Map<String, BigDecimal> balances = new ConcurrentHashMap<>();
    private final AtomicInteger batchPosts = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong(1000);
    private final AtomicInteger orderPosts = new AtomicInteger();
    private final AtomicInteger failNext = new AtomicInteger();
    private volatile boolean fillIdsDiffer;
    private volatile boolean framesCarryFillIds;
    private volatile int failStatus = 503;
    private long windowMs = 30_000;
    private BigDecimal defaultBalance = new BigDecimal("100000");

    public KalshiSim(Clock clock) {
        this.clock = clock;
    }

    public KalshiSim loadFixtures(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        windowMs = root.path("timestampWindowMs").asLong(windowMs);
        if (root.has("defaultBalance")) {
            defaultBalance = new BigDecimal(root.get("defaultBalance").asText());
        }
        for (JsonNode k : root.path("keys")) {
            addKey(k.get("keyId").asText(), Files.readString(Path.of(k.get("publicKeyFile").asText())));
        }
        for (JsonNode m : root.path("markets")) {
            List<BigDecimal[]> ranges = new ArrayList<>();
            m.path("priceRanges").forEach(r -> ranges.add(new BigDecimal[] {new BigDecimal(r.get(0).asText()),
                    new BigDecimal(r.get(1).asText()), new BigDecimal(r.get(2).asText())}));
            if (ranges.isEmpty()) {
                ranges.add(new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ONE, new BigDecimal(m.path("tickSize").asText("0.01"))});
            }
            Market market = new Market(m.get("ticker").asText(), m.path("title").asText(""), ranges,
                    m.path("fractional").asBoolean(false));
            market.closeTime = m.path("closeTime").asText(null);
            m.path("bids").forEach(l -> market.bids.merge(new BigDecimal(l.get(0).asText()), new BigDecimal(l.get(1).asText()), BigDecimal::add));
            m.path("asks").forEach(l -> market.asks.merge(new BigDecimal(l.get(0).asText()), new BigDecimal(l.get(1).asText()), BigDecimal::add));
            markets.put(market.ticker, market);
        }
        return this;
    }

    /** Registers an API key by its public half (X.509 PEM, as the venue keeps it). */
    public void addKey(String keyId, String publicKeyPem) {
        String base64 = publicKeyPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            keys.put(keyId, KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64))));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an RSA public key: " + e.getMessage(), e);
        }
    }

    /** Whether fills get a {@code fill_id} other than their {@code trade_id} (Kalshi does not document that they agree). */
    public void fillIdsDifferFromTradeIds(boolean differ) {
        fillIdsDiffer = differ;
    }

    /**
     * Whether a fill frame's {@code trade_id} carries the REST fill's {@code fill_id} instead of its
     * {@code trade_id} (with {@link #fillIdsDifferFromTradeIds}): the docs leave open which it is.
     */
    public void framesCarryFillIds(boolean fillIds) {
        framesCarryFillIds = fillIds;
    }

    public void failNextOrderPosts(int count, int status) {
        failStatus = status;
        failNext.set(count);
    }

    /** A key's balance in dollars (what {@code /portfolio/balance} reports and orders need). */
    public void setBalance(String keyId, BigDecimal dollars) {
        balances.put(keyId, dollars);
    }

    public BigDecimal balanceOf(String keyId) {
        return balance(keyId);
    }

    /** How many batched creates arrived. */
    public int batchPostCount() {
        return batchPosts.get();
    }

    public int orderPostCount() {
        return orderPosts.get();
    }

    public synchronized List<SimOrder> orders() {
        return List.copyOf(orders.values());
    }

    public synchronized BigDecimal position(String keyId, String ticker) {
        return positions.getOrDefault(keyId + "/" + ticker, BigDecimal.ZERO);
    }

    // ---- HTTP ----------------------------------------------------------------------------------

    /** Market data: no authentication. */
    private final SimRoutes<Void> publicRoutes = new SimRoutes<Void>()
            .under("GET", PREFIX + "/markets/", (r, none, rest) -> {
                if (rest.endsWith("/orderbook")) {
                    Market m = markets.get(rest.substring(0, rest.length() - "/orderbook".length()));
                    return m == null ? error(404, "not_found", "market not found") : ok(orderbook(m));
                }
                Market m = markets.get(rest);
                return m == null ? error(404, "not_found", "market not found") : ok(marketJson(m));
            });

    /** The portfolio: signed requests, after the key's rate limit. */
    private final SimRoutes<String> portfolio = new SimRoutes<String>()
            .on("POST", PREFIX + "/portfolio/events/orders", (r, keyId, rest) -> create(keyId, JSON.readTree(r.body())))
            .on("POST", PREFIX + "/portfolio/orders", (r, keyId, rest) -> legacy())
            .under("DELETE", PREFIX + "/portfolio/orders", (r, keyId, rest) -> legacy())
            .on("POST", PREFIX + "/portfolio/events/orders/batched", (r, keyId, rest) -> createBatch(keyId, r))
            .on("DELETE", PREFIX + "/portfolio/events/orders/batched", (r, keyId, rest) -> cancelBatch(keyId, r))
            .under("DELETE", PREFIX + "/portfolio/events/orders/", (r, keyId, id) -> cancel(keyId, id.substring(id.lastIndexOf('/') + 1)))
            .under("GET", PREFIX + "/portfolio/orders/", (r, keyId, id) -> {
                SimOrder o = order(keyId, id);
                return o == null ? error(404, "not_found", "order not found") : ok(obj().set("order", orderJson(o)));
            })
            .on("GET", PREFIX + "/portfolio/orders", (r, keyId, rest) -> listOrders(keyId, r))
            .on("GET", PREFIX + "/portfolio/fills", (r, keyId, rest) -> listFills(keyId, r))
            .on("GET", PREFIX + "/portfolio/positions", (r, keyId, rest) -> listPositions(keyId))
            .on("GET", PREFIX + "/portfolio/balance", (r, keyId, rest) -> balanceReply(keyId));

    SimulatorServer.Reply handle(SimulatorServer.Request r) {
        if (!r.path().startsWith(PREFIX)) {
            return error(404, "not_found", r.path());
        }
        String p = r.path().substring(PREFIX.length());
        try {
            SimulatorServer.Reply open = publicRoutes.dispatch(r, null);
            if (open != null) {
                return open;
            }
            if (!p.startsWith("/portfolio/")) {
                return error(404, "not_found", p);
            }
            String keyId = authenticate(r);
            if (keyId == null) {
                return error(401, "authentication_error", lastAuthError.get());
            }
            if (!withinLimits(keyId, r, p)) {
                rateLimited.incrementAndGet();
                if (!r.method().equals("GET")) {
                    writesLimited.incrementAndGet();
                }
                return SimulatorServer.Reply.json(429, "{\"error\":\"too many requests\"}"); // no Retry-After, as Kalshi
            }
            expire();
            SimulatorServer.Reply reply = portfolio.dispatch(r, keyId);
            return reply != null ? reply : error(404, "not_found", r.method() + " " + r.path());
        } catch (IOException e) {
            return error(400, "invalid_parameters", "body is not valid JSON");
        }
    }

    private SimulatorServer.Reply legacy() {
        return error(410, "deprecated_v1_order_endpoint", "Please switch to the V2 endpoints");
    }

    private SimulatorServer.Reply createBatch(String keyId, SimulatorServer.Request r) throws IOException {
        if (JSON.readTree(r.body()).path("orders").size() > 20) {
            return error(400, "invalid_parameters", "a batch holds at most 20 orders");
        }
        batchPosts.incrementAndGet();
        // One item per order in request order: the flat create answer, or the error with the client_order_id.
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode o : JSON.readTree(r.body()).path("orders")) {
            SimulatorServer.Reply one = create(keyId, o);
            ObjectNode answer = (ObjectNode) JSON.readTree(one.body());
            if (answer.has("error")) {
                out.addObject().put("client_order_id", o.path("client_order_id").asText()).set("error", answer.get("error"));
            } else {
                out.add(answer);
            }
        }
        return SimulatorServer.Reply.json(201, obj().set("orders", out).toString());
    }

    private SimulatorServer.Reply cancelBatch(String keyId, SimulatorServer.Request r) throws IOException {
        JsonNode body = JSON.readTree(r.body());
        if (!body.path("orders").isArray()) {
            return error(400, "invalid_parameters", "body is {\"orders\":[{\"order_id\"}]}");
        }
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode item : body.path("orders")) {
            String id = item.path("order_id").asText();
            ObjectNode answer = (ObjectNode) JSON.readTree(cancel(keyId, id).body());
            if (answer.has("error")) {
                out.addObject().put("order_id", id).set("error", answer.get("error"));
            } else {
                out.add(answer);
            }
        }
        return ok(obj().set("orders", out));
    }

    private SimulatorServer.Reply balanceReply(String keyId) {
        BigDecimal b = balance(keyId);
        return ok(obj().put("balance", b.movePointRight(2).setScale(0, RoundingMode.DOWN).longValueExact())
                .put("portfolio_value", 0).put("updated_ts", clock.millis() / 1000));
    }

    /** Basic tier: 200 read and 100 write tokens a second, buckets of two seconds. */
    private volatile double[] tier = {200, 400, 100, 200};
    private final Map<String, VenueBucket[]> buckets = new ConcurrentHashMap<>();
    private final AtomicInteger rateLimited = new AtomicInteger();

    private final AtomicInteger writesLimited = new AtomicInteger();

    /** The tier every key gets (read/s, read bucket, write/s, write bucket); buckets start full again. */
    public KalshiSim rateTier(double readPerSecond, double readBurst, double writePerSecond, double writeBurst) {
        tier = new double[] {readPerSecond, readBurst, writePerSecond, writeBurst};
        buckets.clear();
        return this;
    }

    /** How many calls were answered 429. */
    public int rateLimitedCount() {
        return rateLimited.get();
    }

    /** Write tokens a key has at the venue now (a full bucket when it has made no call yet). */
    public double writeTokens(String keyId) {
        VenueBucket[] b = buckets.get(keyId);
        return b == null ? tier[3] : b[1].available();
    }

    /** How many writes (creates, cancels) were answered 429. */
    public int writesLimitedCount() {
        return writesLimited.get();
    }

    /**
     * A request costs 10 tokens of the read (GET) or write bucket; in a batch every item is billed,
     * 10 per create and 2 per cancel.
     */
    private boolean withinLimits(String keyId, SimulatorServer.Request r, String p) throws IOException {
        double[] t = tier;
        VenueBucket[] b = buckets.computeIfAbsent(keyId, k -> new VenueBucket[] {
            new VenueBucket(t[0], t[1]), new VenueBucket(t[2], t[3])});
        int cost = 10;
        if (p.equals("/portfolio/events/orders/batched") && r.body().length > 0) {
            cost = JSON.readTree(r.body()).path("orders").size() * (r.method().equals("POST") ? 10 : 2);
        }
        return b[r.method().equals("GET") ? 0 : 1].tryTake(Math.max(1, cost));
    }

    private final ThreadLocal<String> lastAuthError = ThreadLocal.withInitial(() -> "");

    private String authenticate(SimulatorServer.Request r) {
        return authenticate(r::header, r.method(), r.path());
    }

    /**
     * The WebSocket handshake is signed like a request: {@code ts + "GET" + "/trade-api/ws/v2"}.
     * Returns the key id, or null (with the reason in {@link #lastAuthError}).
     */
    String authenticateHandshake(Function<String, String> header, String path) {
        return authenticate(header, "GET", path);
    }

    private String authenticate(Function<String, String> header, String method, String path) {
        String keyId = header.apply("KALSHI-ACCESS-KEY");
        String ts = header.apply("KALSHI-ACCESS-TIMESTAMP");
        String sig = header.apply("KALSHI-ACCESS-SIGNATURE");
        if (keyId == null || ts == null || sig == null) {
            lastAuthError.set("missing KALSHI-ACCESS-* headers");
            return null;
        }
        PublicKey key = keys.get(keyId);
        if (key == null) {
            lastAuthError.set("unknown API key");
            return null;
        }
        long t;
        try {
            t = Long.parseLong(ts);
        } catch (NumberFormatException e) {
            lastAuthError.set("KALSHI-ACCESS-TIMESTAMP must be milliseconds");
            return null;
        }
        if (Math.abs(clock.millis() - t) > windowMs) {
            lastAuthError.set("timestamp outside the allowed window");
            return null;
        }
        if (!verify(key, sig, (t + method + path).getBytes(StandardCharsets.UTF_8))) {
            lastAuthError.set("invalid signature");
            return null;
        }
        return keyId;
    }

    /** RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt, by the JDK's provider. */
    private static boolean verify(PublicKey key, String signature, byte[] message) {
        try {
            Signature v = Signature.getInstance("RSASSA-PSS", "SunRsaSign");
            v.setParameter(new PSSParameterSpec("SHA-256", "MGF1",
                    MGF1ParameterSpec.SHA256, 32, 1));
            v.initVerify(key);
            v.update(message);
            return v.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private synchronized SimulatorServer.Reply create(String keyId, JsonNode b) {
        orderPosts.incrementAndGet();
        if (failNext.get() > 0 && failNext.getAndDecrement() > 0) {
            return error(failStatus, "service_unavailable", "simulated venue failure");
        }
        String clientOrderId = b.path("client_order_id").asText("");
        if (!CLIENT_ORDER_ID.matcher(clientOrderId).matches()) {
            return error(400, "invalid_parameters", "client_order_id must be 1-64 characters of [-\\w:+=/]");
        }
        for (SimOrder o : orders.values()) {
            if (o.keyId().equals(keyId) && o.clientOrderId().equals(clientOrderId)) {
                return error(409, "order_already_exists", "an order with this client_order_id already exists");
            }
        }
        Market m = markets.get(b.path("ticker").asText());
        if (m == null) {
            return error(404, "market_not_found", "market " + b.path("ticker").asText() + " not found");
        }
        String side;
        BigDecimal price;
        BigDecimal count;
        if (!b.path("price").isTextual() || !b.path("count").isTextual()) {
            return error(400, "invalid_parameters", "price and count are decimal strings");
        }
        try {
            side = b.path("side").asText();
            price = new BigDecimal(b.path("price").asText());
            count = new BigDecimal(b.path("count").asText());
        } catch (NumberFormatException e) {
            return error(400, "invalid_parameters", "price and count must be decimal strings");
        }
        if (!side.equals("bid") && !side.equals("ask")) {
            return error(400, "invalid_parameters", "side must be bid or ask");
        }
        if (price.stripTrailingZeros().scale() > 4 || !m.onGrid(price)) {
            return error(400, "invalid_price", "price " + price.toPlainString() + " is not on the price grid of " + m.ticker);
        }
        if (count.signum() <= 0 || count.stripTrailingZeros().scale() > (m.fractional ? 2 : 0)) {
            return error(400, "invalid_count", m.fractional ? "count must be positive with at most 2 decimals"
                    : "count must be a positive whole number: fractional trading is not enabled on " + m.ticker);
        }
        String tif = b.path("time_in_force").asText("");
        if (!TIME_IN_FORCE.contains(tif)) {
            return error(400, "invalid_parameters", "time_in_force is required: " + TIME_IN_FORCE);
        }
        String stp = b.path("self_trade_prevention_type").asText("");
        if (!stp.equals("taker_at_cross") && !stp.equals("maker")) {
            return error(400, "invalid_parameters", "self_trade_prevention_type is required: taker_at_cross or maker");
        }
        long expiresMs = 0;
        JsonNode expiration = b.path("expiration_time");
        if (!expiration.isMissingNode() && !expiration.isNull()) {
            if (!expiration.isIntegralNumber() || !expiration.canConvertToLong() || expiration.asLong() > 100_000_000_000L) {
                return error(400, "invalid_parameters", "expiration_time is unix seconds");
            }
            expiresMs = expiration.asLong() * 1000;
            if (expiresMs <= clock.millis()) {
                return error(400, "invalid_parameters", "expiration_time must be in the future");
            }
        }
        TreeMap<BigDecimal, BigDecimal> book = side.equals("bid") ? m.asks : m.bids;
        // Collateral: a bid pays the YES price, an ask (NO side) pays 1 − price, per contract — what fills
        // at the prices it fills at, plus the taker fee, and what rests at its own price.
        BigDecimal crossable = BigDecimal.ZERO;
        BigDecimal takes = BigDecimal.ZERO;
        for (Map.Entry<BigDecimal, BigDecimal> level : book.entrySet()) {
            if (side.equals("bid") ? level.getKey().compareTo(price) > 0 : level.getKey().compareTo(price) < 0) {
                break;
            }
            BigDecimal take = level.getValue().min(count.subtract(crossable).max(BigDecimal.ZERO));
            takes = takes.add(perContract(side, level.getKey()).multiply(take)).add(takerFee(level.getKey(), take));
            crossable = crossable.add(level.getValue());
        }
        BigDecimal rest = count.subtract(crossable).max(BigDecimal.ZERO);
        BigDecimal cost = takes.add(tif.equals("good_till_canceled") ? perContract(side, price).multiply(rest) : BigDecimal.ZERO);
        if (cost.compareTo(balance(keyId)) > 0) {
            return error(400, "insufficient_balance", "insufficient balance");
        }
        if (b.path("post_only").asBoolean(false) && crossable.signum() > 0) {
            return error(400, "post_only_cross", "post-only order would cross the book");
        }
        if (tif.equals("fill_or_kill") && crossable.compareTo(count) < 0) {
            return error(400, "fill_or_kill_insufficient_resting_volume", "not enough resting volume to fill the order");
        }
        String orderId = UUID.randomUUID().toString();
        BigDecimal left = count;
        BigDecimal paid = BigDecimal.ZERO;
        BigDecimal fees = BigDecimal.ZERO;
        while (left.signum() > 0 && !book.isEmpty()) {
            Map.Entry<BigDecimal, BigDecimal> best = book.firstEntry();
            if (side.equals("bid") ? best.getKey().compareTo(price) > 0 : best.getKey().compareTo(price) < 0) {
                break;
            }
            BigDecimal take = SimMarket.takeBest(book, left);
            left = left.subtract(take);
            paid = paid.add(best.getKey().multiply(take));
            fees = fees.add(fill(keyId, orderId, clientOrderId, m.ticker, side, best.getKey(), take, true));
        }
        BigDecimal filled = count.subtract(left);
        boolean rests = tif.equals("good_till_canceled");
        String status = left.signum() == 0 ? "executed" : rests ? "resting" : "canceled";
        balances.put(keyId, balance(keyId).subtract(cost));
        SimOrder o = new SimOrder(orderId, keyId, clientOrderId, m.ticker, side, price, count, filled, status, tif, clock.millis(),
                expiresMs);
        orders.put(orderId, o);
        // The V2 answer is flat: no order wrapper, no status; what rests is remaining_count.
        ObjectNode answer = obj().put("order_id", orderId).put("client_order_id", clientOrderId)
                .put("fill_count", fp(filled)).put("remaining_count", fp(rests ? left : BigDecimal.ZERO));
        if (filled.signum() > 0) {
            BigDecimal avg = paid.divide(filled, 4, RoundingMode.HALF_EVEN);
            answer.put("average_fill_price", avg.toPlainString())
                    .put("average_fee_paid", fees.divide(filled, 4, RoundingMode.HALF_UP).toPlainString());
        }
        return SimulatorServer.Reply.json(201, answer.put("ts_ms", clock.millis()).toString());
    }

    /**
     * Kalshi's taker fee for {@code count} contracts at {@code price}: 0.07 × P × (1 − P) per contract
     * to 4 places, times the count — the contract's fill of 4 at 0.55 pays 0.0173 each, 0.0692 in all
     * (not the exact 0.0693, nor rounded up to the cent).
     */
    private static BigDecimal takerFee(BigDecimal price, BigDecimal count) {
        return new BigDecimal("0.07").multiply(price).multiply(BigDecimal.ONE.subtract(price)).setScale(4, RoundingMode.HALF_UP)
                .multiply(count).setScale(4, RoundingMode.HALF_UP);
    }

    /** What one contract costs a side at this YES price: a bid the price, an ask the NO side's 1 − price. */
    private static BigDecimal perContract(String side, BigDecimal price) {
        return side.equals("bid") ? price : BigDecimal.ONE.subtract(price);
    }

    /** Resting orders whose expiration_time has come are cancelled, their reserve given back, as the venue does. */
    private synchronized void expire() {
        long now = clock.millis();
        for (SimOrder o : List.copyOf(orders.values())) {
            if (o.status().equals("resting") && o.expiresMs() > 0 && o.expiresMs() <= now) {
                balances.put(o.keyId(), balance(o.keyId()).add(o.reserved()));
                orders.put(o.orderId(), o.with(o.filled(), "canceled"));
            }
        }
    }

    private static String fp(BigDecimal count) {
        return count.setScale(2, RoundingMode.UNNECESSARY).toPlainString();
    }

    private static String dollars(BigDecimal price) {
        return price.setScale(4, RoundingMode.UNNECESSARY).toPlainString();
    }

    /** Records one fill (its trade, its channel frame) and answers its fee. */
    private BigDecimal fill(String keyId, String orderId, String clientOrderId, String ticker, String side, BigDecimal price,
            BigDecimal count, boolean taker) {
        BigDecimal fee = taker ? takerFee(price, count) : BigDecimal.ZERO.setScale(4);
        String tradeId = UUID.randomUUID().toString();
        String fillId = fillIdsDiffer ? "f-" + ids.incrementAndGet() : tradeId;
        long now = clock.millis();
        String action = side.equals("bid") ? "buy" : "sell";
        BigDecimal position = positions.merge(keyId + "/" + ticker, side.equals("bid") ? count : count.negate(), BigDecimal::add);
        fills.add(obj().put("fill_id", fillId).put("trade_id", tradeId).put("order_id", orderId)
                .put("client_order_id", clientOrderId).put("ticker", ticker).put("market_ticker", ticker)
                .put("side", "yes").put("action", action).put("count_fp", fp(count))
                .put("yes_price_dollars", dollars(price)).put("no_price_dollars", dollars(BigDecimal.ONE.subtract(price)))
                .put("is_taker", taker).put("fee_cost", fee.toPlainString())
                .put("created_time", Instant.ofEpochMilli(now).toString()));
        // The fill channel's shape (no seq: Kalshi numbers only its order-book channels).
        ObjectNode msg = obj().put("trade_id", framesCarryFillIds ? fillId : tradeId).put("order_id", orderId).put("client_order_id", clientOrderId)
                .put("market_ticker", ticker).put("is_taker", taker).put("side", "yes").put("action", action)
                .put("purchased_side", side.equals("bid") ? "yes" : "no").put("book_side", side)
                .put("yes_price_dollars", dollars(price)).put("count_fp", fp(count))
                .put("fee_cost", fee.toPlainString())
                .put("post_position_fp", fp(position)).put("ts_ms", now);
        fillListener.accept(keyId, msg);
        return fee;
    }

    private volatile BiConsumer<String, ObjectNode> fillListener = (k, m) -> { };

    void fillListener(BiConsumer<String, ObjectNode> listener) {
        this.fillListener = listener;
    }

    private synchronized SimulatorServer.Reply cancel(String keyId, String orderId) {
        SimOrder o = order(keyId, orderId);
        if (o == null || !o.status().equals("resting")) {
            return error(404, "not_found", "order not found"); // filled or cancelled already: not open
        }
        BigDecimal unfilled = o.count().subtract(o.filled());
        balances.put(keyId, balance(keyId).add(o.reserved()));
        orders.put(orderId, o.with(o.filled(), "canceled"));
        return ok(obj().put("order_id", orderId).put("client_order_id", o.clientOrderId()).put("reduced_by", fp(unfilled))
                .put("ts_ms", clock.millis()));
    }

    private SimOrder order(String keyId, String orderId) {
        SimOrder o = orders.get(orderId);
        return o == null || !o.keyId().equals(keyId) ? null : o;
    }

    /** Kalshi's book: bids only, per side, ascending (best last); a NO bid at q is a YES ask at 1 − q. */
    private synchronized ObjectNode orderbook(Market m) {
        ObjectNode book = obj();
        ObjectNode ob = book.putObject("orderbook_fp");
        ArrayNode yes = ob.putArray("yes_dollars");
        new TreeMap<>(m.bids).forEach((p, q) -> yes.addArray().add(dollars(p)).add(fp(q)));
        ArrayNode no = ob.putArray("no_dollars");
        TreeMap<BigDecimal, BigDecimal> noBids = new TreeMap<>();
        m.asks.forEach((p, q) -> noBids.put(BigDecimal.ONE.subtract(p), q));
        noBids.forEach((p, q) -> no.addArray().add(dollars(p)).add(fp(q)));
        return book;
    }

    /** Someone else's order trades {@code count} against our resting order, at its price (a maker fill, no fee). */
    public synchronized void fillResting(String clientOrderId, BigDecimal count) {
        expire();
        SimOrder o = orders.values().stream().filter(x -> x.clientOrderId().equals(clientOrderId)).findFirst().orElseThrow();
        BigDecimal filled = o.filled().add(count);
        if (!o.status().equals("resting") || filled.compareTo(o.count()) > 0) {
            throw new IllegalArgumentException("order " + clientOrderId + " cannot take " + count.toPlainString());
        }
        fill(o.keyId(), o.orderId(), clientOrderId, o.ticker(), o.side(), o.price(), count, false);
        orders.put(o.orderId(), o.with(filled, filled.compareTo(o.count()) == 0 ? "executed" : "resting"));
    }

    /** The order is cancelled at Kalshi without the gateway (another client, the web UI). */
    public synchronized void cancelOutside(String clientOrderId) {
        expire();
        SimOrder o = orders.values().stream().filter(x -> x.clientOrderId().equals(clientOrderId)).findFirst().orElseThrow();
        if (o.status().equals("resting")) {
            balances.put(o.keyId(), balance(o.keyId()).add(o.reserved()));
        }
        orders.put(o.orderId(), o.with(o.filled(), "canceled"));
    }

    private synchronized SimulatorServer.Reply listOrders(String keyId, SimulatorServer.Request r) {
        List<SimOrder> mine = orders.values().stream().filter(o -> o.keyId().equals(keyId))
                .filter(o -> r.query("ticker") == null || r.query("ticker").equals(o.ticker()))
                .filter(o -> r.query("status") == null || r.query("status").equals(o.status())).toList();
        return page(r, "orders", mine.stream().map(this::orderJson).toList());
    }

    private synchronized SimulatorServer.Reply listFills(String keyId, SimulatorServer.Request r) {
        List<ObjectNode> mine = fills.stream()
                .filter(f -> orders.get(f.get("order_id").asText()).keyId().equals(keyId))
                .filter(f -> r.query("ticker") == null || r.query("ticker").equals(f.get("ticker").asText()))
                .filter(f -> r.query("order_id") == null || r.query("order_id").equals(f.get("order_id").asText()))
                .filter(f -> r.query("min_ts") == null || Instant.parse(f.get("created_time").asText())
                        .getEpochSecond() >= Long.parseLong(r.query("min_ts"))).toList();
        return page(r, "fills", mine);
    }

    private synchronized SimulatorServer.Reply listPositions(String keyId) {
        ArrayNode out = JSON.createArrayNode();
        positions.forEach((k, v) -> {
            if (k.startsWith(keyId + "/")) {
                out.addObject().put("ticker", k.substring(keyId.length() + 1)).put("position_fp", fp(v))
                        .put("position", v.setScale(0, RoundingMode.DOWN).longValueExact());
            }
        });
        ObjectNode answer = obj();
        answer.set("market_positions", out);
        answer.putArray("event_positions");
        return ok(answer.put("cursor", ""));
    }

    /** Cursor paging: the cursor is the index of the next item; "" when there is no more. */
    private static SimulatorServer.Reply page(SimulatorServer.Request r, String field, List<? extends JsonNode> items) {
        int limit = r.query("limit") == null ? 100 : Math.max(1, Math.min(1000, Integer.parseInt(r.query("limit"))));
        int start = r.query("cursor") == null || r.query("cursor").isEmpty() ? 0 : Integer.parseInt(r.query("cursor"));
        int end = Math.min(items.size(), start + limit);
        ArrayNode out = JSON.createArrayNode();
        items.subList(Math.min(start, end), end).forEach(out::add);
        return ok(obj().put("cursor", end < items.size() ? Integer.toString(end) : "").set(field, out));
    }

    private BigDecimal balance(String keyId) {
        return balances.getOrDefault(keyId, defaultBalance);
    }

    /** An order object as Kalshi reads it back: yes/no + buy/sell, {@code *_dollars} prices, {@code *_fp} counts. */
    private ObjectNode orderJson(SimOrder o) {
        BigDecimal remaining = o.status().equals("resting") ? o.count().subtract(o.filled()) : BigDecimal.ZERO;
        return obj().put("order_id", o.orderId()).put("client_order_id", o.clientOrderId()).put("ticker", o.ticker())
                .put("side", "yes").put("action", o.side().equals("bid") ? "buy" : "sell").put("type", "limit")
                .put("status", o.status()).put("yes_price_dollars", dollars(o.price()))
                .put("no_price_dollars", dollars(BigDecimal.ONE.subtract(o.price())))
                .put("fill_count_fp", fp(o.filled())).put("remaining_count_fp", fp(remaining))
                .put("initial_count_fp", fp(o.count()))
                .put("created_time", Instant.ofEpochMilli(o.createdMs()).toString());
    }

    private ObjectNode marketJson(Market m) {
        ObjectNode market = obj().put("ticker", m.ticker).put("event_ticker", m.ticker.replaceFirst("-[^-]*$", ""))
                .put("market_type", "binary").put("status", "active").put("title", m.title);
        if (m.closeTime != null) {
            market.put("close_time", m.closeTime);
        }
        synchronized (this) {
            if (!m.bids.isEmpty()) {
                market.put("yes_bid_dollars", dollars(m.bids.firstKey()));
            }
            if (!m.asks.isEmpty()) {
                market.put("yes_ask_dollars", dollars(m.asks.firstKey()));
            }
        }
        boolean linearCent = m.ranges.size() == 1 && m.ranges.get(0)[2].compareTo(new BigDecimal("0.01")) == 0;
        market.put("price_level_structure", linearCent ? "linear_cent" : "tapered_deci_cent");
        ArrayNode ranges = market.putArray("price_ranges");
        m.ranges.forEach(r -> ranges.addObject().put("start", dollars(r[0])).put("end", dollars(r[1])).put("step", dollars(r[2])));
        BigDecimal finest = m.ranges.stream().map(r -> r[2]).min(BigDecimal::compareTo).orElseThrow();
        market.put("tick_size", Math.max(1, finest.movePointRight(2).intValue())).put("fractional_trading_enabled", m.fractional);
        return obj().set("market", market);
    }

    private static ObjectNode obj() {
        return JSON.createObjectNode();
    }

    private static SimulatorServer.Reply ok(JsonNode body) {
        return SimulatorServer.Reply.json(200, body.toString());
    }

    private static SimulatorServer.Reply error(int status, String code, String message) {
        return SimulatorServer.Reply.json(status, obj().set("error", obj().put("code", code).put("message", message)).toString());
    }
}
