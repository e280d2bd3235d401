package com.oddsgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * V16 (a Java migration, H2 only): the ledger's busy tables hand out ids from a cache of 1,000, so
 * H2 does not write its whole store every 32 rows; ids still follow the order they were given in.
 */
class IdentityCacheMigrationTest {

    @Test
    void theBusyTablesCacheAThousandIdsAndIdsStillFollowTheirOrder() {
        DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:v16-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        List<String> cached = jdbc.queryForList("SELECT LOWER(TABLE_NAME) FROM INFORMATION_SCHEMA.COLUMNS WHERE IS_IDENTITY = 'YES'"
                + " AND IDENTITY_CACHE = 1000 ORDER BY 1", String.class);
        assertThat(cached).containsExactly("dead_letters", "fills", "order_events", "orders");

        for (int i = 0; i < 40; i++) {
            jdbc.update("INSERT INTO orders (client_order_id, source, state, created_at, updated_at)"
                    + " VALUES (?, 'rest', 'RECEIVED', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", "c-" + i);
        }
        // One after the other, without gaps, across the old cache's block of 32.
        assertThat(jdbc.queryForList("SELECT id FROM orders ORDER BY created_at, id", Long.class))
                .isEqualTo(java.util.stream.LongStream.rangeClosed(1, 40).boxed().toList());
    }
}
