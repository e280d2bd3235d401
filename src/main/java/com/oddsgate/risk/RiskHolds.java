package com.oddsgate.risk;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

import com.oddsgate.order.OrderRejectedException;

/**
 * One account's risk checks one at a time across every gateway on the ledger: a lease per account
 * in {@code risk_holds}, taken by a guarded update (the database's row lock decides between two
 * instances) and given back when the checks end. A lease runs out after {@link #LEASE}, so an
 * instance that died holding one stalls the others for that long at most; an order is admitted only
 * if its lease still stands, checked in the transaction that records it admitted ({@link #confirm}).
 * Taken and given in autocommit: a lease needs no durability (lost on a crash, it is free).
 */
final class RiskHolds {

    /** Far beyond the checks' milliseconds; the longest another instance's death can hold an account's orders. */
    static final Duration LEASE = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 2;

    private final JdbcTemplate jdbc;
    private final String instance = UUID.randomUUID().toString();
    private final AtomicLong taken = new AtomicLong();
    /** Accounts whose row is known to exist: the insert is tried once per account and instance. */
    private final Set<String> rows = ConcurrentHashMap.newKeySet();

    RiskHolds(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The lease of {@code key}, waiting at most {@code wait}: its holder's token, or null when another
     * instance held it throughout. The caller holds this instance's lock of the account, so a lease
     * of this instance's own still standing is one its release could not give back: taken over.
     */
    String take(String key, Duration wait) throws InterruptedException {
        String token = instance + "/" + taken.incrementAndGet();
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            if (jdbc.update("UPDATE risk_holds SET held_by = ?, held_until = CURRENT_TIMESTAMP + INTERVAL '" + LEASE.toSeconds()
                    + "' SECOND WHERE hold_key = ? AND (held_by IS NULL OR held_until < CURRENT_TIMESTAMP OR held_by LIKE ?)", token, key,
                    instance + "/%") == 1) {
                return token;
            }
            if (rows.add(key) && jdbc.queryForObject("SELECT COUNT(*) FROM risk_holds WHERE hold_key = ?", Integer.class, key) == 0) {
                try {
                    jdbc.update("INSERT INTO risk_holds (hold_key) VALUES (?)", key); // the account's first check: its row
                    continue;
                } catch (DuplicateKeyException there) {
                    // created by another instance just now
                }
            }
            if (System.nanoTime() >= deadline) {
                return null;
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
    }

    /**
     * In the transaction that records the order admitted: the lease still stands (renewed), else the
     * checks outlasted it, another instance may have counted without this order, and it is refused.
     */
    void confirm(String key, String token) {
        if (jdbc.update("UPDATE risk_holds SET held_until = CURRENT_TIMESTAMP + INTERVAL '" + LEASE.toSeconds() + "' SECOND"
                + " WHERE hold_key = ? AND held_by = ? AND held_until > CURRENT_TIMESTAMP", key, token) != 1) {
            throw new OrderRejectedException("risk", "the risk checks took longer than their " + LEASE.toSeconds() + " s lease, so"
                    + " another gateway may have counted without this order; nothing was sent, try again", 503);
        }
    }

    /** Gives the lease back, unless it ran out and another took it since. */
    void give(String key, String token) {
        jdbc.update("UPDATE risk_holds SET held_by = NULL, held_until = NULL WHERE hold_key = ? AND held_by = ?", key, token);
    }
}
