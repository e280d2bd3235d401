package com.oddsgate.venue;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.oddsgate.order.OrderRejectedException;

/**
 * Token buckets per signer, one for orders and one for cancels, seeded from the venue's lowest tier
 * and moved by what the venue's answers say ({@code Poly-RateLimit-Tier}, {@code -Remaining}).
 * New orders wait here for a token up to a bound and are refused beyond it (before anything is
 * signed); a retry or a cancel only waits, it is never refused by the gateway. With several
 * gateways on one account, each paces itself to its share of the tier ({@link #share}).
 */
public class RateLimits {

    private static final Logger LOG = LoggerFactory.getLogger(RateLimits.class);

    /** Orders and cancels a second, with their bursts. */
    public record Tier(String name, double ordersPerSecond, double orderBurst, double cancelsPerSecond, double cancelBurst) {
    }

    public enum Kind {
        ORDERS, CANCELS
    }

    private final Tier seed;
    private final Map<String, Tier> tiers;
    private final long maxWaitNanos;
    private final Map<String, TokenBucket[]> buckets = new ConcurrentHashMap<>();
    private final Map<String, String> tierOf = new ConcurrentHashMap<>();
    private volatile int share = 1;

    public RateLimits(Tier seed, Map<String, Tier> tiers, long maxWaitMillis) {
        this.seed = seed;
        this.tiers = Map.copyOf(tiers);
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
    }

    /** Parses {@code "lowest=40:60:80:120,top=600:900:1200:1800"} (orders/s : burst : cancels/s : burst). */
    public static Map<String, Tier> parseTiers(String spec) {
        Map<String, Tier> out = new LinkedHashMap<>();
        parseRates(spec, "orders:burst:cancels:burst").forEach((key, n) ->
                out.put(key, new Tier(n.name(), n.rates()[0], n.rates()[1], n.rates()[2], n.rates()[3])));
        return out;
    }

    /** One tier as configured: its name as written and its four numbers. */
    public record Rates(String name, double[] rates) {
    }

    /** Parses {@code "name=a:b:c:d,…"} into tiers keyed by lower-case name; {@code shape} names the four numbers in errors. */
    public static Map<String, Rates> parseRates(String spec, String shape) {
        Map<String, Rates> out = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.trim().split("=");
            String[] n = kv.length == 2 ? kv[1].split(":") : new String[0];
            if (n.length != 4) {
                throw new IllegalArgumentException("rate-limit tier '" + part.trim() + "' must read name=" + shape);
            }
            double[] rates = new double[4];
            for (int i = 0; i < 4; i++) {
                rates[i] = Double.parseDouble(n[i]);
            }
            out.put(kv[0].trim().toLowerCase(Locale.ROOT), new Rates(kv[0].trim(), rates));
        }
        return out;
    }

    private TokenBucket[] of(String signer) {
        return buckets.computeIfAbsent(signer.toLowerCase(Locale.ROOT), k -> {
            int n = share;
            return new TokenBucket[] {new TokenBucket(seed.ordersPerSecond() / n, Math.max(1, seed.orderBurst() / n)),
                new TokenBucket(seed.cancelsPerSecond() / n, Math.max(1, seed.cancelBurst() / n))};
        });
    }

    private void apply(TokenBucket[] b, Tier t) {
        int n = share;
        b[0].reconfigure(t.ordersPerSecond() / n, Math.max(1, t.orderBurst() / n));
        b[1].reconfigure(t.cancelsPerSecond() / n, Math.max(1, t.cancelBurst() / n));
    }

    /**
     * {@code instances} gateways now share the account's budget: each takes that fraction of every
     * tier's rate and burst (the venue counts the account, not the process).
     */
    public void share(int instances) {
        int n = Math.max(1, instances);
        if (n == share) {
            return;
        }
        share = n;
        buckets.forEach((signer, b) -> {
            String name = tierOf.get(signer);
            apply(b, name == null ? seed : tiers.getOrDefault(name.trim().toLowerCase(Locale.ROOT), seed));
        });
        LOG.info("rate limits: {} gateway instance(s) share the venue's budget", n);
    }

    /** A new order's turn: waits up to the bound, else refuses it with HTTP 429 and the reason. */
    public void admit(String signer, int orders) {
        signer = signer.toLowerCase(Locale.ROOT);
        long wait = of(signer)[0].reserve(orders, maxWaitNanos);
        if (wait < 0) {
            throw new OrderRejectedException("rate", "more than " + TimeUnit.NANOSECONDS.toMillis(maxWaitNanos)
                    + " ms of orders are already waiting for the venue's rate limit (" + tierOf.getOrDefault(signer, seed.name())
                    + " tier, " + (long) of(signer)[0].rate() + " orders/s); try again shortly", 429);
        }
        sleep(wait);
    }

    /** A retry or a cancel: waits for its tokens however long that takes (the bucket refills; it is never refused). */
    public void await(String signer, Kind kind, int n) {
        sleep(of(signer)[kind == Kind.ORDERS ? 0 : 1].reserve(n, Long.MAX_VALUE));
    }

    /** What a venue's answer headers say about the signer's tier and what is left. */
    public void observe(String signer, String tier, String remaining) {
        signer = signer.toLowerCase(Locale.ROOT);
        TokenBucket[] b = of(signer);
        if (tier != null && !tier.isBlank() && !tier.equalsIgnoreCase(tierOf.get(signer))) {
            Tier t = tiers.get(tier.trim().toLowerCase(Locale.ROOT));
            if (t == null) {
                // A tier without configured figures (the venue publishes only some): the starting tier's
                // rates, so a downgrade to it never runs into a storm of 429s.
                LOG.warn("rate-limit tier '{}' for {} has no configured rates: using the {} tier's", tier, signer, seed.name());
                t = seed;
            }
            apply(b, t);
            LOG.info("rate-limit tier of {} is now {} ({} orders/s, {} cancels/s)", signer, tier, t.ordersPerSecond(),
                    t.cancelsPerSecond());
            tierOf.put(signer, tier);
        }
        if (remaining != null && !remaining.isBlank()) {
            try {
                b[0].cap(Double.parseDouble(remaining.trim()));
            } catch (NumberFormatException e) {
                // not a number: ignored, the bucket keeps its own count
            }
        }
    }

    /** The signer's order bucket as it stands: for health and tests. */
    public Map<String, Object> describe(String signer) {
        signer = signer.toLowerCase(Locale.ROOT);
        TokenBucket b = of(signer)[0];
        return Map.of("tier", tierOf.getOrDefault(signer, seed.name()), "ordersPerSecond", b.rate(), "orderBurst", b.burst(),
                "available", Math.floor(b.available()));
    }

    private static void sleep(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
