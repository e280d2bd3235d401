package com.oddsgate.venue;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Money committed to BUYs admitted since the venue's balance was last read, held against that
 * figure so that a burst cannot overspend it (both venues' funds checks use one). A fresh read
 * starts again from zero: the venue's balance then counts what was placed. With several gateways on
 * one account, each may commit only its share of the balance it read: a conservative split that
 * needs no coordination per order. It is not a guarantee (instances read the balance at different
 * moments, and the count of instances changes): the venue's own balance check stays the last word.
 * Exact decimals; every method is atomic.
 */
public final class Reservations {

    private BigDecimal reserved = BigDecimal.ZERO;
    /** Counts the balance readings: what was committed against an earlier one is not in {@link #reserved} any more. */
    private long reading;
    private volatile int share = 1;

    /**
     * Commits {@code needed} if it fits this instance's part of {@code balance} less what is committed
     * already; false (nothing committed) otherwise.
     */
    public synchronized boolean tryReserve(BigDecimal balance, BigDecimal needed) {
        if (needed.compareTo(ours(balance).subtract(reserved)) > 0) {
            return false;
        }
        reserved = reserved.add(needed);
        return true;
    }

    /** The balance reading that what is committed now is held against (see {@link #release}). */
    public synchronized long reading() {
        return reading;
    }

    /**
     * Gives back what an order that is not going to be placed had committed against balance reading
     * {@code against}. Committed against an earlier reading, it is no longer counted here: nothing to
     * give back (taken from what is counted, it would free the money of BUYs committed since).
     */
    public synchronized void release(BigDecimal amount, long against) {
        if (amount != null && against == reading) {
            reserved = reserved.subtract(amount).max(BigDecimal.ZERO);
        }
    }

    /** The balance was read again: it includes what was committed until now. */
    public synchronized void reset() {
        reserved = BigDecimal.ZERO;
        reading++;
    }

    public synchronized BigDecimal reserved() {
        return reserved;
    }

    /** {@code instances} gateways now share the account. */
    public void share(int instances) {
        share = Math.max(1, instances);
    }

    /** This instance's part of {@code balance} (all of it when alone), rounded down. */
    public BigDecimal ours(BigDecimal balance) {
        int n = share;
        return n == 1 ? balance : balance.divide(BigDecimal.valueOf(n), Math.max(balance.scale(), 6), RoundingMode.DOWN);
    }

    /** Words for a refusal: what is committed already, and the share, if either applies. */
    public String explain(String unit) {
        int n = share;
        BigDecimal r = reserved();
        return (n > 1 ? ", of which this gateway may commit 1/" + n + " (" + n + " instances share the account)" : "")
                + (r.signum() > 0 ? ", " + r.stripTrailingZeros().toPlainString() + " " + unit + " of it committed to BUYs just sent" : "");
    }
}
