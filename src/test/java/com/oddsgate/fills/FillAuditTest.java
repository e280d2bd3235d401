package com.oddsgate.fills;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.oddsgate.ledger.LedgerListener;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.Side;

/**
 * The audit finds the orders whose running sums are not their fills' sums (written from outside the
 * gateway), and sets them, their average and their state to what the fills say; in step, it finds nothing.
 */
class FillAuditTest {

    JdbcTemplate jdbc;
    OrderLedger ledger;
    FillBook book;
    FillAudit audit;

    @BeforeEach
    void ledger() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:fill-audit-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).load().migrate();
        jdbc = new JdbcTemplate(ds);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        ledger = new OrderLedger(jdbc, tx, Clock.systemUTC(), LedgerListener.NONE);
        book = new FillBook(jdbc, tx, ledger, Clock.systemUTC(), FillBook.Listener.NONE);
        audit = new FillAudit(jdbc, tx, ledger);
    }

    @Test
    void sumsWrittenFromOutsideAreFoundAndSetToWhatTheFillsSay() {
        for (String[] o : new String[][] {{"a", "YES"}, {"b", "NO"}, {"c", "YES"}}) {
            jdbc.update("INSERT INTO orders (client_order_id, source, venue, market, token_id, outcome, side, price, size, state,"
                    + " order_hash, created_at, updated_at) VALUES (?, 'rest', 'polymarket', 'market', 'token', ?, 'BUY', 0.5, 10,"
                    + " 'LIVE', ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", o[0], o[1], "0x" + o[0]);
        }
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        // a: 4 at 0.50 and 3 at 0.40; b (NO) filled on the YES book: 2 at 0.30, i.e. NO at 0.70.
        book.apply(List.of(fill("t1", "0xa", "4", "0.5", t0), fill("t2", "0xa", "3", "0.4", t0.plusSeconds(1)),
                fill("t3", "0xb", "2", "0.3", t0.plusSeconds(2))), "polling");
        assertThat(audit.drifts(100)).as("in step").isEmpty();

        // Written from outside: a hand edit on a, an older gateway that kept no sums for b, sums without fills on c.
        jdbc.update("UPDATE order_fills SET filled_size = 3, filled_notional = 1.5 WHERE order_id = (SELECT id FROM orders WHERE client_order_id = 'a')");
        jdbc.update("DELETE FROM order_fills WHERE order_id = (SELECT id FROM orders WHERE client_order_id = 'b')");
        jdbc.update("UPDATE orders SET state = 'LIVE' WHERE client_order_id = 'b'");
        jdbc.update("INSERT INTO order_fills (order_id, filled_size, filled_notional, filled_at)"
                + " SELECT id, 5, 2.5, CURRENT_TIMESTAMP FROM orders WHERE client_order_id = 'c'");
        jdbc.update("UPDATE orders SET state = 'PARTIALLY_FILLED' WHERE client_order_id = 'c'");
        assertThat(audit.drifts(100)).extracting(FillAudit.Drift::fillsSize).map(BigDecimal::stripTrailingZeros)
                .containsExactly(new BigDecimal("7"), new BigDecimal("2"), BigDecimal.ZERO);

        Map<String, Object> repaired = audit.repair();

        assertThat((List<?>) repaired.get("repaired")).hasSize(3);
        assertThat(audit.drifts(100)).isEmpty();
        assertThat(row(jdbc, "a")).containsExactly("PARTIALLY_FILLED", "7", "3.2", "0.4571428571");
        assertThat(row(jdbc, "b")).containsExactly("PARTIALLY_FILLED", "2", "0.6", "0.7");
        assertThat(row(jdbc, "c")).containsExactly("LIVE", "0", "0", null);
        assertThat(jdbc.queryForList("SELECT e.detail FROM order_events e JOIN orders o ON o.id = e.order_id WHERE o.client_order_id = 'a'"
                + " AND e.source = 'fills-audit'", String.class)).containsExactly("filled sums set to what the order's fills say:"
                + " size 3 -> 7, notional 1.5 -> 3.2");
        assertThat((List<?>) audit.repair().get("repaired")).as("nothing more to do").isEmpty();
    }

    /**
     * Trades seen FAILED while the order's answer was not in (recovery records the trades it finds
     * first; an answer can land late): no fill moves it once it is MATCHED. The audit does, as its
     * fills would have: a FAK failed, a GTC rests again (for the open-order sync to hold against the book).
     */
    @Test
    void matchedOrdersWhoseEveryTradeFailedAreMovedOn() {
        for (String[] o : new String[][] {{"fak", "FAK"}, {"gtc", "GTC"}, {"mixed", "GTC"}}) {
            jdbc.update("INSERT INTO orders (client_order_id, source, venue, market, token_id, outcome, side, price, size, state,"
                    + " time_in_force, order_hash, created_at, updated_at) VALUES (?, 'rest', 'polymarket', 'market', 'token', 'YES',"
                    + " 'BUY', 0.5, 10, 'UNKNOWN', ?, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", o[0], o[1], "0x" + o[0]);
        }
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        book.apply(List.of(fill("f1", "0xfak", "10", "0.5", t0).withStatus(TradeStatus.FAILED),
                fill("f2", "0xgtc", "10", "0.5", t0).withStatus(TradeStatus.FAILED),
                fill("f3", "0xmixed", "4", "0.5", t0).withStatus(TradeStatus.FAILED), fill("f5", "0xmixed", "6", "0.5", t0)), "recovery");
        jdbc.update("UPDATE orders SET state = 'MATCHED'"); // the lookup's answer, recorded after its trades
        assertThat(audit.repair().get("tradesFailed")).as("a trade of it may not be listed yet").asList().isEmpty();
        jdbc.update("UPDATE orders SET updated_at = CURRENT_TIMESTAMP - INTERVAL '11' MINUTE");
        assertThat(audit.repair().get("tradesFailed")).asList().hasSize(2);
        assertThat(row(jdbc, "fak").get(0)).isEqualTo("FAILED");
        assertThat(row(jdbc, "gtc").get(0)).isEqualTo("LIVE");
        assertThat(row(jdbc, "mixed").get(0)).as("a trade of it counts: its fills decide").isEqualTo("MATCHED");
        book.apply(List.of(fill("f4", "0xfak", "6", "0.5", t0)), "websocket"); // another trade of the FAK, counting
        assertThat(row(jdbc, "fak")).containsExactly("PARTIALLY_FILLED", "6", "3", "0.5");
        assertThat(audit.repair().get("tradesFailed")).as("nothing more to do").asList().isEmpty();
    }

    /**
     * The audit read an order MATCHED with no fill counting; a counting fill lands before its move:
     * the fill wins (the move reads the state and the filled size again), it is not made FAILED.
     */
    @Test
    void aFillLandingBeforeTheMoveWins() {
        jdbc.update("INSERT INTO orders (client_order_id, source, venue, market, token_id, outcome, side, price, size, state,"
                + " time_in_force, order_hash, created_at, updated_at) VALUES ('late-fill', 'rest', 'polymarket', 'market', 'token',"
                + " 'YES', 'BUY', 0.5, 10, 'MATCHED', 'FAK', '0xlate', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        long id = jdbc.queryForObject("SELECT id FROM orders WHERE client_order_id = 'late-fill'", Long.class);
        book.apply(List.of(fill("late-1", "0xlate", "4", "0.5", Instant.now())), "websocket");
        assertThat(row(jdbc, "late-fill").get(0)).isEqualTo("PARTIALLY_FILLED");

        // What the audit read before that fill: MATCHED, nothing filled.
        boolean moved = new OrderRollUp(jdbc, ledger).move(id, OrderState.MATCHED, new BigDecimal("10"), BigDecimal.ZERO, "FAK", null,
                "fills-audit: every trade FAILED");
        assertThat(moved).isFalse();
        assertThat(row(jdbc, "late-fill")).containsExactly("PARTIALLY_FILLED", "4", "2", "0.5");
    }

    static Fill fill(String trade, String order, String size, String price, Instant at) {
        return new Fill("polymarket", trade, 0, order, null, "0xacct", "market", "token", "YES", Side.BUY, new BigDecimal(price),
                new BigDecimal(size), "MAKER", TradeStatus.MATCHED, "taker-" + trade, at);
    }

    static List<String> row(JdbcTemplate jdbc, String clientOrderId) {
        return jdbc.queryForObject("SELECT state, COALESCE(filled_size, 0), COALESCE(filled_notional, 0), avg_fill_price FROM "
                + com.oddsgate.ledger.OrderLedger.ORDERS + " WHERE client_order_id = ?",
                (rs, i) -> java.util.Arrays.asList(rs.getString(1), plain(rs.getBigDecimal(2)), plain(rs.getBigDecimal(3)),
                        plain(rs.getBigDecimal(4))), clientOrderId);
    }

    static String plain(BigDecimal d) {
        return d == null ? null : d.stripTrailingZeros().toPlainString();
    }
}
