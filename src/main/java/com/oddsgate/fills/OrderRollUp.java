package com.oddsgate.fills;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;

import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.order.Decimals;
import com.oddsgate.order.OrderState;

/**
 * What fills mean for their orders: filled size, average price and state, written through
 * {@link OrderLedger}. The sums change only with a change in the fills that count — a fill stored
 * (its unique key makes that once), a trade FAILED (its status moves one way, by a guarded update),
 * an orphan adopted (guarded too) — in the same transaction as that change; so the same fills twice
 * change nothing, and a batch does not read every earlier fill of the orders it touches.
 */
final class OrderRollUp {

    /** Less than this left unfilled is dust: the order counts as FILLED. */
    static final BigDecimal DUST = Decimals.DUST;

    private static final int CHUNK = 500;
    private static final int ATTEMPTS = 3;

    /** What one batch changes in one order's fills that count. */
    static final class Change {
        BigDecimal size = BigDecimal.ZERO;
        BigDecimal notional = BigDecimal.ZERO;
        /** The outcome a fill of this order was on (a Kalshi NO order fills on the YES book). */
        String fillOutcome;

        /** Size and price as the fills row stores them ({@link #stored}), so the sums are the rows' sums. */
        void add(BigDecimal fillSize, BigDecimal price, String outcome) {
            size = size.add(stored(fillSize));
            notional = notional.add(stored(fillSize).multiply(stored(price)));
            fillOutcome = outcome == null ? fillOutcome : outcome;
        }

        void takeBack(BigDecimal fillSize, BigDecimal price, String outcome) {
            add(fillSize.negate(), price, outcome);
        }

        boolean isNone() {
            return size.signum() == 0 && notional.signum() == 0;
        }
    }

    /** A fill's size or price at the scale of its column (NUMERIC(24, 6), NUMERIC(12, 6)). */
    static BigDecimal stored(BigDecimal d) {
        return d.setScale(6, RoundingMode.HALF_UP);
    }

    /** Another writer changed a fill or an order under this batch: rolled back, to be applied again. */
    static final class MovedOn extends IllegalStateException {
        MovedOn(String message) {
            super(message);
        }
    }

    private final JdbcTemplate jdbc;
    private final OrderLedger ledger;

    OrderRollUp(JdbcTemplate jdbc, OrderLedger ledger) {
        this.jdbc = jdbc;
        this.ledger = ledger;
    }

    /** An order's figures as read. */
    private static final class Figures {
        OrderState state;
        BigDecimal size;
        String outcome;
        String timeInForce;
        BigDecimal filled;
        BigDecimal notional;
        BigDecimal average;
    }

    /**
     * Adds this batch's changes to their orders' sums (one read and one guarded batch per chunk), then
     * moves every touched order — one a new fill or a status change of a fill named, its sums changed
     * or not. A repeat delivery touches no order (replays stay one read per batch): fills move an order
     * whatever its placement answer says (PENDING_SUBMIT too), and an answer read after them keeps their
     * word ({@code OrderLedger.recordOutcome}).
     */
    void apply(Set<Long> touched, Map<Long, Change> changes, String source) {
        List<Long> ids = List.copyOf(touched);
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            Map<Long, Figures> figures = read(chunk);
            List<Long> again = write(figures, changes);
            for (int attempt = 1; !again.isEmpty(); attempt++) {
                if (attempt == ATTEMPTS) {
                    throw new MovedOn("orders " + again + " kept changing under their fills");
                }
                Map<Long, Figures> reread = read(again);
                again = write(reread, changes);
                figures.putAll(reread); // as written: the moves below follow this batch's change too
            }
            figures.forEach((id, f) -> move(id, f.state, f.size, f.filled, f.timeInForce, f.average, source));
        }
    }

    private Map<Long, Figures> read(List<Long> ids) {
        Map<Long, Figures> figures = new LinkedHashMap<>();
        jdbc.query("SELECT id, state, size, outcome, time_in_force, COALESCE(filled_size, 0), COALESCE(filled_notional, 0), avg_fill_price"
                + " FROM " + OrderLedger.ORDERS + " WHERE id IN ("
                + String.join(",", Collections.nCopies(ids.size(), "?")) + ")", rs -> {
                    Figures f = new Figures();
                    f.state = OrderState.valueOf(rs.getString(2));
                    f.size = rs.getBigDecimal(3);
                    f.outcome = rs.getString(4);
                    f.timeInForce = rs.getString(5);
                    f.filled = rs.getBigDecimal(6);
                    f.notional = rs.getBigDecimal(7);
                    f.average = rs.getBigDecimal(8);
                    figures.put(rs.getLong(1), f);
                }, ids.toArray());
        return figures;
    }

    /** Writes the changed sums; returns the orders whose sums moved on since they were read. */
    private List<Long> write(Map<Long, Figures> figures, Map<Long, Change> changes) {
        List<OrderLedger.Filled> filled = new ArrayList<>();
        Map<Long, Figures> next = new LinkedHashMap<>();
        figures.forEach((id, f) -> {
            Change c = changes.get(id);
            if (c == null || c.isNone()) {
                return;
            }
            Figures n = new Figures();
            n.state = f.state;
            n.size = f.size;
            n.outcome = f.outcome;
            n.timeInForce = f.timeInForce;
            n.filled = f.filled.add(c.size);
            n.notional = f.notional.add(c.notional);
            boolean complement = f.outcome != null && c.fillOutcome != null && !f.outcome.equals(c.fillOutcome);
            n.average = average(n.filled, n.notional, complement);
            filled.add(new OrderLedger.Filled(id, n.filled, n.notional, n.average, f.filled, f.notional));
            next.put(id, n);
        });
        List<Long> movedOn = ledger.recordFilled(filled);
        next.keySet().removeAll(movedOn);
        figures.putAll(next);
        return movedOn;
    }

    static BigDecimal average(BigDecimal filled, BigDecimal notional, boolean complement) {
        if (filled.signum() == 0) {
            return null;
        }
        BigDecimal average = notional.divide(filled, 10, RoundingMode.HALF_EVEN);
        return complement ? BigDecimal.ONE.subtract(average) : average; // a NO order filled on Kalshi's YES book
    }

    /** Moves the order to what its fills say, if the state machine allows it; whether it moved it. */
    boolean move(long orderId, OrderState state, BigDecimal size, BigDecimal filled, String timeInForce, BigDecimal average,
            String source) {
        // The placement answer, or another writer's fills, can move the order between our read and our
        // move: its state and its filled size read again, together (a fill landing meanwhile wins).
        for (int attempt = 0; attempt < 3; attempt++) {
            OrderState target;
            if (filled.signum() > 0) {
                target = size == null || size.subtract(filled).compareTo(DUST) < 0 ? OrderState.FILLED : OrderState.PARTIALLY_FILLED;
            } else if (state == OrderState.PARTIALLY_FILLED || state == OrderState.FILLED || state == OrderState.MATCHED) {
                // Every fill was taken back, or (MATCHED: touched by its fills, none counting) every trade seen
                // FAILED: a resting order rests again (the open-order sync holds it against the book), a marketable one failed.
                target = "FOK".equals(timeInForce) || "FAK".equals(timeInForce) ? OrderState.FAILED : OrderState.LIVE;
            } else {
                return false;
            }
            if (target == state || !state.canBecomeByFills(target)) {
                return false;
            }
            String detail = "filled " + filled.stripTrailingZeros().toPlainString()
                    + (size == null ? "" : " of " + size.stripTrailingZeros().toPlainString())
                    + (average == null ? "" : " at average " + average.stripTrailingZeros().toPlainString()) + " (" + source + ")";
            if (ledger.moveIfStill(orderId, state, target, "fills", detail)) {
                return true;
            }
            Object[] now = jdbc.queryForObject("SELECT state, COALESCE(filled_size, 0), avg_fill_price FROM " + OrderLedger.ORDERS
                    + " WHERE id = ?", (rs, i) -> new Object[] {OrderState.valueOf(rs.getString(1)), rs.getBigDecimal(2),
                            rs.getBigDecimal(3)}, orderId);
            state = (OrderState) now[0];
            filled = (BigDecimal) now[1];
            average = (BigDecimal) now[2];
        }
        return false;
    }
}
