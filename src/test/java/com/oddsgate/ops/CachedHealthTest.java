package com.oddsgate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import com.oddsgate.MutableClock;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** A venue is asked at most once per TTL; while the gateway starts it is not asked, and that answer is not kept. */
class CachedHealthTest {

    @Test
    void notAskedWhileStartingThenAtMostOncePerTtl() {
        AtomicInteger asked = new AtomicInteger();
        boolean[] ready = {false};
        MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
        CachedHealth health = new CachedHealth(() -> {
            asked.incrementAndGet();
            return Health.up().build();
        }, () -> ready[0], Duration.ofSeconds(10), clock);

        assertThat(health.health().getStatus()).isEqualTo(Status.UNKNOWN);
        assertThat(asked).hasValue(0);
        ready[0] = true;
        assertThat(health.health().getStatus()).as("the starting answer was not kept").isEqualTo(Status.UP);
        clock.now = clock.now.plusSeconds(5);
        health.health();
        assertThat(asked).hasValue(1);
        clock.now = clock.now.plusSeconds(6);
        health.health();
        assertThat(asked).hasValue(2);
    }

    @Test
    void aProbeThatThrowsIsDownWithItsReasonAndKeptForTheTtl() {
        AtomicInteger asked = new AtomicInteger();
        CachedHealth health = new CachedHealth(() -> {
            asked.incrementAndGet();
            throw new IllegalStateException("rate limited");
        }, Duration.ofSeconds(10), Clock.systemUTC());
        Health h = health.health();
        assertThat(h.getStatus()).isEqualTo(Status.DOWN);
        assertThat(h.getDetails()).containsEntry("error", "rate limited");
        health.health();
        assertThat(asked).hasValue(1);
    }
}
