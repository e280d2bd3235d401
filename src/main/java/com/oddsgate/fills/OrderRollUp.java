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
import com.oddsgate.order.OrderState;

/**
 * What fills mean for their orders: filled size, average price and state, recomputed from the fills
 * that count (so the same fills twice change nothing), written through {@link OrderLedger}.
 */
final class OrderRollUp {

    /** Less than this left unfilled is dust: the order counts as FILLED. */
    static final BigDecimal DUST = new BigDecimal("0.01");


    private static final int CHUNK = 500;

    private final JdbcTemplate jdbc;
    private final OrderLedger ledger;

    OrderRollUp(JdbcTemplate jdbc, OrderLedger ledger) {
        this.jdbc = jdbc;
        this.ledger = ledger;
    }

    /** An order's figures as they follow from its fills. */
    private static final class Figures {
        OrderState state;
        BigDecimal size;
        String outcome;
        String type;
        BigDecimal filled = BigDecimal.ZERO;
        BigDecimal notional = BigDecimal.ZERO;
        boolean complement;
    }

    /**
     * Filled size, average price and state of these orders, from their fills that count: two
     * queries and one batch per chunk of orders, then a state move where one is due.
     */
    void recompute(Set<Long> orderIds, String source) {
        List<Long> ids = List.copyOf(orderIds);
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            String marks = String.join(",", Collections.nCopies(chunk.size(), "?"));
            Map<Long, Figures> figures = new LinkedHashMap<>();
            jdbc.query("SELECT id, state, size, outcome, order_type FROM orders WHERE id IN (" + marks + ")", rs -> {
                Figures f = new Figures();
                f.state = OrderState.valueOf(rs.getString(2));
                f.size = rs.getBigDecimal(3);
                f.outcome = rs.getString(4);
                f.type = rs.getString(5);
                figures.put(rs.getLong(1), f);
            }, chunk.toArray());
            jdbc.query("SELECT order_id, size, price, outcome FROM fills WHERE order_id IN (" + marks + ") AND status <> 'FAILED'",
                    rs -> {
                        Figures f = figures.get(rs.getLong(1));
                        BigDecimal size = rs.getBigDecimal(2);
                        f.filled = f.filled.add(size);
                        f.notional = f.notional.add(size.multiply(rs.getBigDecimal(3)));
                        f.complement = f.outcome != null && rs.getString(4) != null && !f.outcome.equals(rs.getString(4));
                    }, chunk.toArray());
            List<OrderLedger.Filled> filled = new ArrayList<>();
            figures.forEach((id, f) -> filled.add(new OrderLedger.Filled(id, f.filled, average(f))));
            ledger.recordFilled(filled);
            figures.forEach((id, f) -> move(id, f, source));
        }
    }

    private static BigDecimal average(Figures f) {
        if (f.filled.signum() == 0) {
            return null;
        }
        BigDecimal average = f.notional.divide(f.filled, 10, RoundingMode.HALF_EVEN);
        return f.complement ? BigDecimal.ONE.subtract(average) : average; // a NO order filled on Kalshi's YES book
    }

    /** Moves the order to what its fills say, if the state machine allows it. */
    private void move(long orderId, Figures fig, String source) {
        OrderState state = fig.state;
        BigDecimal size = fig.size;
        BigDecimal filled = fig.filled;
        String type = fig.type;
        BigDecimal average = average(fig);
        String detail = "filled " + filled.stripTrailingZeros().toPlainString()
                + (size == null ? "" : " of " + size.stripTrailingZeros().toPlainString())
                + (average == null ? "" : " at average " + average.stripTrailingZeros().toPlainString()) + " (" + source + ")";
        // The placement answer can move the order between our read and our move: read again.
        for (int attempt = 0; attempt < 3; attempt++) {
            OrderState target;
            if (filled.signum() > 0) {
                target = size == null || size.subtract(filled).compareTo(DUST) < 0 ? OrderState.FILLED : OrderState.PARTIALLY_FILLED;
            } else if (state == OrderState.PARTIALLY_FILLED || state == OrderState.FILLED) {
                // Every fill was taken back (FAILED trades): a resting order rests again, a marketable one failed.
                target = "FOK".equals(type) || "FAK".equals(type) ? OrderState.FAILED : OrderState.LIVE;
            } else {
                return;
            }
            if (target == state || !state.canBecome(target) || ledger.moveIfStill(orderId, state, target, "fills", detail)) {
                return;
            }
            state = OrderState.valueOf(jdbc.queryForObject("SELECT state FROM orders WHERE id = ?", String.class, orderId));
        }
    }
}
