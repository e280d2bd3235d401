package com.oddsgate.polymarket.protocol;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the venue says had matched of an order when its cancel took it off the book: the
 * {@code size_matched} of the user channel's {@code CANCELLATION} event. Polymarket's cancel answer
 * does not say it, and its trades list can trail a match; an amend that places "what was left"
 * waits here for the venue's own figure. Only orders someone {@link #expect}s are kept.
 */
public final class CancellationEvents {

    /** One amend's wait for one order's event: its own, whatever other amends of the order expect or forget. */
    public record Expectation(String key, CompletableFuture<BigDecimal> sizeMatched) {
    }

    private final Map<String, Expectation> awaited = new ConcurrentHashMap<>();

    /** Keep the next CANCELLATION event of this order (its hash) for the caller; call before its cancel is sent. */
    public Expectation expect(String orderHash) {
        Expectation e = new Expectation(key(orderHash), new CompletableFuture<>());
        awaited.put(e.key(), e);
        return e;
    }

    /** A CANCELLATION event arrived (user channel): its size_matched, for whoever expects it. */
    public void saw(String orderHash, BigDecimal sizeMatched) {
        Expectation e = awaited.get(key(orderHash));
        if (e != null) {
            e.sizeMatched().complete(sizeMatched);
        }
    }

    /** The expected event's size_matched, waiting at most {@code wait}; null if it did not come in time. */
    public BigDecimal await(Expectation e, Duration wait) {
        try {
            return e.sizeMatched().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException ex) {
            return null;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            forget(e);
        }
    }

    /** No longer expected by its caller (another caller's later expectation of the same order stays). */
    public void forget(Expectation e) {
        if (e != null) {
            awaited.remove(e.key(), e);
        }
    }

    /** How many orders are expected now (for tests and health: nothing should linger). */
    public int expected() {
        return awaited.size();
    }

    private static String key(String orderHash) {
        return orderHash.toLowerCase(Locale.ROOT);
    }
}
