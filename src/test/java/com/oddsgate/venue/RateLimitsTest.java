package com.oddsgate.venue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.oddsgate.order.OrderRejectedException;

class RateLimitsTest {

    private final AtomicLong now = new AtomicLong();

    @Test
    void aBucketGivesItsBurstThenRefillsAtItsRate() {
        TokenBucket b = new TokenBucket(40, 60, now::get);
        for (int i = 0; i < 60; i++) {
            assertThat(b.tryTake(1)).isTrue();
        }
        assertThat(b.tryTake(1)).isFalse();
        assertThat(b.nanosUntil(1)).isEqualTo(25_000_000L); // 1/40 s
        now.addAndGet(1_000_000_000L);
        assertThat(b.available()).isEqualTo(40.0);
        now.addAndGet(10_000_000_000L);
        assertThat(b.available()).as("never more than the burst").isEqualTo(60.0);
    }

    @Test
    void reservationsQueueFirstComeFirstServedAndRefuseBeyondTheBound() {
        TokenBucket b = new TokenBucket(40, 60, now::get);
        assertThat(b.reserve(60, 0)).isZero();
        assertThat(b.reserve(1, 1_000_000_000L)).isEqualTo(25_000_000L);
        assertThat(b.reserve(1, 1_000_000_000L)).isEqualTo(50_000_000L);
        assertThat(b.reserve(40, 1_000_000_000L)).as("would wait 1.05 s").isEqualTo(-1);
        assertThat(b.reserve(38, 1_000_000_000L)).isEqualTo(1_000_000_000L);
    }

    @Test
    void theVenuesHeadersMoveTheTierAndCapWhatIsLeft() {
        var tiers = RateLimits.parseTiers("lowest=40:60:80:120,top=600:900:1200:1800");
        RateLimits limits = new RateLimits(tiers.get("lowest"), tiers, 0);
        limits.observe("0xAbC", "top", null);
        assertThat(limits.describe("0xabc")).containsEntry("tier", "top").containsEntry("ordersPerSecond", 600.0);
        limits.observe("0xabc", "top", "3");
        assertThat((double) limits.describe("0xabc").get("available")).isLessThanOrEqualTo(3.0);
        limits.observe("0xabc", "lowest", null);
        assertThat(limits.describe("0xabc")).containsEntry("ordersPerSecond", 40.0).containsEntry("orderBurst", 60.0);
    }

    @Test
    void anOrderBeyondTheWaitBoundIsRefusedWith429() {
        // A token every 100 s: no stall of the test's own thread refills one between the 60th and the 61st.
        var tiers = RateLimits.parseTiers("lowest=0.01:60:80:120");
        RateLimits limits = new RateLimits(tiers.get("lowest"), tiers, 0);
        for (int i = 0; i < 60; i++) {
            limits.admit("0xabc", 1);
        }
        assertThatThrownBy(() -> limits.admit("0xabc", 1)).isInstanceOf(OrderRejectedException.class)
                .hasMessageContaining("rate").satisfies(e -> assertThat(((OrderRejectedException) e).status()).isEqualTo(429));
        assertThatThrownBy(() -> RateLimits.parseTiers("lowest=40:60")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theVenuesTierNamesAndFractionalRetryAfter() {
        var tiers = RateLimits.parseTiers("standard=40:60:80:120,elite=600:900:1200:1800");
        RateLimits limits = new RateLimits(tiers.get("standard"), tiers, 0);
        limits.observe("0xabc", "Elite", null);
        assertThat(limits.describe("0xabc")).containsEntry("tier", "Elite").containsEntry("ordersPerSecond", 600.0);
        limits.observe("0xabc", "Copper", null); // named by the venue, no figures configured: the starting tier's
        assertThat(limits.describe("0xabc")).containsEntry("tier", "Copper").containsEntry("ordersPerSecond", 40.0);
        assertThat(VenueStatus.retryAfterMillis("0.5")).isEqualTo(500L);
        assertThat(VenueStatus.retryAfterMillis("2")).isEqualTo(2000L);
        assertThat(VenueStatus.retryAfterMillis("0.0004")).isEqualTo(1L);
        assertThat(VenueStatus.retryAfterMillis("1e500")).isNull();
        assertThat(VenueStatus.retryAfterMillis("1e9")).as("capped").isEqualTo(600_000L);
        assertThat(VenueStatus.retryAfterMillis("86400")).as("capped").isEqualTo(600_000L);
        assertThat(VenueStatus.retryAfterMillis("Wed, 21 Oct 2026 07:28:00 GMT")).isNull();
    }
}
