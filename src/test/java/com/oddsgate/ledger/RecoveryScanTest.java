package com.oddsgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import com.oddsgate.order.OrderState;
import com.oddsgate.order.VenueOutcome;

/**
 * A recovery pass reaches every unresolved order, however many stay unresolved pass after pass (no
 * starvation behind the oldest page), and leaves out the orders still being submitted here.
 */
class RecoveryScanTest {

    @Test
    void aPassReadsEveryUnresolvedOrderPageByPageAndSkipsThoseInFlight() {
        DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:scan-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        Instant earlier = Instant.parse("2026-11-30T00:00:00Z");
        for (int i = 1; i <= 450; i++) {
            jdbc.update("INSERT INTO orders (id, client_order_id, source, venue, state, created_at, updated_at)"
                    + " VALUES (?, ?, 'rest', 'kalshi', ?, ?, ?)", i, "c" + i, i % 2 == 0 ? "UNKNOWN" : "PENDING_SUBMIT",
                    java.sql.Timestamp.from(earlier), java.sql.Timestamp.from(earlier));
        }
        jdbc.update("UPDATE orders SET state = 'LIVE' WHERE id = 300");
        Clock clock = Clock.fixed(earlier.plus(Duration.ofHours(1)), ZoneOffset.UTC);
        OrderLedger ledger = new OrderLedger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(ds)), clock,
                LedgerListener.NONE);
        RecoveryScan scan = new RecoveryScan(ledger, clock, Duration.ofSeconds(60), Duration.ofMinutes(5),
                () -> Set.of(7L, 401L));

        List<Long> ids = new ArrayList<>();
        scan.due().forEach(r -> ids.add(r.id()));

        assertThat(ids).hasSize(447).doesNotContain(7L, 300L, 401L).contains(1L, 200L, 201L, 399L, 450L);
        assertThat(ids).isSorted();
    }

    /**
     * "Gone without trading" is concluded only once the order is older than min-age (review): a cancel
     * of a young order whose re-send was answered "Duplicated" recovered it at once and answered it
     * CANCELED while its match's trades were not listed yet.
     */
    @Test
    void aYoungOrderFoundNeitherOpenNorTradedStaysUnknownUntilMinAge() {
        Instant now = Instant.parse("2026-12-07T12:00:00Z");
        RecoveryScan scan = new RecoveryScan(null, Clock.fixed(now, ZoneOffset.UTC), Duration.ofSeconds(60), Duration.ofMinutes(5),
                Set::of);
        VenueOutcome gone = new VenueOutcome(OrderState.CANCELED, "0xh", "held (duplicated), neither open nor traded", null);
        VenueOutcome young = scan.notYetGone(gone, record(now.minusSeconds(5)));
        assertThat(young.state()).isEqualTo(OrderState.UNKNOWN);
        assertThat(young.reason()).contains("looked up again once older than 60 s", "held (duplicated)");
        assertThat(scan.notYetGone(gone, record(now.minusSeconds(61)))).isSameAs(gone);
        VenueOutcome live = new VenueOutcome(OrderState.LIVE, "0xh", "open", null);
        assertThat(scan.notYetGone(live, record(now.minusSeconds(5)))).isSameAs(live);
        assertThat(scan.notYetGone(null, record(now.minusSeconds(5)))).as("not held: re-sent").isNull();
    }

    private static OrderRecord record(Instant created) {
        return new OrderRecord(1L, "c-1", "rest", "polymarket", "m", "t", null, null, null, null, null, null, null, false, false,
                OrderState.UNKNOWN, null, "0xh", null, null, created, created, null, null, null, null);
    }

    @Test
    void aRefusedReSendEndsCanceledNotRejectedAndOtherAnswersPassThrough() {
        VenueOutcome refused = new VenueOutcome(OrderState.REJECTED, null,
                "insufficient_balance", "{}");
        VenueOutcome after = RecoveryScan.afterRefusedResend(refused);
        assertThat(after.state()).as("an earlier attempt may have traded: not final").isEqualTo(OrderState.CANCELED);
        assertThat(after.reason()).contains("re-send was refused (insufficient_balance)", RecoveryScan.NOT_PLACED_OR_CANCELLED);
        VenueOutcome live = new VenueOutcome(OrderState.LIVE, "k1", "resting", "{}");
        assertThat(RecoveryScan.afterRefusedResend(live)).isSameAs(live);
        assertThat(RecoveryScan.afterRefusedResend(null)).isNull();
    }
}
