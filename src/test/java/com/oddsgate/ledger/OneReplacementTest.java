package com.oddsgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Clock;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import com.oddsgate.order.CanonicalOrder;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.OrderType;
import com.oddsgate.order.Outcome;
import com.oddsgate.order.Side;
import com.oddsgate.order.TimeInForce;

/**
 * An order is replaced once: a second amend's replacement (another clientOrderId, as two gateway
 * instances amending the same order at once would record it) is not a second order but a duplicate
 * of the first replacement, so nothing more is sent. V15 keeps the link of a second replacement
 * recorded before the rule in its history.
 */
class OneReplacementTest {

    static DriverManagerDataSource ledger(String name, String target) {
        DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:" + name + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target(target).load().migrate();
        return ds;
    }

    static OrderTicket replacement(String clientOrderId) {
        OrderTicket t = new OrderTicket("api-amend", "{}", null);
        t.setOrder(new CanonicalOrder("polymarket", "0xc", "111", Outcome.YES, Side.BUY, new BigDecimal("0.21"), BigDecimal.TEN,
                OrderType.LIMIT, TimeInForce.GTC, null, false, false, clientOrderId));
        t.setReplacesOrderId(1000L);
        return t;
    }

    @Test
    void aSecondReplacementOfOneOrderIsADuplicateOfTheFirst() {
        DriverManagerDataSource ds = ledger("one-replacement-", "latest");
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.update("INSERT INTO orders (id, client_order_id, source, venue, state, created_at, updated_at)"
                + " VALUES (1000, 'orig', 'rest', 'polymarket', 'CANCELED', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        OrderLedger ledger = new OrderLedger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(ds)), Clock.systemUTC(),
                LedgerListener.NONE);

        OrderTicket first = ledger.recordReceived(replacement("amend-a"));
        OrderTicket second = ledger.recordReceived(replacement("amend-b"));

        assertThat(first.isDuplicate()).isFalse();
        assertThat(second.isDuplicate()).as("nothing of it is sent").isTrue();
        assertThat(second.getOrderId()).isEqualTo(first.getOrderId());
        assertThat(jdbc.queryForList("SELECT client_order_id FROM orders WHERE replaces_order_id = 1000", String.class))
                .containsExactly("amend-a");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM orders WHERE client_order_id = 'amend-b'", Integer.class)).isZero();
        assertThat(jdbc.queryForList("SELECT detail FROM order_events WHERE order_id = ?", String.class, first.getOrderId()))
                .anyMatch(d -> d != null && d.contains("another amend of order 1000") && d.contains("amend-b"));
    }

    @Test
    void aSecondReplacementRecordedBeforeTheRuleKeepsItsLinkInItsHistory() {
        DriverManagerDataSource ds = ledger("v15-", "14");
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        for (Object[] o : new Object[][] {{1, "orig", null}, {2, "a", 1}, {3, "b", 1}, {4, "other", null}, {5, "c", 4}}) {
            jdbc.update("INSERT INTO orders (id, client_order_id, source, venue, state, replaces_order_id, created_at, updated_at)"
                    + " VALUES (?, ?, 'rest', 'polymarket', 'LIVE', ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", o);
        }

        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();

        assertThat(jdbc.queryForList("SELECT id FROM orders WHERE replaces_order_id IS NOT NULL ORDER BY id", Long.class))
                .containsExactly(2L, 5L);
        assertThat(jdbc.queryForList("SELECT detail FROM order_events WHERE order_id = 3", String.class))
                .containsExactly("replaced order 1 after another replacement of it; link kept here only");
    }
}
