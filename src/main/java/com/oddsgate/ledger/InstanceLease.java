package com.oddsgate.ledger;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * This gateway instance on a ledger that several may share: its id (the same across restarts of
 * one deployment, so a restart resolves its own orders at once) and a lease it renews while it
 * runs (routes/recovery.camel.yaml). An order belongs to the instance that recorded it; recovery
 * resolves another instance's orders only after that instance's lease has run out, taking them
 * over first with a compare-and-set so that two survivors never both resolve one order, and only
 * on the leader (with a cluster configured). Each renewal also counts the live instances, so that
 * budgets the venue gives the account as a whole (rate limits, money) are split between them.
 * <p>
 * Fencing: lease times are the database's ({@link DatabaseClock}), so a skewed host clock cannot
 * make a live instance look gone; the takeover is one UPDATE that checks the lease; and an
 * instance whose renewal has not succeeded for two thirds of the lease stops resolving, re-sending
 * and placing orders by itself ({@link #holds}), before any other instance may take them over.
 */
public class InstanceLease {

    private static final Logger LOG = LoggerFactory.getLogger(InstanceLease.class);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final String id;
    private final Duration lease;
    private BooleanSupplier takesOver = () -> true;
    private IntConsumer onLiveCount = n -> { };
    private volatile int live = 1;
    private final LongSupplier ticker;
    private volatile long holdsUntilNanos;
    private volatile boolean renewed;
    private final String incarnation = UUID.randomUUID().toString();
    private volatile String displaced;
    private volatile boolean guardsId;
    private volatile long heartbeatsReadAt;
    private volatile Instant heartbeatsElsewhere;

    public InstanceLease(JdbcTemplate jdbc, Clock clock, String id, Duration lease) {
        this(jdbc, clock, id, lease, System::nanoTime);
    }

    /** @param ticker monotonic nanoseconds, for this instance's own view of how long its lease holds */
    public InstanceLease(JdbcTemplate jdbc, Clock clock, String id, Duration lease, LongSupplier ticker) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.id = id.length() > 128 ? id.substring(0, 128) : id;
        this.lease = lease;
        this.ticker = ticker;
    }

    /**
     * Whether this instance may still act on its orders: its last successful renewal (counted from
     * before it was written) is younger than two thirds of the lease. Another instance can take them
     * over only after the whole lease, by the database's clock.
     */
    public boolean holds() {
        return renewed && displaced == null && ticker.getAsLong() - holdsUntilNanos < 0;
    }

    /** The last check before a placement leaves: refused while this instance's lease may have lapsed. */
    public void gatePlacement() {
        if (!holds()) {
            throw new LeaseLapsed("instance " + id + " has not renewed its lease for two thirds of " + lease.toSeconds()
                    + " s (ledger unreachable?): nothing is placed until it has, and its orders may be taken over meanwhile");
        }
    }

    /** Cancels go out whatever the lease: cancelling twice is harmless, and the kill switch must not wait for the ledger. */
    public void gateCancel() {
        // nothing to check
    }

    /** This instance's lease may have lapsed; retried like a venue that cannot be reached. */
    public static class LeaseLapsed extends IllegalStateException {
        public LeaseLapsed(String message) {
            super(message);
        }
    }

    public String id() {
        return id;
    }

    /** Another instance's orders are taken over only while this holds (the leader, in a cluster). */
    public InstanceLease takesOverWhen(BooleanSupplier condition) {
        this.takesOver = condition;
        return this;
    }

    /** Told the number of live instances (this one included) after every renewal. */
    public InstanceLease onLiveCount(IntConsumer listener) {
        this.onLiveCount = listener;
        return this;
    }

    /** Live instances on the ledger at the last renewal, at least 1. */
    public int live() {
        return live;
    }

    /**
     * Registers this process's incarnation (the first call: a restart takes its row over at once) or
     * renews its lease. A renewal that finds another incarnation in the row means a second live
     * process has the same instance id: this one, the older, stops acting on orders for good
     * ({@link #holds} false, health says why) — two processes must never both own one id's orders.
     */
    public void renew() {
        if (displaced != null) {
            return;
        }
        long startedNanos = ticker.getAsLong();
        Instant now = clock.instant();
        Timestamp until = Timestamp.from(now.plus(lease));
        if (!renewed) {
            if (jdbc.update("UPDATE gateway_instances SET lease_until = ?, incarnation = ? WHERE id = ?", until, incarnation, id) == 0) {
                try {
                    jdbc.update("INSERT INTO gateway_instances (id, started_at, lease_until, incarnation) VALUES (?,?,?,?)", id,
                            Timestamp.from(now), until, incarnation);
                } catch (DuplicateKeyException raced) {
                    jdbc.update("UPDATE gateway_instances SET lease_until = ?, incarnation = ? WHERE id = ?", until, incarnation, id);
                }
            }
        } else {
            int n = jdbc.update("UPDATE gateway_instances SET lease_until = ? WHERE id = ?" + (guardsId ? " AND incarnation = ?" : ""),
                    guardsId ? new Object[] {until, id, incarnation} : new Object[] {until, id});
            if (n == 0 && guardsId) {
                displaced = "another process started with instance id " + id + " (its incarnation replaced ours): this one no"
                        + " longer acts on orders; give every instance its own ODDSGATE_INSTANCE_ID";
                LOG.error(displaced);
                return;
            }
            if (n == 0) {
                renewed = false; // the row went away: register again
                renew();
                return;
            }
        }
        holdsUntilNanos = startedNanos + TimeUnit.MILLISECONDS.toNanos(lease.toMillis() * 2 / 3);
        renewed = true;
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM gateway_instances WHERE lease_until > ?", Integer.class,
                Timestamp.from(now));
        live = Math.max(1, n == null ? 1 : n);
        onLiveCount.accept(live);
    }

    /**
     * With a cluster: a second live process with this instance id displaces this one (see
     * {@link #renew}). Standalone there is one process per ledger (an H2 file cannot even be shared),
     * and test suites run several application contexts on one ledger under one id.
     */
    public InstanceLease guardsId(boolean guards) {
        this.guardsId = guards;
        return this;
    }

    /** Why this process stopped acting on orders (another with the same id), or null. */
    public String displaced() {
        return displaced;
    }

    /** Whether this instance recorded the order (or took it over). */
    public boolean owns(OrderRecord order) {
        return id.equals(ownerOf(order));
    }

    private String ownerOf(OrderRecord order) {
        // A NULL owner (recorded before instances had owners) is an answer, not "no row": findFirst() would throw on it.
        List<String> owners = jdbc.query("SELECT owner FROM orders WHERE id = ?", (rs, i) -> rs.getString(1), order.id());
        return owners.isEmpty() ? null : owners.get(0);
    }

    /**
     * Whether recovery may resolve this order here: ours while our lease holds (or recorded before
     * instances had owners), or its owner's lease has run out and this instance leads — then it
     * becomes ours first, in one UPDATE that checks the lease (false when the owner renewed or
     * another instance took it over meanwhile).
     */
    public boolean claim(OrderRecord order) {
        if (!holds()) {
            return false; // ours may be taken over any moment: leave every order alone until renewed
        }
        String owner = ownerOf(order);
        if (owner == null) {
            // Recorded before instances had owners: the first instance to claim it takes it.
            return jdbc.update("UPDATE orders SET owner = ? WHERE id = ? AND owner IS NULL", id, order.id()) == 1;
        }
        if (owner.equals(id)) {
            return true;
        }
        if (!takesOver.getAsBoolean()) {
            return false; // the leader takes over the orders of instances that are gone
        }
        return jdbc.update("UPDATE orders SET owner = ? WHERE id = ? AND owner = ? AND NOT EXISTS"
                + " (SELECT 1 FROM gateway_instances g WHERE g.id = ? AND g.lease_until > ?)",
                id, order.id(), owner, owner, Timestamp.from(clock.instant())) == 1;
    }

    /** Right before a re-send: still ours, and our lease still holds. */
    public boolean stillOwns(OrderRecord order) {
        return holds() && owns(order);
    }

    /** Recovery of one order (a pass, or a dead letter's replay) starts only with the order claimed here. */
    public OrderRecord claimForRecovery(OrderRecord order) {
        if (!claim(order)) {
            throw new LeaseLapsed("order " + order.id() + " is not this instance's to resolve (its owner's lease holds, this"
                    + " instance does not lead, or its own lease may have lapsed)");
        }
        return order;
    }

    /**
     * The step right before recovery re-sends an order ({@code venue} null: the venue does not hold
     * it): only if it is still ours and our lease holds, so two instances never both re-send it.
     */
    public Object fenceResend(Object venue, OrderRecord order) {
        if (venue == null && !stillOwns(order)) {
            throw new LeaseLapsed("order " + order.id() + " not re-sent: taken over by another instance, or this instance's"
                    + " lease may have lapsed");
        }
        return venue;
    }

    /**
     * The step right before recovery records what it found: only while the order is still ours and our
     * lease holds. An instance that stalled past its lease (a pause, its ledger unreachable) while the
     * new owner found the order resting must not write its stale "not at the venue" over that.
     */
    public Object fenceRecord(Object outcome, OrderRecord order) {
        if (!stillOwns(order)) {
            throw new LeaseLapsed("order " + order.id() + ": what recovery found is not recorded: taken over by another"
                    + " instance, or this instance's lease may have lapsed");
        }
        return outcome;
    }

    /** Publishes (null: clears) since when this instance's venue heartbeats fail, for the others to see. */
    public void heartbeatsFailing(Instant since) {
        try {
            jdbc.update("UPDATE gateway_instances SET heartbeats_failing_since = ? WHERE id = ?",
                    since == null ? null : Timestamp.from(since), id);
            heartbeatsReadAt = 0;
        } catch (DataAccessException e) {
            LOG.warn("heartbeat state not published to the ledger: {}", e.getMostSpecificCause().getMessage());
        }
    }

    /**
     * Since when heartbeats fail on another live instance (the leader sends them), or null; read
     * at most once a second. Unreadable ledger: treated as failing, since nothing can be known.
     */
    public Instant heartbeatsFailingElsewhere() {
        long now = ticker.getAsLong();
        if (now - heartbeatsReadAt > 1_000_000_000L || heartbeatsReadAt == 0) {
            try {
                heartbeatsElsewhere = jdbc.query("SELECT MIN(heartbeats_failing_since) FROM gateway_instances WHERE id <> ?"
                        + " AND lease_until > ? AND heartbeats_failing_since IS NOT NULL", (rs, i) -> rs.getTimestamp(1), id,
                        Timestamp.from(clock.instant())).stream().filter(t -> t != null).map(Timestamp::toInstant).findFirst().orElse(null);
            } catch (DataAccessException e) {
                heartbeatsElsewhere = Instant.EPOCH;
            }
            heartbeatsReadAt = now;
        }
        return heartbeatsElsewhere;
    }

    /** Every instance on the ledger, with whether its lease holds: for health. */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("instance", id);
        if (displaced != null) {
            out.put("displaced", displaced);
        }
        Instant now = clock.instant();
        try {
            jdbc.query("SELECT id, lease_until FROM gateway_instances ORDER BY id", rs -> {
                out.put("lease:" + rs.getString(1), rs.getTimestamp(2).toInstant().isAfter(now) ? "alive" : "gone");
            });
        } catch (DataAccessException e) {
            out.put("leases", "unreadable: " + e.getMostSpecificCause().getMessage());
        }
        return out;
    }
}
