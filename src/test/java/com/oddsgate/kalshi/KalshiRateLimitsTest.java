package com.oddsgate.kalshi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.oddsgate.order.OrderRejectedException;

/** A new Kalshi order waits for its write tokens at most the bound, then is refused (429) unsent. */
class KalshiRateLimitsTest {

    @Test
    void aNewOrderBeyondTheBoundedWaitIsRefusedWhileRetriesStillWait() {
        // 100 writes/s (95 at the margin), a bucket of 200 tokens: 20 creates at once, then 9.5 a second.
        KalshiRateLimits limits = new KalshiRateLimits(new KalshiRateLimits.Tier("basic", 200, 400, 100, 200),
                TimeUnit.MILLISECONDS.toNanos(150));
        for (int i = 0; i < 20; i++) {
            limits.admit(KalshiRateLimits.CREATE_ITEM);
        }
        limits.admit(KalshiRateLimits.CREATE_ITEM); // 10 tokens at 95/s: ~105 ms, within the bound: waits
        assertThatThrownBy(() -> limits.admit(KalshiRateLimits.CREATE_ITEM * 3)) // ~315 ms more: beyond it
                .isInstanceOf(OrderRejectedException.class)
                .satisfies(e -> assertThat(((OrderRejectedException) e).status()).isEqualTo(429));
    }
}
