package com.oddsgate.polymarket.protocol;

import com.oddsgate.polymarket.signing.DepositWalletSignature;
import com.oddsgate.polymarket.signing.Exchanges;
import com.oddsgate.polymarket.signing.OrderVersion;
import com.oddsgate.polymarket.signing.PolyOrder;
import com.oddsgate.polymarket.signing.Wallet;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

import org.web3j.utils.Numeric;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oddsgate.order.CanonicalOrder;
import com.oddsgate.order.MarketInfo;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.TimeInForce;
import com.oddsgate.venue.VenueMetrics;

/**
 * Builds the exchange order for a canonical order, signs it, and serializes the exact
 * {@code POST /order} body. The body is stored in the ledger before sending; every retry and every
 * recovery re-sends these bytes, so the venue sees one order hash however often it is sent.
 */
public class PolymarketOrders {

    /** Salts are random integers below 2^53 so that they survive as JSON numbers in any client. */
    static final long SALT_MASK = (1L << 53) - 1;

    public record Signed(PolyOrder order, String exchange, String orderHash, String signature, String body) {
    }

    private final PolymarketAccounts accounts;
    private final PolymarketSettings settings;
    private final Clock clock;
    private final VenueMetrics metrics;
    private final SecureRandom random = new SecureRandom();
    private final ObjectMapper mapper = new ObjectMapper();

    private final PolymarketVersions versions;

    /** Signs always for the configured version (no discovery). */
    public PolymarketOrders(PolymarketAccount account, PolymarketSettings settings, Clock clock, VenueMetrics metrics) {
        this(account, settings, new PolymarketVersions(null, settings.orderVersion(), false, Duration.ZERO, clock),
                clock, metrics);
    }

    public PolymarketOrders(PolymarketAccount account, PolymarketSettings settings, PolymarketVersions versions, Clock clock,
            VenueMetrics metrics) {
        this(PolymarketAccounts.of(account), settings, versions, clock, metrics);
    }

    /** Signs each order with the account it names. */
    public PolymarketOrders(PolymarketAccounts accounts, PolymarketSettings settings, PolymarketVersions versions, Clock clock,
            VenueMetrics metrics) {
        this.accounts = accounts;
        this.settings = settings;
        this.versions = versions;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Signs the ticket's order with a fresh salt and the current time. */
    public OrderTicket sign(OrderTicket ticket) {
        long start = System.nanoTime();
        Signed s = build(ticket.getOrder(), ticket.getMarket(), null, null, versions.current());
        ticket.setSigned(s.orderHash(), s.body());
        if (metrics != null) {
            metrics.signed("polymarket", Duration.ofNanos(System.nanoTime() - start));
        }
        return ticket;
    }

    /**
     * @param salt        null for a fresh random salt
     * @param timestampMs null for now
     */
    public Signed build(CanonicalOrder o, MarketInfo m, BigInteger salt, Long timestampMs) {
        return build(o, m, salt, timestampMs, versions.current());
    }

    /** Which version a recorded payload was signed for: the one whose digest is the recorded hash. */
    public OrderVersion signedVersion(String payload, MarketInfo m, String hash) {
        try {
            JsonNode o = mapper.readTree(payload).path("order");
            for (OrderVersion v : new OrderVersion[] {OrderVersion.V2, OrderVersion.V3}) {
                PolyOrder p = PolyOrder.fromJson(v, o);
                if (Numeric.toHexString(p.digest(settings.chainId(), Exchanges.exchangeFor(v, settings.chainId(), m.negRisk())))
                        .equalsIgnoreCase(hash)) {
                    return v;
                }
            }
        } catch (JsonProcessingException | RuntimeException e) {
            // unknown: treated as "not the expected version"
        }
        return null;
    }

    /** Polymarket's GTD security threshold: an order leaves the book this long before its sent expiration. */
    public static final long GTD_SECURITY_THRESHOLD_SECONDS = 60;

    public Signed build(CanonicalOrder o, MarketInfo m, BigInteger salt, Long timestampMs, OrderVersion version) {
        Amounts.Raw raw = o.timeInForce().marketable()
                ? Amounts.marketable(o.side(), o.price(), o.size(), m.tickSize())
                : Amounts.limit(o.side(), o.price(), o.size(), m.tickSize());
        PolymarketAccount account = accounts.of(o.account());
        Wallet wallet = account.wallet();
        // Polymarket takes a GTD order off the book one minute before the expiration it is sent (its
        // security threshold): sent = wanted + 60 s, so it leaves at the time the trader asked for.
        BigInteger expiration = BigInteger.valueOf(o.timeInForce() == TimeInForce.GTD ? o.expiration() + GTD_SECURITY_THRESHOLD_SECONDS : 0);
        PolyOrder order = new PolyOrder(version,
                salt != null ? salt : BigInteger.valueOf(random.nextLong() & SALT_MASK),
                account.maker(settings), account.signer(settings), PolyOrder.ZERO_ADDRESS, new BigInteger(o.tokenId()),
                raw.makerAmount(), raw.takerAmount(), expiration, BigInteger.ZERO, BigInteger.ZERO, o.side(),
                account.signatureType(settings), BigInteger.valueOf(timestampMs != null ? timestampMs : clock.millis()),
                PolyOrder.ZERO_BYTES32, settings.builder());
        String exchange = Exchanges.exchangeFor(version, settings.chainId(), m.negRisk());
        byte[] digest = order.digest(settings.chainId(), exchange);
        String signature = order.signatureType() == DepositWalletSignature.SIGNATURE_TYPE
                ? DepositWalletSignature.sign(order, settings.chainId(), exchange, wallet)
                : wallet.signDigest(digest);
        return new Signed(order, exchange, Numeric.toHexString(digest), signature,
                body(account, order, signature, o.timeInForce(), o.postOnly()));
    }

    /** The {@code POST /order} body in the field order the official client sends. */
    public String body(PolyOrder order, String signature, TimeInForce tif, boolean postOnly) {
        return body(accounts.byDefault(), order, signature, tif, postOnly);
    }

    /** The body as {@code account} sends it ({@code owner} is its API key). */
    public String body(PolymarketAccount account, PolyOrder order, String signature, TimeInForce tif, boolean postOnly) {
        ObjectNode root = mapper.createObjectNode();
        root.put("deferExec", false);
        root.put("postOnly", postOnly);
        ObjectNode o = root.putObject("order");
        o.put("salt", order.salt());
        o.put("maker", order.maker());
        o.put("signer", order.signer());
        o.put("tokenId", order.tokenId().toString());
        o.put("makerAmount", order.makerAmount().toString());
        o.put("takerAmount", order.takerAmount().toString());
        o.put("side", order.side().name());
        o.put("signatureType", order.signatureType());
        o.put("timestamp", order.timestamp().toString());
        o.put("expiration", order.expiration().toString());
        o.put("metadata", order.metadata());
        o.put("builder", order.builder());
        o.put("signature", signature);
        root.put("owner", account.credentials().apiKey());
        root.put("orderType", tif.name());
        try {
            return mapper.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
