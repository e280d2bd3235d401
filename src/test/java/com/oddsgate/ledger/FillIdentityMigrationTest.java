package com.oddsgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * V4 and V14: a ledger written when Polymarket fills were keyed with their bucket is folded to (trade id,
 * our order id), and the orders' filled sizes are summed again, so an upgrade never counts a fill twice.
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
        assertThat(jdbc.queryForObject("SELECT filled_size FROM orders WHERE id = 1", java.math.BigDecimal.class))
                .isEqualByComparingTo("4");
        assertThat(jdbc.queryForObject("SELECT bucket_index FROM fills WHERE venue = 'kalshi'", Integer.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT filled_size FROM orders WHERE id = 2", java.math.BigDecimal.class))
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
        assertThat(jdbc.queryForObject("SELECT filled_notional FROM orders WHERE id = 1", java.math.BigDecimal.class))
                .isEqualByComparingTo("2.3");
        assertThat(jdbc.queryForObject("SELECT filled_size FROM orders WHERE id = 1", java.math.BigDecimal.class))
                .isEqualByComparingTo("5");
        assertThat(jdbc.queryForObject("SELECT filled_notional FROM orders WHERE id = 2", java.math.BigDecimal.class)).isZero();
    }

    private static void fill(JdbcTemplate jdbc, String venue, String trade, int bucket, String venueOrder, long orderId, String size) {
        jdbc.update("INSERT INTO fills (venue, trade_id, bucket_index, venue_order_id, order_id, account, token_id, side, price,"
                + " size, status, match_group, matched_at, first_source, deliveries, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, 'acct', 'tok', 'BUY', 0.5, ?, 'MATCHED', 'g', CURRENT_TIMESTAMP, 'polling', 1,"
                + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", venue, trade, bucket, venueOrder, orderId, new java.math.BigDecimal(size));
    }
}
