package com.oddsgate.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * A health check that asks a venue at most once per TTL, so health polling never becomes load
 * on the venue (or on its rate limits).
 */
public class CachedHealth implements HealthIndicator {

    private final Supplier<Health> probe;
    private final BooleanSupplier ready;
    private final Duration ttl;
    private final Clock clock;
    private volatile Health last;
    private volatile Instant at = Instant.MIN;

    public CachedHealth(Supplier<Health> probe, Duration ttl, Clock clock) {
        this(probe, () -> true, ttl, clock);
    }

    /** @param ready false while the probe cannot be made yet (the gateway starting): UNKNOWN then, and nothing kept */
    public CachedHealth(Supplier<Health> probe, BooleanSupplier ready, Duration ttl, Clock clock) {
        this.probe = probe;
        this.ready = ready;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public Health health() {
        if (!ready.getAsBoolean()) {
            return Health.unknown().withDetail("status", "starting").build();
        }
        Instant now = clock.instant();
        if (last == null || at.plus(ttl).isBefore(now)) {
            Health h;
            try {
                h = probe.get();
            } catch (RuntimeException e) {
                h = Health.down().withDetail("error", e.getMessage()).build();
            }
            last = h;
            at = now;
        }
        return last;
    }
}
