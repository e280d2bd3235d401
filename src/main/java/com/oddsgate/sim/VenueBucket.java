package com.oddsgate.sim;

/**
 * A venue's rate limit as the venue applies it: {@code rate} tokens a second, at most {@code burst}
 * saved up, a request refused when its cost is not there. The simulators' own, not the gateway's
 * pacing bucket: a fault in how the gateway paces itself must show as the venue's 429.
 */
final class VenueBucket {

    private final double rate;
    private final double burst;
    private double tokens;
    private long refilledAt = System.nanoTime();

    VenueBucket(double rate, double burst) {
        this.rate = rate;
        this.burst = burst;
        this.tokens = burst;
    }

    private void refill() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * rate);
        refilledAt = now;
    }

    synchronized boolean tryTake(int cost) {
        refill();
        if (tokens < cost) {
            return false;
        }
        tokens -= cost;
        return true;
    }

    /** Nanoseconds until {@code cost} tokens are there. */
    synchronized long nanosUntil(int cost) {
        refill();
        return tokens >= cost ? 0 : (long) Math.ceil((cost - tokens) / rate * 1e9);
    }

    synchronized double available() {
        refill();
        return tokens;
    }

    double burst() {
        return burst;
    }

    double rate() {
        return rate;
    }
}
