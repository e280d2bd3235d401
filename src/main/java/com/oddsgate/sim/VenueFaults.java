package com.oddsgate.sim;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Faults between the gateway and the simulated venues, as a misbehaving network, CDN or venue
 * produces them. {@link SimulatorServer} asks {@link #pick} for every request and plays the fault
 * out (see {@link Kind}). Faults come from a queue a test fills ({@link #next}) or, for a randomized
 * run, from a seeded schedule ({@link #random}); {@link #quiet} ends both.
 */
public final class VenueFaults {

    /** What happens to one request. */
    public enum Kind {
        /** The venue takes the request, the answer never arrives (the connection closes after the client's read timeout). */
        LOST_ANSWER,
        /** The venue takes the request, the answer breaks off halfway (the connection closes mid-body). */
        RESET_MID_ANSWER,
        /** Something in front of the venue refuses with an HTML 403 page; the venue never sees the request. */
        CDN_403,
        /** {@code 429} with {@code Retry-After}, for this request and the next few (a storm); the venue never sees them. */
        RATE_LIMITED,
        /** {@code 503}; the venue never sees the request. */
        UNAVAILABLE,
        /** The venue takes the request and answers success with a status word nobody documented. */
        UNKNOWN_STATUS,
        /** A list or lookup answered late (within the read timeout). */
        SLOW,
        /** Polymarket: the order is taken, its answer lost, and the venue moves to its other order version. */
        VERSION_SWITCH,
        /**
         * The venue does what was asked and answers success, but the body cannot be read as its documented
         * answer (a proxy's page in its stead, a body of another shape): what it did is not said.
         */
        UNREADABLE_SUCCESS,
        /**
         * Success with a JSON body of another shape (an empty object): no list, no cursor, no status. A
         * list read so must not pass for an empty last page.
         */
        SHAPE_DRIFT
    }

    /** Which requests a fault may hit. */
    public enum Target {
        /** Order placements, cancels and amends (POST/DELETE on order and cancel paths). */
        ORDER_WRITES(r -> (r.method().equals("POST") || r.method().equals("DELETE")) && isOrderPath(r.path())),
        /** Order lookups and lists (GET on order paths). */
        ORDER_READS(r -> r.method().equals("GET") && isOrderPath(r.path())),
        /** Balance reads (Polymarket balance-allowance, Kalshi portfolio balance). */
        BALANCE(r -> r.method().equals("GET") && r.path().toLowerCase(Locale.ROOT).contains("balance")),
        /** Trade and fill reads. */
        FILL_READS(r -> r.method().equals("GET") && (r.path().contains("trades") || r.path().contains("fills")));

        final Predicate<SimulatorServer.Request> matches;

        Target(Predicate<SimulatorServer.Request> matches) {
            this.matches = matches;
        }

        private static boolean isOrderPath(String path) {
            String p = path.toLowerCase(Locale.ROOT);
            return (p.contains("order") || p.contains("cancel")) && !p.contains("heartbeat");
        }
    }

    private record Planned(Kind kind, Target target) {
    }

    private final ConcurrentLinkedDeque<Planned> queue = new ConcurrentLinkedDeque<>();
    private final Map<Kind, AtomicInteger> injected = new EnumMap<>(Kind.class);
    private final AtomicInteger storm = new AtomicInteger();
    private volatile Random random;
    private volatile double writeRate;
    private volatile double readRate;
    private volatile long lostAnswerMillis = 4_000;
    private volatile long slowMillis = 300;
    private volatile String retryAfter = "0.2";
    private volatile boolean balanceDown;

    public VenueFaults() {
        for (Kind k : Kind.values()) {
            injected.put(k, new AtomicInteger());
        }
    }

    /** The next {@code count} requests of {@code target} get {@code kind}, before any random fault. */
    public VenueFaults next(Kind kind, int count, Target target) {
        for (int i = 0; i < count; i++) {
            queue.add(new Planned(kind, target));
        }
        return this;
    }

    /**
     * A seeded random schedule: each order write gets a fault with probability {@code writeRate},
     * each order or fill read with {@code readRate}; balance reads fail in windows.
     */
    public synchronized VenueFaults random(long seed, double writeRate, double readRate) {
        this.random = new Random(seed);
        this.writeRate = writeRate;
        this.readRate = readRate;
        return this;
    }

    /** No more faults (the queue is emptied, the schedule ends); answers already held still end as planned. */
    public synchronized VenueFaults quiet() {
        queue.clear();
        random = null;
        storm.set(0);
        balanceDown = false;
        retryAfter = "0.2";
        return this;
    }

    /** How long a lost answer keeps the connection before closing it: longer than the client's read timeout. */
    public VenueFaults lostAnswerAfter(Duration d) {
        lostAnswerMillis = d.toMillis();
        return this;
    }

    /** The {@code Retry-After} a rate-limited answer carries, in seconds (fractions allowed). */
    public VenueFaults retryAfter(Duration d) {
        retryAfter = BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString();
        return this;
    }

    String retryAfter() {
        return retryAfter;
    }

    public VenueFaults slowBy(Duration d) {
        slowMillis = d.toMillis();
        return this;
    }

    /** While down, every balance read answers 503. */
    public VenueFaults balanceDown(boolean down) {
        balanceDown = down;
        return this;
    }

    long lostAnswerMillis() {
        return lostAnswerMillis;
    }

    long slowMillis() {
        return slowMillis;
    }

    /** How many faults of each kind were played so far. */
    public Map<Kind, Integer> injected() {
        Map<Kind, Integer> out = new EnumMap<>(Kind.class);
        injected.forEach((k, n) -> out.put(k, n.get()));
        return out;
    }

    public int injectedTotal() {
        return injected.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** The fault for this request, or null; counted as injected. */
    Kind pick(SimulatorServer.Request r, boolean polymarket) {
        Kind k = choose(r, polymarket);
        if (k != null) {
            injected.get(k).incrementAndGet();
        }
        return k;
    }

    private Kind choose(SimulatorServer.Request r, boolean polymarket) {
        for (Planned p : queue) {
            if (p.target().matches.test(r) && queue.remove(p)) {
                return p.kind();
            }
        }
        if (Target.BALANCE.matches.test(r) && balanceDown) {
            return Kind.UNAVAILABLE;
        }
        if (Target.ORDER_WRITES.matches.test(r) && storm.get() > 0 && storm.getAndDecrement() > 0) {
            return Kind.RATE_LIMITED;
        }
        synchronized (this) {
            Random rnd = random;
            if (rnd == null) {
                return null;
            }
            if (Target.BALANCE.matches.test(r)) {
                return rnd.nextDouble() < readRate ? Kind.UNAVAILABLE : null;
            }
            if (Target.ORDER_WRITES.matches.test(r)) {
                if (rnd.nextDouble() >= writeRate) {
                    return null;
                }
                Kind[] kinds = {Kind.LOST_ANSWER, Kind.RESET_MID_ANSWER, Kind.CDN_403, Kind.RATE_LIMITED, Kind.UNAVAILABLE,
                    Kind.UNKNOWN_STATUS, Kind.UNREADABLE_SUCCESS, Kind.VERSION_SWITCH}; // the last is Polymarket's only
                Kind k = kinds[rnd.nextInt(polymarket ? kinds.length : kinds.length - 1)];
                if (k == Kind.RATE_LIMITED) {
                    storm.set(1 + rnd.nextInt(3));
                }
                return k;
            }
            if (Target.ORDER_READS.matches.test(r) || Target.FILL_READS.matches.test(r)) {
                if (rnd.nextDouble() >= readRate) {
                    return null;
                }
                // Lookups and lists also meet a CDN page and undocumented status words: neither may be read as "not held".
                Kind[] kinds = {Kind.SLOW, Kind.SLOW, Kind.UNAVAILABLE, Kind.RESET_MID_ANSWER, Kind.CDN_403, Kind.UNKNOWN_STATUS,
                    Kind.UNREADABLE_SUCCESS, Kind.SHAPE_DRIFT};
                return kinds[rnd.nextInt(kinds.length)];
            }
            return null;
        }
    }
}
