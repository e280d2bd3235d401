package com.oddsgate.ledger;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

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
 */
public class InstanceLease {

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final String id;
    private final Duration lease;
    private BooleanSupplier takesOver = () -> true;
    private IntConsumer onLiveCount = n -> { };
    private volatile int live = 1;

    public InstanceLease(JdbcTemplate jdbc, Clock clock, String id, Duration lease) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.id = id.length() > 128 ? id.substring(0, 128) : id;
        this.lease = lease;
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

    /** Registers or renews this instance's lease. */
    public void renew() {
        Instant now = clock.instant();
        Timestamp until = Timestamp.from(now.plus(lease));
        if (jdbc.update("UPDATE gateway_instances SET lease_until = ? WHERE id = ?", until, id) == 0) {
            try {
                jdbc.update("INSERT INTO gateway_instances (id, started_at, lease_until) VALUES (?,?,?)", id, Timestamp.from(now), until);
            } catch (DuplicateKeyException raced) {
                jdbc.update("UPDATE gateway_instances SET lease_until = ? WHERE id = ?", until, id);
            }
        }
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM gateway_instances WHERE lease_until > ?", Integer.class,
                Timestamp.from(now));
        live = Math.max(1, n == null ? 1 : n);
        onLiveCount.accept(live);
    }

    /** Whether this instance recorded the order (or took it over). */
    public boolean owns(OrderRecord order) {
        return id.equals(ownerOf(order));
    }

    private String ownerOf(OrderRecord order) {
        return jdbc.query("SELECT owner FROM orders WHERE id = ?", (rs, i) -> rs.getString(1), order.id()).stream().findFirst()
                .orElse(null);
    }

    /**
     * Whether recovery may resolve this order here: ours (or recorded before instances had owners),
     * or its owner's lease has run out — then it becomes ours first (false when another instance
     * took it over meanwhile).
     */
    public boolean claim(OrderRecord order) {
        String owner = ownerOf(order);
        if (owner == null) {
            // Recorded before instances had owners: the first instance to claim it takes it.
            return jdbc.update("UPDATE orders SET owner = ? WHERE id = ? AND owner IS NULL", id, order.id()) == 1;
        }
        if (owner.equals(id)) {
            return true;
        }
        Timestamp until = jdbc.query("SELECT lease_until FROM gateway_instances WHERE id = ?", (rs, i) -> rs.getTimestamp(1), owner)
                .stream().findFirst().orElse(null);
        if (until != null && until.toInstant().isAfter(clock.instant())) {
            return false; // its owner is alive and resolves it itself
        }
        if (!takesOver.getAsBoolean()) {
            return false; // the leader takes over the orders of instances that are gone
        }
        return jdbc.update("UPDATE orders SET owner = ? WHERE id = ? AND owner = ?", id, order.id(), owner) == 1;
    }

    /** Every instance on the ledger, with whether its lease holds: for health. */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("instance", id);
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
