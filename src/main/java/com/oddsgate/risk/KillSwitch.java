package com.oddsgate.risk;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;

import com.oddsgate.ledger.LedgerFaults;
import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.ledger.RecoveryScan;
import com.oddsgate.message.ApiRefusal;
import com.oddsgate.message.Flow;
import com.oddsgate.message.VenueAttempts;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.VenueOutcome;

/**
 * One switch that stops all trading: while tripped, every new order is refused (503, recorded) and
 * no Polymarket heartbeat is sent; the trip itself also cancels every open order at both venues
 * (routes/kill-switch.camel.yaml). Every trip and re-arm is kept in the ledger with who asked and
 * why; the last one is the state, so every gateway on the same ledger sees it (read at most once
 * per {@code refresh}). A trip the ledger cannot take (down or hanging: exactly when a trader may
 * reach for the switch) stands in this process at once and is written as soon as the ledger takes
 * it; until then only this gateway sees it, and it cannot be re-armed.
 */
public class KillSwitch {

    /** The switch as the ledger holds it. */
    public record State(boolean tripped, String by, Instant at, String reason) {
        static final State ARMED = new State(false, null, null, null);

        public Map<String, Object> view() {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("state", tripped ? "TRIPPED" : "ARMED");
            v.put("by", by);
            v.put("at", at == null ? null : at.toString());
            v.put("reason", reason);
            return v;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(KillSwitch.class);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration refresh;
    private final Duration sweepWait;
    private volatile State cached;
    private volatile Instant readAt = Instant.MIN;
    /** Sweeps (cancel everything at every venue) under way in this process; guarded by {@link #books}. */
    private int sweeping;
    /**
     * Guards what a trip needs at once — the trips not written yet, the sweeps under way — and is never
     * held across a ledger call: a ledger that hangs must not hold a trip up. Re-arms (and
     * {@link #trip}'s direct writes) are serialised on {@code this}, which may wait on the ledger; the
     * trips asked for through {@link #tripAndSweep} are written by the writer thread alone.
     */
    private final Object books = new Object();
    /** Counts trips asked for here: a re-arm asked for before one does not end it. */
    private final AtomicLong tripsAsked = new AtomicLong();
    /** Counts re-arms written here: a sweep that read the state before one does not start after it. */
    private final AtomicLong rearms = new AtomicLong();
    /** The last event id that a re-arm written here ended: a sweep for a trip up to it is over, known without the ledger. */
    private volatile long rearmedHereUpTo;

    private final Duration ledgerWait;
    /** Writes the trips asked for here (one daemon thread: a ledger that hangs holds up only it). */
    private final ScheduledExecutorService writer;

    /**
     * @param sweepWait how long a re-arm waits for the sweeps under way to end
     * @param ledgerWait how long a trip waits for the ledger to take it before it stands here unwritten and sweeps
     */
    public KillSwitch(JdbcTemplate jdbc, Clock clock, Duration refresh, Duration sweepWait, Duration ledgerWait) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.refresh = refresh;
        this.sweepWait = sweepWait;
        this.ledgerWait = ledgerWait;
        this.writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kill-switch-ledger");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1, refresh.toMillis());
        writer.scheduleWithFixedDelay(this::writePending, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * A sweep may start only while tripped, and a re-arm waits for those under way: a cancel-all that
     * reached the venue after the re-arm — one waiting out a rate limit, say — would cancel the orders
     * the trader placed since. Returns false (no sweep) when armed; else {@link #endSweep} must follow.
     * Within this process only: another gateway's re-arm is seen here within {@code refresh}.
     */
    public boolean beginSweep() {
        long seen = rearms.get();
        if (!state().tripped()) { // may read the ledger: no lock held
            return false;
        }
        synchronized (books) {
            if (standing == null && rearms.get() != seen) {
                return false; // re-armed here since it read the state
            }
            sweeping++;
            return true;
        }
    }

    public void endSweep() {
        synchronized (books) {
            if (sweeping > 0) {
                sweeping--;
            }
            books.notifyAll();
        }
    }

    /**
     * Trips and counts the trip's own sweeps as under way, in one step: a re-arm cannot come between.
     * The trip stands in this process at once (new orders refused, heartbeats stopped) and is handed
     * to the ledger's writer thread; it waits at most {@code ledgerWait} for the row. A ledger that
     * fails or hangs does not hold the sweep back: the trip then stands here unwritten ({@link
     * #unwritten}), its sweeps marked {@link #UNWRITTEN}, and the writer tries again every {@code
     * refresh} — a kill switch must not depend on the database it protects.
     */
    public Trip tripAndSweep(String by, String reason) {
        Pending p;
        synchronized (books) {
            p = new Pending(new State(true, who(by), clock.instant().truncatedTo(ChronoUnit.MICROS), why(reason)),
                    new CompletableFuture<>());
            pending.addLast(p);
            tripsAsked.incrementAndGet();
            standing = p.asked();
            changes.incrementAndGet();
            sweeping++;
        }
        try {
            writer.execute(this::writePending);
        } catch (RejectedExecutionException closing) {
            // the gateway is stopping: the trip stands here until it does
        }
        try {
            return p.written().get(ledgerWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException notYet) {
            if (!p.written().completeExceptionally(notYet) && !p.written().isCompletedExceptionally()) {
                return p.written().join(); // written a moment after the wait ended
            }
            LOG.error("kill switch TRIPPED by {} in this gateway only: the ledger did not take it within {}. New orders are"
                    + " refused here and every venue is swept; the trip is written to the ledger as soon as it takes writes"
                    + " again, and until then other gateways on the ledger do not see it and it cannot be re-armed", p.asked().by(),
                    ledgerWait);
            return new Trip(p.asked(), UNWRITTEN);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return new Trip(p.asked(), UNWRITTEN);
        }
    }

    /** The trip id of a sweep for a trip that the ledger had not taken when the sweep began. */
    public static final long UNWRITTEN = 0;

    /** A trip asked for here that the ledger has not taken yet, and its row once written. */
    private record Pending(State asked, CompletableFuture<Trip> written) {
        /** Whether the trip was answered as standing here only (the ledger failed it, or did not answer in time). */
        boolean late() {
            return written.isCompletedExceptionally();
        }
    }

    /** Trips asked for here and not in the ledger yet, oldest first; guarded by {@link #books}. */
    private final Deque<Pending> pending = new ArrayDeque<>();
    /** The newest of {@link #pending}, or null: what the switch is while a trip is unwritten. */
    private volatile State standing;
    /** The ledger id the writer last wrote a trip under (0 before the first). */
    private volatile long writtenAs;
    private int failedWrites;

    /** The trip that stands here but is not in the ledger yet, or null. */
    public State unwritten() {
        return standing;
    }

    /**
     * The writer thread's work: the trips asked for here, oldest first, each written once (a failure
     * leaves it for the next round, every {@code refresh}). No lock is held while the ledger is
     * written, so a ledger that hangs holds up no sweep and no order. Each row's time is the time of
     * its write: an order another gateway placed before that time, not seeing the trip, counts as
     * placed before it (recovery does not send it again after a re-arm, {@link #holdBack}).
     */
    private void writePending() {
        while (true) {
            Pending p;
            synchronized (books) {
                p = pending.peekFirst();
            }
            if (p == null) {
                return;
            }
            Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
            String reason = p.asked().reason();
            if (p.late() || Duration.between(p.asked().at(), at).compareTo(ledgerWait) > 0) {
                String late = "tripped at " + p.asked().at() + " in one gateway; the ledger could not take it until now";
                reason = why(reason == null ? late : reason + " (" + late + ")");
            }
            long id;
            try {
                id = insertTrip(at, p.asked().by(), reason);
            } catch (RuntimeException stillDown) { // any failure: an exception out of a scheduled run would end its retries
                List<Pending> waiting;
                synchronized (books) {
                    waiting = List.copyOf(pending);
                }
                waiting.forEach(w -> w.written().completeExceptionally(stillDown)); // no trip waits longer: each stands here, and sweeps
                if (failedWrites++ % 60 == 0) {
                    LOG.warn("kill switch: the trip of {} by {} is not in the ledger ({}); it stands in this gateway, written as soon"
                            + " as the ledger takes it", p.asked().at(), p.asked().by(), LedgerFaults.why(stillDown));
                }
                return;
            }
            State row = new State(true, p.asked().by(), at, reason);
            synchronized (books) {
                pending.removeFirst();
                writtenAs = id;
                changes.incrementAndGet();
                if (pending.isEmpty()) {
                    standing = null;
                    cached = row;
                    readAt = clock.instant();
                } else {
                    standing = pending.peekLast().asked();
                }
            }
            if (failedWrites > 0) {
                LOG.warn("kill switch: the trip of {} by {} is now in the ledger", p.asked().at(), p.asked().by());
                failedWrites = 0;
            }
            p.written().complete(new Trip(row, id));
        }
    }

    /** Stops the ledger writer (the application context closing). */
    public void close() {
        writer.shutdownNow();
    }

    /** A trip as written, and its row's id in the ledger: what its sweep sweeps for (no second read that could fail or see a later trip). */
    public record Trip(State state, long id) {
    }

    /** Sweeps under way in this process (shown with the state). */
    public int sweeping() {
        synchronized (books) {
            return sweeping;
        }
    }

    public State state() {
        State u = standing;
        if (u != null) {
            return u;
        }
        Instant now = clock.instant();
        State c = cached;
        if (c == null || readAt.plus(refresh).isBefore(now)) {
            long generation = changes.get();
            c = read();
            if (changes.get() == generation) { // a trip or re-arm while reading makes this read stale: not kept
                cached = c;
                readAt = now;
            }
        }
        return c;
    }

    /** The state as the ledger holds it now, past any cache: what a venue call checks before it goes out. */
    public State current() {
        State u = standing;
        return u != null ? u : read();
    }

    private State read() {
        return jdbc.query("SELECT action, requested_by, at, reason FROM kill_switch_events ORDER BY id DESC LIMIT 1",
                (rs, i) -> new State("TRIPPED".equals(rs.getString(1)), rs.getString(2), rs.getTimestamp(3).toInstant(),
                        rs.getString(4))).stream().findFirst().orElse(State.ARMED);
    }

    /** When the switch was last tripped (whatever it is now), or null if never. */
    public Instant lastTrip() {
        return jdbc.query("SELECT at FROM kill_switch_events WHERE action = 'TRIPPED' ORDER BY id DESC LIMIT 1",
                (rs, i) -> rs.getTimestamp(1).toInstant()).stream().findFirst().orElse(null);
    }

    /**
     * The last check of a placement, right before its HTTP call (every attempt): tripped, nothing
     * goes out. A first attempt is refused (nothing was sent: REJECTED); a redelivery stops with the
     * order unresolved (an earlier attempt may have landed: recovery finds out, and cancels nothing
     * it did not find).
     */
    public void gatePlacement(Exchange exchange) {
        State s = current();
        if (!s.tripped()) {
            return;
        }
        String why = "the kill switch was tripped at " + s.at() + " by " + s.by() + ": not sent";
        if (VenueAttempts.earlierLeft(exchange)) {
            throw new Tripped(why + " again (an earlier attempt may have reached the venue)");
        }
        throw new OrderRejectedException("killSwitch", why, 503);
    }

    /**
     * The last check of a cancel, right before its HTTP call. A trader's cancel passes whatever the
     * switch says. A sweep's ({@link Flow#SWEEP_OF}) goes out only while no re-arm has been written
     * since the trip it sweeps for, read past the cache: a cancel-all that reached the venue after a re-arm — a sweep that
     * waited out a rate limit or a slow list, longer than the re-arm waited for it, or another
     * gateway's — would cancel the orders placed since.
     */
    public void gateCancel(Exchange exchange) {
        Long trip = exchange.getProperty(Flow.SWEEP_OF, Long.class);
        if (trip == null) {
            return;
        }
        long row = tripRow(trip);
        if (row < 0) {
            return; // swept for a trip not in the ledger yet: no re-arm can follow it before it is written (rearm refuses)
        }
        if (row <= rearmedHereUpTo) {
            throw new SweepOvertaken("the kill switch was re-armed in this gateway since this sweep began: not sent");
        }
        if (ledgerFailed(exchange)) {
            return; // the ledger failed in this sweep already: not waited for again (a cancel must not wait for it)
        }
        State r;
        try {
            r = rearmedSince(row);
        } catch (DataAccessException unreadable) {
            // A cancel must not wait for the ledger: better a sweep that lands late than none.
            LOG.warn("kill switch: the ledger could not be read before a sweep's cancel ({}); it goes out", LedgerFaults.why(unreadable));
            return;
        }
        if (r != null) {
            throw new SweepOvertaken("the kill switch was re-armed at " + r.at() + " by " + r.by() + " since this sweep began: not sent");
        }
    }

    /** The ledger row a sweep's trip is, or -1 while it is a trip not written yet (UNWRITTEN resolved once written). */
    private long tripRow(long trip) {
        if (trip != UNWRITTEN) {
            return trip;
        }
        return standing != null || writtenAs == 0 ? -1 : writtenAs;
    }

    private static boolean ledgerFailed(Exchange exchange) {
        AtomicReference<?> failed = exchange.getProperty(Flow.LEDGER_FAILED, AtomicReference.class);
        return failed != null && failed.get() != null;
    }

    /** The first re-arm written after the trip row {@code trip}, or null. Only a re-arm stops a sweep: a newer trip wants everything cancelled all the same. */
    private State rearmedSince(long trip) {
        return jdbc.query("SELECT requested_by, at, reason FROM kill_switch_events WHERE action = 'REARMED' AND id > ?"
                + " ORDER BY id LIMIT 1", (rs, i) -> new State(false, rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3)),
                trip).stream().findFirst().orElse(null);
    }

    /**
     * Whether one more sweep for the trip this exchange swept for ({@link Flow#SWEEP_OF}) should go:
     * tripped, and no re-arm written since that trip — known here for this gateway's re-arms, else read
     * from the ledger; a ledger that failed in the sweep before, or cannot be read now: yes.
     */
    public boolean sweepStands(Exchange exchange) {
        Long trip = exchange.getProperty(Flow.SWEEP_OF, Long.class);
        long row = trip == null ? -1 : tripRow(trip);
        if (row < 0) {
            return standing != null;
        }
        if (row <= rearmedHereUpTo) {
            return false;
        }
        if (ledgerFailed(exchange)) {
            return true;
        }
        try {
            return current().tripped() && rearmedSince(row) == null;
        } catch (DataAccessException unreadable) {
            LOG.warn("kill switch: the ledger could not be read before a sweep ({}); it goes", LedgerFaults.why(unreadable));
            return true;
        }
    }

    /**
     * The ledger id of the latest trip (whatever the state is now), or null if never: what a sweep
     * sweeps for; {@link #UNWRITTEN} while a trip stands here that the ledger has not taken.
     */
    public Long lastTripId() {
        if (standing != null) {
            return UNWRITTEN;
        }
        return jdbc.queryForObject("SELECT MAX(id) FROM kill_switch_events WHERE action = 'TRIPPED'", Long.class);
    }

    /** A sweep's cancel stopped because the trip it swept for no longer stands; nothing was sent. */
    public static class SweepOvertaken extends IllegalStateException {
        SweepOvertaken(String message) {
            super(message);
        }
    }

    /** A placement stopped by the switch on a redelivery: the order stays unresolved for recovery. */
    public static class Tripped extends IllegalStateException {
        Tripped(String message) {
            super(message);
        }
    }

    public boolean armed() {
        return !state().tripped();
    }

    /** Refuses every new order while tripped (503: nothing was sent; the request stays recorded). */
    public void admit() {
        State s = state();
        if (s.tripped()) {
            throw new OrderRejectedException("killSwitch", "the kill switch was tripped at " + s.at() + " by " + s.by()
                    + (s.reason() == null ? "" : " (" + s.reason() + ")") + ": no new orders until it is re-armed", 503);
        }
    }

    /**
     * Recovery, after the venue said it does not hold an order: while tripped, nothing is sent again
     * (REJECTED, nothing at the venue); otherwise the venue's answer passes through.
     */
    public VenueOutcome holdBack(VenueOutcome venue, OrderRecord order) {
        if (venue != null) {
            return venue;
        }
        State now = current();
        Instant trip = now.tripped() ? now.at() : lastTrip();
        if (trip == null || (!now.tripped() && order.createdAt().isAfter(trip))) {
            return venue;
        }
        if (now.tripped()) {
            // Nothing is decided while tripped: the trip's sweeps may yet name it as cancelled at the venue.
            return new VenueOutcome(OrderState.UNKNOWN, null, "not open at the venue; not sent again while the kill switch is"
                    + " tripped (since " + trip + "); looked up again after the re-arm", null);
        }
        // Placed before a trip: the trader's intent was withdrawn. Neither open nor traded at the venue.
        return new VenueOutcome(OrderState.CANCELED, null, "neither open nor traded at the venue, and not sent again: the kill"
                + " switch was tripped at " + trip + ", after this order was placed (" + RecoveryScan.NOT_PLACED_OR_CANCELLED + ")",
                null);
    }

    /** Writes a trip straight to the ledger (no sweep; fails with the ledger): for tools and tests. */
    public synchronized State trip(String by, String reason) {
        return record("TRIPPED", by, reason, -1);
    }

    /**
     * Re-arms once the sweeps under way have ended (at most {@code sweepWait}: then it re-arms anyway).
     * A trip asked for while it waited — on any gateway of the ledger — stands: the later request
     * wins, so the re-arm is written only if no trip or re-arm was written since it was asked for.
     */
    public synchronized State rearm(String by, String reason) throws InterruptedException {
        long tripsBefore = tripsAsked.get();
        State u = standing;
        if (u != null) {
            // A re-arm the ledger holds before the trip it ends would leave the ledger tripped for every gateway.
            throw new ApiRefusal(503, "the kill switch stays tripped: its trip of " + u.at() + " is not in the ledger yet"
                    + " (the ledger could not be written); re-arm once it is", List.of());
        }
        long asked = lastEventId();
        int still;
        synchronized (books) {
            long deadline = System.nanoTime() + sweepWait.toNanos();
            for (long left = sweepWait.toNanos(); sweeping > 0 && left > 0; left = deadline - System.nanoTime()) {
                TimeUnit.NANOSECONDS.timedWait(books, left);
            }
            still = sweeping;
        }
        if (standing != null || tripsAsked.get() != tripsBefore) {
            return state(); // tripped here while it waited (its read of the ledger, the sweeps): that trip stands
        }
        if (still > 0) {
            LOG.warn("kill switch re-armed with {} sweep(s) still under way after {}", still, sweepWait);
        }
        State s = record("REARMED", by, reason, asked);
        if (s == null) {
            return forget();
        }
        rearmedHereUpTo = asked;
        rearms.incrementAndGet();
        return s;
    }

    private long lastEventId() {
        Long id = jdbc.queryForObject("SELECT MAX(id) FROM kill_switch_events", Long.class);
        return id == null ? 0 : id;
    }

    /** The state read afresh (the ledger moved on under a waiting re-arm). */
    private State forget() {
        readAt = Instant.MIN;
        return state();
    }

    private final AtomicLong changes = new AtomicLong();

    /** Writes a trip or re-arm; with {@code ifLastId} ≥ 0 only if that is still the last one written (else null). */
    private synchronized State record(String action, String by, String reason, long ifLastId) {
        changes.incrementAndGet();
        // As the ledger stores it (microseconds): the state written here and the state read back are one trip.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String who = who(by);
        String why = why(reason);
        if (ifLastId < 0) {
            insertTrip(now, who, why);
        } else {
            try {
                if (jdbc.update("INSERT INTO kill_switch_events (at, action, requested_by, reason, follows_id)"
                        + " SELECT CAST(? AS TIMESTAMP WITH TIME ZONE), CAST(? AS VARCHAR(16)), CAST(? AS VARCHAR(64)),"
                        + " CAST(? AS VARCHAR(500)), CAST(? AS BIGINT) WHERE (SELECT COALESCE(MAX(id), 0) FROM kill_switch_events) = ?",
                        Timestamp.from(now), action, who, why, ifLastId, ifLastId) == 0) {
                    return null;
                }
            } catch (DataAccessException e) {
                if (!overtaken(e)) {
                    throw e;
                }
                // Another gateway wrote after the same row, uncommitted when this one read: that one stands.
                return null;
            }
        }
        // The state is the row just written; a read that began before it can no longer be kept.
        State s = new State("TRIPPED".equals(action), who, now, why);
        changes.incrementAndGet();
        cached = s;
        readAt = clock.instant();
        return s;
    }

    /** Writes a trip row and returns its id. A trip always stands: it follows whatever row is last, read again if another took that place first. */
    private long insertTrip(Instant at, String who, String why) {
        for (int attempt = 1; ; attempt++) {
            long last = lastEventId();
            GeneratedKeyHolder keys = new GeneratedKeyHolder();
            try {
                jdbc.update(con -> {
                    PreparedStatement ps = con.prepareStatement("INSERT INTO kill_switch_events (at, action, requested_by, reason,"
                            + " follows_id) VALUES (?,?,?,?,?)", new String[] {"id"});
                    ps.setTimestamp(1, Timestamp.from(at));
                    ps.setString(2, "TRIPPED");
                    ps.setString(3, who);
                    ps.setString(4, why);
                    ps.setLong(5, last);
                    return ps;
                }, keys);
                return keys.getKey().longValue();
            } catch (DataAccessException e) {
                // Another row took that place (PostgreSQL: a duplicate once it commits; H2 may say "concurrent update" at once).
                if (!overtaken(e) || attempt == 10) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    private static String who(String by) {
        return by == null || by.isBlank() ? "api" : by.length() > 64 ? by.substring(0, 64) : by;
    }

    private static String why(String reason) {
        return reason == null || reason.isBlank() ? null : reason.length() > 500 ? reason.substring(0, 500) : reason;
    }

    /** Whether a write failed because another row names the same predecessor (a duplicate key, or H2's "concurrent update"). */
    private static boolean overtaken(DataAccessException e) {
        if (e instanceof DataIntegrityViolationException || e instanceof ConcurrencyFailureException) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && ("23505".equals(sql.getSQLState()) || sql.getErrorCode() == 90131)) {
                return true;
            }
        }
        return false;
    }

    /** A short wait before writing a trip again: the row it met may still be committing. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(10L * attempt);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The latest trips and re-arms, newest first. */
    public List<Map<String, Object>> history(int limit) {
        return jdbc.query("SELECT at, action, requested_by, reason FROM kill_switch_events ORDER BY id DESC LIMIT ?", (rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", rs.getTimestamp(1).toInstant().toString());
            m.put("action", rs.getString(2));
            m.put("by", rs.getString(3));
            m.put("reason", rs.getString(4));
            return m;
        }, limit);
    }
}
