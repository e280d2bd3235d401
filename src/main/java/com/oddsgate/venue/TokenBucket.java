package com.oddsgate.venue;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code rate} tokens a second, at most {@code burst} saved up. Reservations may
 * take the bucket below zero (callers then wait their turn, first come first served), which is how
 * the gateway paces orders instead of failing them; {@link #tryTake} is the venue's strict check.
 */
public final class TokenBucket {

    private final LongSupplier nanoClock;
    private double rate;
    private double burst;
    private double tokens;
    private long at;

    public TokenBucket(double rate, double burst, LongSupplier nanoClock) {
        if (rate <= 0 || burst < 1) {
            throw new IllegalArgumentException("a token bucket needs rate > 0 and burst >= 1");
        }
        this.nanoClock = nanoClock;
        this.rate = rate;
        this.burst = burst;
        this.tokens = burst;
        this.at = nanoClock.getAsLong();
    }

    public TokenBucket(double rate, double burst) {
        this(rate, burst, System::nanoTime);
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(burst, tokens + (now - at) * rate / 1e9);
        at = now;
    }

    /** Takes {@code n} tokens if they are there now. */
    public synchronized boolean tryTake(int n) {
        refill();
        if (tokens >= n) {
            tokens -= n;
            return true;
        }
        return false;
    }

    /** Nanoseconds until {@code n} tokens are there (0: now). */
    public synchronized long nanosUntil(int n) {
        refill();
        return tokens >= n ? 0 : (long) Math.ceil((n - tokens) / rate * 1e9);
    }

    /**
     * Reserves {@code n} tokens: the caller must wait the returned nanoseconds before acting, or, when
     * that would exceed {@code maxWaitNanos}, nothing is reserved and -1 is returned.
     */
    public synchronized long reserve(int n, long maxWaitNanos) {
        refill();
        long wait = tokens >= n ? 0 : (long) Math.ceil((n - tokens) / rate * 1e9);
        if (wait > maxWaitNanos) {
            return -1;
        }
        tokens -= n;
        return wait;
    }

    /** The venue says only {@code remaining} are left: believe it when that is fewer than ours. */
    public synchronized void cap(double remaining) {
        refill();
        tokens = Math.min(tokens, remaining);
    }

    /** A new tier: new rate and burst; what is saved up is kept within the new burst. */
    public synchronized void reconfigure(double newRate, double newBurst) {
        refill();
        rate = newRate;
        burst = newBurst;
        tokens = Math.min(tokens, newBurst);
    }

    public synchronized double rate() {
        return rate;
    }

    public synchronized double burst() {
        return burst;
    }

    public synchronized double available() {
        refill();
        return tokens;
    }
}
