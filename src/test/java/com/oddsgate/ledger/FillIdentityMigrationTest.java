package com.oddsgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * V4 and V14: a ledger written when Polymarket fills were keyed with their bucket is folded to (trade id,
 * our order id), and the orders' filled sizes are summed again, so an upgrade never counts a fill twice.
 * V17: the sums move to a table of their own, unchanged.
 */
class FillIdentityMigrationTest {

    @Test
    void fillsStoredUnderSeveralBucketsAreFoldedAndOrdersSummedAgain() {
        DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:v4-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("3").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.update("INSERT INTO orders (id, client_order_id, source, venue, state, filled_size, created_at, updated_at)"
                + " VALUES (1, 'a', 'rest', 'polymarket', 'PARTIALLY_FILLED', 7, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        jdbc.update("INSERT INTO orders (id, client_order_id, source, venue, state, filled_size, created_at, updated_at)"
                + " VALUES (2, 'k', 'rest', 'kalshi', 'PARTIALLY_FILLED', 5, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        // t1 seen over the WebSocket (bucket 0) and by polling (bucket 1): counted twice (3 + 3) before V4.
        fill(jdbc, "polymarket", "t1", 0, "0xa", 1, "3");
        fill(jdbc, "polymarket", "t1", 1, "0xa", 1, "3");
        // t2 stored under bucket 2 only; Kalshi rows are left as they are.
        fill(jdbc, "polymarket", "t2", 2, "0xa", 1, "1");
        fill(jdbc, "kalshi", "k1", 1, "k-1", 2, "5");

        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();

        assertThat(jdbc.queryForList("SELECT trade_id || '/' || bucket_index FROM fills WHERE venue = 'polymarket' ORDER BY trade_id",
                String.class)).containsExactly("t1/0", "t2/0");
        assertThat(jdbc.queryForObject("SELECT COALESCE(filled_size, 0) FROM " + OrderLedger.ORDERS + " WHERE id = 1", java.math.BigDecimal.class))
                .isEqualByComparingTo("4");
        assertThat(jdbc.queryForObject("SELECT bucket_index FROM fills WHERE venue = 'kalshi'", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COALESCE(filled_size, 0) FROM " + OrderLedger.ORDERS + " WHERE id = 2", java.math.BigDecimal.class))
                .isEqualByComparingTo("5");
    }

    /** V14: the running sums start from what the fills that count add up to (FAILED ones not). */
    @Test
    void ordersGetTheirFilledSumsFromTheirFillsThatCount() {
        DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:v14-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("13").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.update("INSERT INTO orders (id, client_order_id, source, venue, state, filled_size, created_at, updated_at)"
                + " VALUES (1, 'a', 'rest', 'polymarket', 'PARTIALLY_FILLED', 7, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        jdbc.update("INSERT INTO orders (id, client_order_id, source, venue, state, filled_size, created_at, updated_at)"
                + " VALUES (2, 'b', 'rest', 'polymarket', 'LIVE', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        fill(jdbc, "polymarket", "t1", 0, "0xa", 1, "3");
        fill(jdbc, "polymarket", "t2", 0, "0xa", 1, "2");
        fill(jdbc, "polymarket", "t3", 0, "0xa", 1, "9");
        jdbc.update("UPDATE fills SET status = 'FAILED', price = 0.25 WHERE trade_id = 't3'");
        jdbc.update("UPDATE fills SET price = 0.4 WHERE trade_id = 't2'");

        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();

        // 3 x 0.5 + 2 x 0.4; the failed 9 counts for nothing (the stale 7 is summed again to 5).
        assertThat(jdbc.queryForObject("SELECT COALESCE(filled_notional, 0) FROM " + OrderLedger.ORDERS + " WHERE id = 1", java.math.BigDecimal.class))
                .isEqualByComparingTo("2.3");
        assertThat(jdbc.queryForObject("SELECT COALESCE(filled_size, 0) FROM " + OrderLedger.ORDERS + " WHERE id = 1", java.math.BigDecimal.class))
                .isEqualByComparingTo("5");
        assertThat(jdbc.queryForObject("SELECT COALESCE(filled_notional, 0) FROM " + OrderLedger.ORDERS + " WHERE id = 2", java.math.BigDecimal.class)).isZero();
    }

    /** V17: every order's sums move, as they were, to order_fills; an order without fills gets no row. */
    @Test
    void theSumsMoveToTheirOwnTableAsTheyWere() {
        DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:v17-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("16").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.update("INSERT INTO orders (id, client_order_id, source, venue, state, filled_size, filled_notional, avg_fill_price,"
                + " created_at, updated_at) VALUES (1, 'a', 'rest', 'polymarket', 'PARTIALLY_FILLED', 5, 2.3, 0.46, CURRENT_TIMESTAMP,"
                + " TIMESTAMP WITH TIME ZONE '2026-12-01 10:00:00+00')");
        jdbc.update("INSERT INTO orders (id, client_order_id, source, venue, state, created_at, updated_at)"
                + " VALUES (2, 'b', 'rest', 'polymarket', 'LIVE', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        // Every fill of c failed: its sums are 0, and its row keeps that it had fills.
        jdbc.update("INSERT INTO orders (id, client_order_id, source, venue, state, created_at, updated_at)"
                + " VALUES (3, 'c', 'rest', 'polymarket', 'LIVE', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        fill(jdbc, "polymarket", "t9", 0, "0xc", 3, "2");
        jdbc.update("UPDATE fills SET status = 'FAILED' WHERE trade_id = 't9'");

        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();

        assertThat(jdbc.query("SELECT order_id, filled_size, filled_notional, avg_fill_price FROM order_fills ORDER BY order_id",
                (rs, i) -> rs.getLong(1) + ":" + plain(rs.getBigDecimal(2)) + ":" + plain(rs.getBigDecimal(3)) + ":"
                        + plain(rs.getBigDecimal(4)))).containsExactly("1:5:2.3:0.46", "3:0:0:null");
        assertThat(jdbc.queryForObject("SELECT filled_at FROM order_fills WHERE order_id = 1", java.time.OffsetDateTime.class))
                .isEqualTo(java.time.OffsetDateTime.parse("2026-12-01T10:00:00Z"));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS WHERE LOWER(TABLE_NAME) = 'orders'"
                + " AND LOWER(COLUMN_NAME) IN ('filled_size', 'filled_notional', 'avg_fill_price')", Integer.class)).isZero();
    }

    private static String plain(java.math.BigDecimal d) {
        return d == null ? "null" : d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }

    private static void fill(JdbcTemplate jdbc, String venue, String trade, int bucket, String venueOrder, long orderId, String size) {
        jdbc.update("INSERT INTO fills (venue, trade_id, bucket_index, venue_order_id, order_id, account, token_id, side, price,"
                + " size, status, match_group, matched_at, first_source, deliveries, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, 'acct', 'tok', 'BUY', 0.5, ?, 'MATCHED', 'g', CURRENT_TIMESTAMP, 'polling', 1,"
                + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", venue, trade, bucket, venueOrder, orderId, new java.math.BigDecimal(size));
    }
}
