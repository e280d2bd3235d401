package com.oddsgate.fills;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.oddsgate.order.Side;

/** The streams' fills stored in groups: in order, none lost, a failed group left to the catch-up poll. */
class FillStreamTest {

    private static List<Fill> frame(String venue, String... trades) {
        return Arrays.stream(trades).map(t -> new Fill(venue, t, 0, "0xorder", null, "acct", "market", "token", "YES", Side.BUY,
                new BigDecimal("0.5"), BigDecimal.ONE, "MAKER", TradeStatus.MATCHED, "g", Instant.now())).toList();
    }

    private static List<String> trades(List<Fill> fills) {
        return fills.stream().map(f -> f.venue() + ":" + f.tradeId()).toList();
    }

    @Test
    void whatQueuesWhileAGroupIsStoredIsTheNextGroupInOrderPerVenueAndFlushWaitsForIt() throws Exception {
        List<List<String>> stored = new CopyOnWriteArrayList<>();
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (FillStream stream = new FillStream((fills, source) -> {
            firstStarted.countDown();
            try {
                release.await(5, TimeUnit.SECONDS); // the first group's commit takes a while
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stored.add(trades(fills));
        }, 3, 100, venue -> { })) {
            stream.add(frame("polymarket", "p1"));
            assertThat(firstStarted.await(5, TimeUnit.SECONDS)).isTrue();
            stream.add(frame("polymarket", "p2", "p3"));
            stream.add(List.of()); // a frame with order events only
            stream.add(frame("kalshi", "k1"));
            stream.add(frame("polymarket", "p4"));
            stream.add(frame("polymarket", "p5"));
            release.countDown();
            stream.flush();
            // p1 alone (nothing else was queued); then what queued meanwhile, frames up to 3 fills, one transaction per venue.
            assertThat(stored).containsExactly(List.of("polymarket:p1"), List.of("polymarket:p2", "polymarket:p3"),
                    List.of("kalshi:k1"), List.of("polymarket:p4", "polymarket:p5"));
        }
    }

    @Test
    void aGroupThatCannotBeStoredIsRetriedThenLeftToItsVenuesCatchUpAndTheWriterGoesOn() throws Exception {
        List<List<String>> stored = new CopyOnWriteArrayList<>();
        List<String> catchUps = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        try (FillStream stream = new FillStream((fills, source) -> {
            calls.incrementAndGet();
            if (fills.get(0).tradeId().equals("bad")) {
                throw new IllegalStateException("ledger unreachable");
            }
            if (fills.get(0).tradeId().equals("worse")) {
                throw new AssertionError("an Error, not an exception: the writer must survive it too");
            }
            if (fills.get(0).tradeId().equals("flaky") && calls.get() < 3) {
                throw new IllegalStateException("lock timeout");
            }
            stored.add(trades(fills));
        }, 1, 100, venue -> {
            catchUps.add(venue);
            throw new IllegalStateException("the catch-up poll failed too"); // logged; the next groups go on
        }, new long[] {1, 1, 1})) {
            stream.add(frame("polymarket", "flaky"));
            stream.flush();
            assertThat(stored).containsExactly(List.of("polymarket:flaky"));
            stream.add(frame("kalshi", "bad"));
            stream.add(frame("polymarket", "worse"));
            stream.add(frame("kalshi", "good"));
            stream.flush();
            assertThat(stored).containsExactly(List.of("polymarket:flaky"), List.of("kalshi:good"));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (catchUps.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(catchUps).containsExactlyInAnyOrder("kalshi", "polymarket");
        }
    }

    @Test
    void closingStoresWhatIsQueuedAndAfterwardsNothingIsTakenSilently() throws Exception {
        List<List<String>> stored = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        FillStream stream = new FillStream((fills, source) -> {
            try {
                release.await(5, TimeUnit.SECONDS); // the first group is still being stored when close() is called
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stored.add(trades(fills));
        }, 1000, 100, venue -> { });
        for (int i = 0; i < 50; i++) {
            stream.add(frame("polymarket", "t" + i));
        }
        Thread closer = new Thread(stream::close);
        closer.start();
        Thread.sleep(100);
        release.countDown();
        closer.join(10_000);
        assertThat(stored.stream().mapToInt(List::size).sum()).as("every queued frame stored before the stream stopped").isEqualTo(50);
        assertThat(stored.stream().flatMap(List::stream).toList()).startsWith("polymarket:t0", "polymarket:t1").endsWith("polymarket:t49");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> stream.add(frame("polymarket", "late")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("catch-up poll");
        org.assertj.core.api.Assertions.assertThatThrownBy(stream::flush).isInstanceOf(IllegalStateException.class);
    }
}
