package com.oddsgate.polymarket.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

/** An amend waits for the CANCELLATION event of the order it expects, and only of that one. */
class CancellationEventsTest {

    @Test
    void anExpectedEventIsHandedOverOnceWhicheverCaseItsHashIsIn() throws Exception {
        CancellationEvents events = new CancellationEvents();
        events.saw("0xaa", new BigDecimal("1")); // nobody expects it: not kept
        assertThat(events.expected()).isZero();
        CancellationEvents.Expectation mine = events.expect("0xAA");
        CompletableFuture<BigDecimal> got = CompletableFuture.supplyAsync(() -> events.await(mine, Duration.ofSeconds(5)));
        events.saw("0xaa", new BigDecimal("3.5"));
        assertThat(got.get()).isEqualByComparingTo("3.5");
        assertThat(events.expected()).as("handed over, forgotten").isZero();
    }

    @Test
    void anEventThatDoesNotComeInTimeIsNoAnswer() {
        CancellationEvents events = new CancellationEvents();
        CancellationEvents.Expectation first = events.expect("0xbb");
        events.saw("0xcc", BigDecimal.TEN); // another order's
        assertThat(events.await(first, Duration.ofMillis(50))).isNull();
        assertThat(events.expected()).isZero();
    }

    @Test
    void anEarlierAmendForgettingItsExpectationLeavesTheNextOnesInPlace() {
        CancellationEvents events = new CancellationEvents();
        CancellationEvents.Expectation earlier = events.expect("0xdd");
        CancellationEvents.Expectation next = events.expect("0xdd"); // a retry of the amend, begun before the first one's exchange ended
        events.forget(earlier);
        events.saw("0xdd", new BigDecimal("2"));
        assertThat(events.await(next, Duration.ofMillis(50))).isEqualByComparingTo("2");
    }
}
