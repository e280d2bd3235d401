package com.oddsgate.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.apache.camel.Exchange;

import com.oddsgate.message.Flow;
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
    private final Duration ownAbandonedAfter;
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
        this(ledger, clock, minAge, resendWithin, inFlight, Duration.ZERO);
    }

    /**
     * @param firstSendWithin how long a request may still send its order for the first time
     *                        ({@code oddsgate.intake.first-send-within}): an order of this instance left
     *                        RECEIVED since its start is closed only once older than that too
     */
    public RecoveryScan(OrderLedger ledger, Clock clock, Duration minAge, Duration resendWithin, Supplier<Set<Long>> inFlight,
            Duration firstSendWithin) {
        this.ownAbandonedAfter = firstSendWithin.compareTo(minAge) > 0 ? firstSendWithin : minAge;
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
        Instant ownBefore = clock.instant().minus(ownAbandonedAfter);
        Set<Long> ours = null; // the orders exchanges here work on, read once if needed
        // A page at a time, all of them: RECEIVED orders another live instance is working on never hide older ones.
        for (List<OrderRecord> page = ledger.receivedBefore(before, after, BATCH); !page.isEmpty();
                page = ledger.receivedBefore(before, after, BATCH)) {
            after = page.get(page.size() - 1).id();
            for (OrderRecord r : page) {
                boolean interrupted;
                String why = "not sent: the gateway stopped before the order was signed";
                if (r.updatedAt().isBefore(started)) {
                    // ours from before this start, or a gone instance's (taken over first)
                    interrupted = shared == null || shared.claim(r);
                } else if (shared != null && !shared.owns(r)) {
                    // recorded since this start by an instance that has gone since
                    interrupted = r.updatedAt().isBefore(foreignBefore) && shared.claim(r);
                } else {
                    // ours since this start, older than its request could still send it (first-send-within;
                    // min-age at least), and no exchange here works on it: its request ended before the order
                    // was signed, in a failure that could not be written on it (the ledger's own); a state
                    // moved by compare-and-set, so a late step of it signs nothing
                    if (ours == null) {
                        ours = inFlight.get();
                    }
                    interrupted = r.updatedAt().isBefore(ownBefore) && !ours.contains(r.id());
                    why = "not sent: its request ended before the order was signed (a failure the ledger could not record)";
                }
                if (!interrupted) {
                    continue;
                }
                try {
                    ledger.transition(r.id(), OrderState.RECEIVED, OrderState.REJECTED, "recovery", why, null, null);
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
     * {@link #closeInterrupted}, for a file drop about to read its half-read files again: only once this
     * instance holds its lease — without it, it claims nothing, not even its own earlier run's orders,
     * and would close none and say nothing (their lines then taken for repeats).
     */
    public int closeInterruptedBeforeResume() {
        if (lease != null && !lease.holds()) {
            throw new NotLeased("this instance's lease is not held yet: the orders an earlier run left RECEIVED are closed,"
                    + " and the inbox read, once it is");
        }
        int n = closeInterrupted();
        if (lease != null && !lease.holds()) { // lapsed meanwhile: some may have been skipped unclaimed
            throw new NotLeased("this instance's lease lapsed while it closed the orders an earlier run left RECEIVED");
        }
        return n;
    }

    /** An instance that does not hold its lease (not yet written at start, or lost) closes nothing. */
    public static class NotLeased extends IllegalStateException {
        NotLeased(String message) {
            super(message);
        }
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

    /**
     * The order as the ledger holds it now, if it is still unresolved; else null (nothing to recover):
     * a pass reads its page before it works through it, and an answer, a cancel, may come meanwhile.
     */
    public OrderRecord stillUnresolved(OrderRecord order) {
        return ledger.find(order.id()).filter(r -> r.state().unresolved()).orElse(null);
    }

    /** Whether a recovered order is to be cancelled now: asked to be while unresolved, and found resting. */
    public boolean cancelDue(long orderId) {
        return ledger.find(orderId).filter(r -> r.state().restingAtVenue()).isPresent() && ledger.cancelAsked(orderId);
    }

    /**
     * {@link #cancelDue} for the order recovery just looked at ({@code oddsgateRecovered}), and no
     * other exchange of this gateway on it: a replay whose own recovery was deferred (a pass or a
     * trader's cancel was looking the order up) leaves the cancel to that one, never a second.
     */
    public boolean cancelDueHere(Exchange exchange) {
        Long id = exchange.getProperty("oddsgateRecovered", Long.class);
        if (id == null) {
            return false;
        }
        exchange.setProperty(Flow.ORDER_ID, id);
        return cancelDue(id) && !InFlightOrders.othersOn(exchange, id);
    }

    /**
     * After the venue said it does not hold an order (null: send it again): not when a trader asked to
     * cancel it meanwhile ({@link OrderLedger#askCancel}). Never sent again; neither open nor traded at
     * the venue: CANCELED — once the order is older than min-age, since the trades of one that matched
     * at once can trail a lookup (a trader told "cancelled" might place it again); until then UNKNOWN.
     */
    public VenueOutcome cancelAsked(VenueOutcome venue, OrderRecord order) {
        if (venue != null || !ledger.cancelAsked(order.id())) {
            return venue;
        }
        if (Duration.between(order.createdAt(), clock.instant()).compareTo(minAge) < 0) {
            return new VenueOutcome(OrderState.UNKNOWN, null, "neither open nor traded at the venue yet, and not sent again (a cancel"
                    + " was asked for while its placement's answer was unknown); looked up again once older than " + minAge.toSeconds()
                    + " s (oddsgate.recovery.min-age): trades can trail", null);
        }
        return new VenueOutcome(OrderState.CANCELED, null, "neither open nor traded at the venue, and not sent again: a cancel was"
                + " asked for while its placement's answer was unknown (" + NOT_PLACED_OR_CANCELLED + ")", null);
    }

    /**
     * A conclusion that an order left the venue's book without trading (CANCELED: found neither open
     * nor traded) is drawn only once the order is older than min-age: the trades of one that matched
     * at once can trail the lookup, and a trader told "cancelled" might place it again. Until then
     * UNKNOWN, looked up again by the next pass. (The recovery pass itself takes only orders older than
     * min-age; a cancel's or a dead-letter replay's recovery runs at once.) Any other answer passes through.
     */
    public VenueOutcome notYetGone(VenueOutcome venue, OrderRecord order) {
        if (venue == null || venue.state() != OrderState.CANCELED
                || Duration.between(order.createdAt(), clock.instant()).compareTo(minAge) >= 0) {
            return venue;
        }
        return new VenueOutcome(OrderState.UNKNOWN, venue.venueOrderId(), "neither open nor traded at the venue yet; looked up"
                + " again once older than " + minAge.toSeconds() + " s (oddsgate.recovery.min-age): trades can trail ("
                + venue.reason() + ")", venue.rawAnswer());
    }

    /**
     * The answer to a recovery's re-send of an order's recorded bytes. A refusal tells nothing of an
     * earlier attempt, which may have been placed and matched (a lookup can miss it: trades that trail,
     * a list that lags) — and a refusal for the balance that match used, or for a version the venue
     * moved to since, is then what the re-send meets. Not REJECTED (final, so its fills could never
     * count): CANCELED, which its fills, should they come, still move on to FILLED.
     */
    public static VenueOutcome afterRefusedResend(VenueOutcome answer) {
        if (answer == null || answer.state() != OrderState.REJECTED) {
            return answer;
        }
        return new VenueOutcome(OrderState.CANCELED, null, "its re-send was refused (" + answer.reason() + ") and the venue holds it"
                + " neither open nor traded: " + NOT_PLACED_OR_CANCELLED, answer.rawAnswer());
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
     * One recovery pass over the orders left PENDING_SUBMIT or UNKNOWN, read a page at a time by the
     * route's {@code sql:} source (routes/recovery.camel.yaml, keyset paging on the id) until a page
     * comes back empty: all of them, however many stay unresolved pass after pass.
     */
    public static final class Pass {
        private final Timestamp before;
        private final Set<Long> busy;
        private long after;
        private boolean more = true;

        Pass(Instant before, Set<Long> busy) {
            this.before = Timestamp.from(before);
            this.busy = busy;
        }

        /** Only orders last changed before this (older than min-age, and from before this start). */
        public Timestamp getBefore() {
            return before;
        }

        /** The last id read: the next page starts after it. */
        public long getAfter() {
            return after;
        }

        /** Whether another page may follow (the last one was not empty). */
        public boolean isMore() {
            return more;
        }
    }

    /** A new pass; orders whose submission is still in flight in this gateway (redelivered, held for a batch) are left to it. */
    public Pass startPass() {
        Instant aged = clock.instant().minus(minAge);
        return new Pass(aged.isAfter(started) ? aged : started, inFlight.get());
    }

    /**
     * A page of the pass, as the sql: source read it (rows with the order's {@code id}): the orders
     * due now, each read whole and claimed (another live instance's are left to it).
     */
    public List<OrderRecord> page(Pass pass, List<Map<String, Object>> rows) {
        List<OrderRecord> due = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            long id = ((Number) row.get(row.containsKey("id") ? "id" : "ID")).longValue();
            pass.after = Math.max(pass.after, id);
            if (!pass.busy.contains(id)) {
                ledger.find(id).filter(r -> r.state().unresolved() && (lease == null || lease.claim(r))).ifPresent(due::add);
            }
        }
        pass.more = !rows.isEmpty();
        return due;
    }

    /** Every order due now, page by page through the same steps as the route (for callers outside Camel). */
    public List<OrderRecord> due() {
        Pass pass = startPass();
        List<OrderRecord> due = new ArrayList<>();
        while (pass.more) {
            due.addAll(page(pass, ledger.unresolvedIds(pass.before.toInstant(), pass.after, BATCH).stream()
                    .map(id -> Map.<String, Object>of("id", id)).toList()));
        }
        return due;
    }
}
