package com.oddsgate.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Supplier;

import com.oddsgate.order.OrderState;
import com.oddsgate.order.VenueOutcome;

/**
 * Which orders recovery should resolve now: anything left PENDING_SUBMIT or UNKNOWN by an earlier
 * run of the gateway, and, while running, anything older than the retry budget whose submission is
 * not still in flight here (so an order being redelivered is never sent a second time alongside).
 */
public class RecoveryScan {

    static final int BATCH = 200;

    private final OrderLedger ledger;
    private final Clock clock;
    private final Duration minAge;
    private final Instant started;
    private final Supplier<Set<Long>> inFlight;
    private final Duration resendWithin;
    private volatile InstanceLease lease;

    /** With several gateways on one ledger: resolve only this instance's orders, and those of instances gone. */
    public void sharedBy(InstanceLease lease) {
        this.lease = lease;
    }

    /**
     * @param inFlight the orders whose submission is under way in this gateway right now (from the
     *                 Camel context's in-flight exchanges)
     */
    public RecoveryScan(OrderLedger ledger, Clock clock, Duration minAge, Duration resendWithin, Supplier<Set<Long>> inFlight) {
        this.resendWithin = resendWithin;
        this.inFlight = inFlight;
        this.ledger = ledger;
        this.clock = clock;
        this.minAge = minAge;
        this.started = clock.instant();
    }

    /**
     * Orders an earlier run left RECEIVED were never signed, so never sent: they end REJECTED with
     * that reason instead of waiting forever. With several gateways on one ledger, only this
     * instance's from before it started, and those of instances that are gone (taken over first);
     * another live instance's RECEIVED order is in its hands. Returns how many.
     */
    public int closeInterrupted() {
        InstanceLease shared = lease;
        Instant foreignBefore = clock.instant().minus(minAge);
        Instant before = foreignBefore.isAfter(started) ? foreignBefore : started;
        int n = 0;
        long after = 0;
        // A page at a time, all of them: RECEIVED orders another live instance is working on never hide older ones.
        for (List<OrderRecord> page = ledger.receivedBefore(before, after, BATCH); !page.isEmpty();
                page = ledger.receivedBefore(before, after, BATCH)) {
            after = page.get(page.size() - 1).id();
            for (OrderRecord r : page) {
                boolean interrupted = r.updatedAt().isBefore(started)
                        // ours from before this start, or a gone instance's (taken over first)
                        ? shared == null || shared.claim(r)
                        // recorded since this start by an instance that has gone since
                        : shared != null && r.updatedAt().isBefore(foreignBefore) && !shared.owns(r) && shared.claim(r);
                if (!interrupted) {
                    continue;
                }
                try {
                    ledger.transition(r.id(), OrderState.RECEIVED, OrderState.REJECTED, "recovery",
                            "not sent: the gateway stopped before the order was signed", null, null);
                    n++;
                } catch (IllegalStateException movedMeanwhile) {
                    // another writer moved it; nothing to close
                }
            }
            if (page.size() < BATCH) {
                break;
            }
        }
        return n;
    }

    /**
     * After the venue said it does not hold an order: null (send it again, the same signed bytes)
     * while it is recent, else REJECTED — an intent older than {@code resendWithin} (a restart after
     * a long outage) is not placed at a price the trader chose that long ago. A held order passes through.
     */
    public VenueOutcome notHeld(VenueOutcome venue, OrderRecord order) {
        if (venue != null) {
            return venue;
        }
        Duration age = Duration.between(order.createdAt(), clock.instant());
        if (age.compareTo(resendWithin) <= 0) {
            return null;
        }
        // Neither open nor traded at the venue; whether it was ever placed (and then cancelled there)
        // cannot be told from the venue's answers. Done either way, with nothing filled: CANCELED.
        return new VenueOutcome(OrderState.CANCELED, null, "neither open nor traded at the venue, and recorded "
                + age.toSeconds() + " s ago, longer than oddsgate.recovery.resend-within (" + resendWithin.toSeconds()
                + " s): not sent again, its price is too old to be the trader's (" + NOT_PLACED_OR_CANCELLED + ")", null);
    }

    /** What an order found neither open nor traded, and not sent again, may have been: the venue cannot say which. */
    public static final String NOT_PLACED_OR_CANCELLED = "cancelled at the venue, or never placed";

    /** Set once the first recovery pass has finished: readiness waits for it. */
    private volatile boolean firstPassDone;

    public void passDone() {
        firstPassDone = true;
    }

    public boolean firstPassDone() {
        return firstPassDone;
    }

    /**
     * Every order recovery should resolve now, read a page at a time as the caller iterates: all of
     * them, however many stay unresolved pass after pass. Orders whose submission is still in flight
     * in this gateway (being redelivered, or held for a batch) are left to it.
     */
    public Iterator<OrderRecord> due() {
        Instant aged = clock.instant().minus(minAge);
        Instant before = aged.isAfter(started) ? aged : started;
        Set<Long> busy = inFlight.get();
        return new Iterator<>() {
            private final Deque<OrderRecord> page = new ArrayDeque<>();
            private long after;
            private boolean exhausted;

            @Override
            public boolean hasNext() {
                while (page.isEmpty() && !exhausted) {
                    List<OrderRecord> next = ledger.unresolved(before, after, BATCH);
                    exhausted = next.size() < BATCH;
                    if (!next.isEmpty()) {
                        after = next.get(next.size() - 1).id();
                    }
                    next.stream().filter(r -> !busy.contains(r.id()) && (lease == null || lease.claim(r))).forEach(page::add);
                }
                return !page.isEmpty();
            }

            @Override
            public OrderRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.poll();
            }
        };
    }
}
