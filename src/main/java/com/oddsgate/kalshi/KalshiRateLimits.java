package com.oddsgate.kalshi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.venue.RateLimits;
import com.oddsgate.venue.TokenBucket;

/**
 * Kalshi's token buckets, one for reads and one for writes, per API key and tier. A request costs
 * {@value #REQUEST} tokens; in a batch every item is billed ({@value #CREATE_ITEM} per create,
 * {@value #CANCEL_ITEM} per cancel), so a batch waits until the bucket holds all of it and never
 * overdraws it. Callers wait their turn (first come, first served) instead of being answered 429.
 * With several gateways on one key, each refills at its share of the tier's rate ({@link #share});
 * the buckets keep their size, which must hold a whole batch.
 */
public final class KalshiRateLimits {

    public static final int REQUEST = 10;
    /**
     * Buckets refill at this share of the tier's rate: the venue counts a call when it arrives, and
     * travel times vary, so a call paced to the exact edge could find the venue's bucket a few tokens short.
     */
    static final double MARGIN = 0.95;
    public static final int CREATE_ITEM = 10;
    public static final int CANCEL_ITEM = 2;

    /** Tokens a second and bucket sizes, for reads and for writes. */
    public record Tier(String name, double readPerSecond, double readBurst, double writePerSecond, double writeBurst) {
    }

    private final Tier tier;
    private final TokenBucket read;
    private final TokenBucket write;
    private final long maxWaitNanos;

    public KalshiRateLimits(Tier tier) {
        this(tier, Long.MAX_VALUE);
    }

    /** @param maxWaitNanos how long a new order may wait for its write tokens before it is refused (429) */
    public KalshiRateLimits(Tier tier, long maxWaitNanos) {
        this.maxWaitNanos = maxWaitNanos;
        if (tier.writeBurst() < 20 * CREATE_ITEM || tier.readBurst() < REQUEST) {
            throw new IllegalArgumentException("Kalshi rate-limit tier " + tier.name() + ": the write bucket must hold a batch of"
                    + " 20 creates (" + 20 * CREATE_ITEM + " tokens) and the read bucket one request");
        }
        this.tier = tier;
        this.read = new TokenBucket(tier.readPerSecond() * MARGIN, tier.readBurst());
        this.write = new TokenBucket(tier.writePerSecond() * MARGIN, tier.writeBurst());
    }

    /** Parses {@code "basic=200:400:100:200"} (read/s : read bucket : write/s : write bucket). */
    public static Map<String, Tier> parseTiers(String spec) {
        Map<String, Tier> out = new LinkedHashMap<>();
        RateLimits.parseRates(spec, "read:bucket:write:bucket").forEach((key, n) ->
                out.put(key, new Tier(n.name(), n.rates()[0], n.rates()[1], n.rates()[2], n.rates()[3])));
        return out;
    }

    /**
     * A new order's write tokens, taken before it is signed: waits at most the bound, else refuses
     * it (429) with nothing signed or sent, so its clientOrderId stays free for a later try.
     */
    public void admit(int cost) {
        long nanos = write.reserve(cost, maxWaitNanos);
        if (nanos < 0) {
            throw new OrderRejectedException("rate", "more than " + TimeUnit.NANOSECONDS.toMillis(maxWaitNanos)
                    + " ms of Kalshi writes are already waiting for the " + tier.name() + " tier's rate limit; try again shortly", 429);
        }
        sleep(nanos);
    }

    private static void sleep(long nanos) {
        if (nanos > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(nanos);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits until {@code cost} tokens of the read ({@code GET}) or write bucket are this caller's. */
    public void await(String method, int cost) {
        TokenBucket b = "GET".equals(method) ? read : write;
        if (cost > b.burst()) {
            throw new IllegalArgumentException("a Kalshi call of " + cost + " tokens exceeds the " + tier.name() + " bucket of "
                    + (long) b.burst());
        }
        sleep(b.reserve(cost, Long.MAX_VALUE));
    }

    /** {@code instances} gateways now share the key's budget: each refills at that fraction of the rate. */
    public void share(int instances) {
        int n = Math.max(1, instances);
        read.reconfigure(tier.readPerSecond() * MARGIN / n, tier.readBurst());
        write.reconfigure(tier.writePerSecond() * MARGIN / n, tier.writeBurst());
    }

    public Tier tier() {
        return tier;
    }
}
