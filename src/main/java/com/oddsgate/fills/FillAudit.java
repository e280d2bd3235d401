package com.oddsgate.fills;

import static com.oddsgate.order.Decimals.plain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.order.OrderState;

/**
 * The orders' running sums (filled size, filled notional) checked against the fills that count, and
 * set to what the fills say where they differ. The gateway keeps them in step itself; they can part
 * only by a write from outside (a hand edit, a gateway version from before the sums — V14 — sharing
 * the ledger during an upgrade; a version from before V17 cannot write sums at all). Sums and fills are read in one statement (one consistent view), and a repair
 * is a compare-and-set on the sums as read: a fill that lands in between wins, and the order is
 * looked at again on the next run.
 */
public final class FillAudit {

    private static final Logger LOG = LoggerFactory.getLogger(FillAudit.class);

    /** An order whose sums are not its fills' sums. */
    public record Drift(long orderId, BigDecimal filled, BigDecimal notional, BigDecimal fillsSize, BigDecimal fillsNotional) {
        Map<String, Object> view() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("orderId", orderId);
            m.put("filledSize", plain(filled));
            m.put("filledNotional", plain(notional));
            m.put("fillsSize", plain(fillsSize));
            m.put("fillsNotional", plain(fillsNotional));
            return m;
        }
    }

    /** One drift with what the order needs to move by its fills. */
    private record Found(Drift drift, OrderState state, BigDecimal size, String timeInForce, boolean complement) {
    }

    private static final String COUNTED = "SELECT order_id, SUM(size) AS s, SUM(size * price) AS n, MAX(outcome) AS fill_outcome"
            + " FROM fills WHERE order_id IS NOT NULL AND status <> 'FAILED' GROUP BY order_id";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final OrderLedger ledger;
    private final OrderRollUp rollUp;

    public FillAudit(JdbcTemplate jdbc, TransactionTemplate tx, OrderLedger ledger) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.ledger = ledger;
        this.rollUp = new OrderRollUp(jdbc, ledger);
    }

    /** The orders whose sums differ from their fills', at most {@code limit}, oldest first. */
    public List<Drift> drifts(int limit) {
        return find(limit).stream().map(Found::drift).toList();
    }

    /** {@code {"drifts": [...]}} for GET /api/fills/audit (at most 500). */
    public Map<String, Object> report() {
        return Map.of("drifts", drifts(500).stream().map(Drift::view).toList());
    }

    /**
     * Sets every drifting order's sums (and average and state) to what its fills say, each in its own
     * transaction, a note in its history; then moves the MATCHED orders whose every trade FAILED
     * ({@link #failedTradesOnly}); {@code {"repaired": [...], "changedMeanwhile": [ids], "tradesFailed": [ids]}}.
     */
    public Map<String, Object> repair() {
        List<Map<String, Object>> repaired = new ArrayList<>();
        List<Long> meanwhile = new ArrayList<>();
        for (Found f : find(500)) {
            Drift d = f.drift();
            BigDecimal average = OrderRollUp.average(d.fillsSize(), d.fillsNotional(), f.complement());
            boolean done;
            try {
                done = Boolean.TRUE.equals(tx.execute(s -> {
                    if (!ledger.recordFilled(List.of(new OrderLedger.Filled(d.orderId(), d.fillsSize(), d.fillsNotional(), average,
                            d.filled(), d.notional()))).isEmpty()) {
                        return false; // a fill landed since the read: it is in step with that, or the next run sees it
                    }
                    ledger.note(d.orderId(), "fills-audit", "filled sums set to what the order's fills say: size " + plain(d.filled())
                            + " -> " + plain(d.fillsSize()) + ", notional " + plain(d.notional()) + " -> " + plain(d.fillsNotional()));
                    rollUp.move(d.orderId(), f.state(), f.size(), d.fillsSize(), f.timeInForce(), average, "fills-audit");
                    return true;
                }));
            } catch (RuntimeException e) {
                // Rolled back (a lock timeout, say): the other orders are still repaired; this one next time.
                LOG.warn("fills audit: order {} could not be repaired now: {}", d.orderId(), e.toString());
                done = false;
            }
            if (done) {
                repaired.add(d.view());
            } else {
                meanwhile.add(d.orderId()); // changed meanwhile, or could not be written: looked at again next run
            }
        }
        if (!repaired.isEmpty()) {
            LOG.warn("fills audit: {} order(s) had filled sums other than their fills' and were set to them (their history"
                    + " says from what): {}", repaired.size(), repaired);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("repaired", repaired);
        out.put("changedMeanwhile", meanwhile);
        out.put("tradesFailed", failedTradesOnly());
        return out;
    }

    /**
     * MATCHED orders whose trades are all FAILED, none counting: no fill can move them any more (a
     * FAILED trade is final) when their state was written after the trades were seen — recovery
     * records the trades it finds before the order's answer, a placement answer can land after its
     * trades failed. Only once its last change is ten minutes old: a trade of it not listed yet by
     * then would be a venue's slip, not a lag. Moved as their fills' roll-up would have (see OrderRollUp.move); their ids.
     */
    List<Long> failedTradesOnly() {
        record Stuck(long id, BigDecimal size, String timeInForce) {
        }
        List<Long> moved = new ArrayList<>();
        for (Stuck o : jdbc.query("SELECT o.id, o.size, o.time_in_force FROM orders o WHERE o.state = 'MATCHED'"
                + " AND o.updated_at < CURRENT_TIMESTAMP - INTERVAL '10' MINUTE AND EXISTS (SELECT 1 FROM fills f WHERE f.order_id = o.id)"
                + " AND NOT EXISTS (SELECT 1 FROM fills f WHERE f.order_id = o.id AND f.status <> 'FAILED') ORDER BY o.id LIMIT 500",
                (rs, i) -> new Stuck(rs.getLong(1), rs.getBigDecimal(2), rs.getString(3)))) {
            // A fill landing meanwhile wins: the move reads state and filled size again when the state moved.
            if (Boolean.TRUE.equals(tx.execute(s -> rollUp.move(o.id(), OrderState.MATCHED, o.size(), BigDecimal.ZERO, o.timeInForce(),
                    null, "fills-audit: every trade FAILED")))) {
                moved.add(o.id());
            }
        }
        if (!moved.isEmpty()) {
            LOG.warn("fills audit: {} order(s) answered MATCHED whose every trade FAILED moved on: {}", moved.size(), moved);
        }
        return moved;
    }

    private List<Found> find(int limit) {
        // One statement: the sums and the fills as of one moment.
        return jdbc.query("SELECT o.id, COALESCE(sums.filled_size, 0), COALESCE(sums.filled_notional, 0), COALESCE(f.s, 0),"
                + " COALESCE(f.n, 0), o.state, o.size, o.time_in_force, o.outcome, f.fill_outcome FROM orders o"
                + " LEFT JOIN order_fills sums ON sums.order_id = o.id LEFT JOIN (" + COUNTED + ") f ON f.order_id = o.id"
                + " WHERE (f.order_id IS NOT NULL OR sums.order_id IS NOT NULL)"
                + " AND (COALESCE(sums.filled_size, 0) <> COALESCE(f.s, 0) OR COALESCE(sums.filled_notional, 0) <> COALESCE(f.n, 0))"
                + " ORDER BY o.id LIMIT ?",
                (rs, i) -> {
                    String outcome = rs.getString(9);
                    String fillOutcome = rs.getString(10);
                    return new Found(new Drift(rs.getLong(1), rs.getBigDecimal(2), rs.getBigDecimal(3), rs.getBigDecimal(4),
                            rs.getBigDecimal(5)), OrderState.valueOf(rs.getString(6)), rs.getBigDecimal(7), rs.getString(8),
                            outcome != null && fillOutcome != null && !outcome.equals(fillOutcome));
                }, limit);
    }
}
