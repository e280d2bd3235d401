package com.oddsgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import com.oddsgate.order.OrderState;
import com.oddsgate.order.VenueOutcome;

/** A venue answer read before the last fills (a lookup, a late placement answer) never takes a FILLED order back. */
class RecordOutcomeTest {

    /** MATCHED → LIVE is for its own failed trades to tell (OrderState.canBecomeByFills), never a venue's answer. */
    @Test
    void aRestingAnswerReadBeforeAMatchedOrdersFillsIsOnlyNoted() {
        OrderLedger ledger = ledgerWithOrder("polymarket", OrderState.MATCHED);

        assertThat(ledger.recordOutcome(1, new VenueOutcome(OrderState.LIVE, null, "venue status live", "{}"), "sync")).isFalse();
        assertThat(ledger.find(1).orElseThrow().state()).isEqualTo(OrderState.MATCHED);
    }

    /** A failed FOK/FAK that its fills moved on was not reopened by the sync: its repeated-reopen alarm does not count it. */
    @Test
    void aFailedOrderMovedOnByItsFillsIsNoReopen() {
        OrderLedger ledger = ledgerWithOrder("polymarket", OrderState.FAILED);
        assertThat(ledger.moveIfStill(1, OrderState.FAILED, OrderState.PARTIALLY_FILLED, "fills", "filled 4 of 10")).isTrue();
        assertThat(ledger.reopenedBefore(1)).isZero();
    }

    @Test
    void aStalePartlyFilledAnswerAfterTheFillsCompletedTheOrderIsOnlyNoted() {
        OrderLedger ledger = ledgerWithOrder("kalshi", OrderState.FILLED);

        boolean moved = ledger.recordOutcome(1, new VenueOutcome(OrderState.PARTIALLY_FILLED, "k-venue-1",
                "found at the venue by client_order_id: resting, 4 of 10 filled", "{}"), "recovery");

        assertThat(moved).isFalse();
        assertThat(ledger.find(1).orElseThrow().state()).isEqualTo(OrderState.FILLED);
        assertThat(ledger.find(1).orElseThrow().venueOrderId()).as("what the answer does tell is kept").isEqualTo("k-venue-1");
        assertThat(ledger.events(1)).anyMatch(e -> e.detail().contains("after its fills arrived"));
    }

    /** A ledger of its own holding order 1 (size 10) of the venue, in the state. */
    private static OrderLedger ledgerWithOrder(String venue, OrderState state) {
        DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:outcome-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                "sa", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        Timestamp now = Timestamp.from(Instant.now());
        jdbc.update("INSERT INTO orders (id, client_order_id, source, venue, size, state, created_at, updated_at) VALUES"
                + " (1, 'o1', 'rest', ?, 10, ?, ?, ?)", venue, state.name(), now, now);
        return new OrderLedger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(ds)), Clock.systemUTC(), LedgerListener.NONE);
    }
}
