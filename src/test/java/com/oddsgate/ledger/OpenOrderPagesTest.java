package com.oddsgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/** The open-order sync's walk of the ledger: the open orders, page by page, reading those and not the ended ones. */
class OpenOrderPagesTest {

    private static final String[] OPEN = {"LIVE", "DELAYED", "PARTIALLY_FILLED"};
    private final Instant now = Instant.parse("2026-12-07T07:00:00Z");
    private final DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:pages-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
            "sa", "");
    private final JdbcTemplate jdbc = new JdbcTemplate(ds);
    private final OrderLedger ledger;
    private final List<Long> openAtPolymarket = new ArrayList<>();

    OpenOrderPagesTest() {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        ledger = new OrderLedger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(ds)), Clock.fixed(now, ZoneOffset.UTC),
                LedgerListener.NONE);
        // A ledger that has lived: 3,000 orders, one in ten still open (the three resting states in turn), the rest ended.
        for (long id = 1; id <= 3_000; id++) {
            boolean open = id % 10 == 0;
            String venue = id % 7 == 0 ? "kalshi" : "polymarket";
            String state = open ? OPEN[(int) (id / 10 % 3)] : id % 2 == 0 ? "CANCELED" : "MATCHED";
            jdbc.update("INSERT INTO orders (id, client_order_id, source, venue, state, created_at, updated_at) VALUES (?, ?, 'rest', ?, ?, ?, ?)",
                    id, "c" + id, venue, state, Timestamp.from(now), Timestamp.from(now));
            if (open && venue.equals("polymarket")) {
                openAtPolymarket.add(id);
            }
        }
    }

    @Test
    void theWalkReturnsEachOpenOrderOfTheVenueOnceInIdOrder() {
        List<Long> walked = new ArrayList<>();
        long after = 0;
        for (List<OrderRecord> page = ledger.openAfter("polymarket", after, 7); !page.isEmpty();
                page = page.size() < 7 ? List.of() : ledger.openAfter("polymarket", after, 7)) {
            assertThat(page).hasSizeLessThanOrEqualTo(7);
            after = page.get(page.size() - 1).id();
            page.forEach(r -> walked.add(r.id()));
        }
        assertThat(walked).isSortedAccordingTo(Long::compare).containsExactlyElementsOf(openAtPolymarket);
        assertThat(openAtPolymarket).hasSizeGreaterThan(200);
    }

    @Test
    void aPageReadsTheOpenOrdersNotEveryOrderTheVenueHad() {
        // H2's own count of the rows each table's cursor read for one page of 7.
        String plan = jdbc.queryForObject("EXPLAIN ANALYZE " + OrderLedger.OPEN_AFTER, String.class,
                "polymarket", 0L, 7, "polymarket", 0L, 7, "polymarket", 0L, 7, 7);
        int scanned = 0;
        Matcher m = Pattern.compile("FROM PUBLIC\\.ORDERS\\s.*?scanCount: (\\d+)", Pattern.DOTALL).matcher(plan);
        while (m.find()) {
            scanned += Integer.parseInt(m.group(1));
        }
        // At most a page (+1) per resting state, of 2,572 Polymarket orders of which 258 are open.
        assertThat(scanned).as(plan).isPositive().isLessThanOrEqualTo(3 * 8);
    }

    @Test
    void theLooksThatFoundOrdersMissingAreReadForOpenOrdersOnly() {
        long open = openAtPolymarket.get(3);
        jdbc.update("UPDATE orders SET missing_since = ? WHERE id IN (?, 11, 13)", Timestamp.from(now), open); // 11, 13 ended
        assertThat(ledger.missingSince("polymarket")).containsOnlyKeys(open);
    }
}
