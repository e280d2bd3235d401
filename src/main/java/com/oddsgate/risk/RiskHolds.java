package com.oddsgate.risk;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One account's risk checks one at a time across every gateway on the ledger: a lease per account
 * in {@code risk_holds}, taken by a guarded update (the database's row lock decides between two
 * instances) and given back when the checks end. A lease runs out after {@link #LEASE}, so an
 * instance that died holding one stalls the others for that long at most; an order is admitted only
 * if its lease still stands, checked in the transaction that records it admitted ({@link #stillHeld}).
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

    /** The ledger, each statement bounded: a take waiting on a lease row another instance's transaction holds is "not yet". */
    RiskHolds(JdbcTemplate ledger) {
        this.jdbc = new JdbcTemplate(ledger.getDataSource());
        this.jdbc.setQueryTimeout(1);
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
            try {
                if (jdbc.update("UPDATE risk_holds SET held_by = ?, held_until = CURRENT_TIMESTAMP + INTERVAL '" + LEASE.toSeconds()
                        + "' SECOND WHERE hold_key = ? AND (held_by IS NULL OR held_until < CURRENT_TIMESTAMP OR held_by LIKE ?)", token,
                        key, instance + "/%") == 1) {
                    return token;
                }
            } catch (QueryTimeoutException | PessimisticLockingFailureException busy) {
                // the row is locked by another instance's transaction (its stillHeld): not yet
            }
            if (!rows.contains(key) && makeRow(key)) {
                continue;
            }
            if (System.nanoTime() >= deadline) {
                return null;
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
    }

    /** The account's row, made on its first check: whether it was missing (and is there now). */
    private boolean makeRow(String key) {
        if (jdbc.queryForObject("SELECT COUNT(*) FROM risk_holds WHERE hold_key = ?", Integer.class, key) > 0) {
            rows.add(key);
            return false;
        }
        try {
            jdbc.update("INSERT INTO risk_holds (hold_key) VALUES (?)", key);
        } catch (DuplicateKeyException there) {
            // made by another instance just now
        }
        rows.add(key);
        return true;
    }

    /**
     * In the transaction that records the order admitted (same data source: the statement joins it):
     * the lease still stands, renewed and locked until that commits; else the checks outlasted it,
     * and another instance may have counted without this order.
     */
    boolean stillHeld(String key, String token) {
        return jdbc.update("UPDATE risk_holds SET held_until = CURRENT_TIMESTAMP + INTERVAL '" + LEASE.toSeconds() + "' SECOND"
                + " WHERE hold_key = ? AND held_by = ? AND held_until > CURRENT_TIMESTAMP", key, token) == 1;
    }

    /** Gives the lease back, unless it ran out and another took it since. */
    void give(String key, String token) {
        jdbc.update("UPDATE risk_holds SET held_by = NULL, held_until = NULL WHERE hold_key = ? AND held_by = ?", key, token);
    }
}
