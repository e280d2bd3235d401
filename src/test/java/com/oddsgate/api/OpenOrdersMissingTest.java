package com.oddsgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import com.oddsgate.MutableClock;
import com.oddsgate.ledger.LedgerListener;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.order.VenueOutcome;
import com.oddsgate.polymarket.protocol.PolymarketRecovery;

/**
 * A Polymarket order off the venue's book with no trade listed may have been cancelled, or matched a
 * moment ago with its trades not listed yet: the open-order sync takes it for cancelled only at a look
 * at least min-age after the first (a sync's or a cancel's, written in the ledger so that any instance
 * or the next leader judges by it), each look timed when it is made (review: a sync queued behind
 * another compared their start times), and one found on the book again starts afresh.
 */
class OpenOrdersMissingTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T12:00:00Z"));
    final Set<String> open = new HashSet<>();
    JdbcTemplate jdbc;
    OrderLedger ledger;
    OpenOrders sync;

    @BeforeEach
    void ledger() {
        DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:missing-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(ds).load().migrate();
        jdbc = new JdbcTemplate(ds);
        ledger = new OrderLedger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(ds)), clock, LedgerListener.NONE);
        PolymarketRecovery venue = new PolymarketRecovery(null, null, null, null, null, null, null) {
            @Override
            public Set<String> openOrderHashes() {
                return new HashSet<>(open); // the sync takes its own orders off it
            }

            @Override
            public VenueOutcome lookup(OrderRecord order) {
                return null; // neither open nor traded
            }
        };
        sync = new OpenOrders(ledger, venue, null, null, clock, Duration.ofSeconds(60));
        Timestamp earlier = Timestamp.from(clock.now.minus(Duration.ofHours(1)));
        jdbc.update("INSERT INTO orders (id, client_order_id, source, venue, market, state, order_hash, size, created_at, updated_at)"
                + " VALUES (1, 'm-1', 'rest', 'polymarket', 'm', 'LIVE', '0xaa', 5, ?, ?)", earlier, earlier);
    }

    private String syncAt(Duration after) {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        sync.begin(e);
        clock.now = clock.now.plus(after);
        sync.polymarket(e);
        return jdbc.queryForObject("SELECT state FROM orders WHERE id = 1", String.class);
    }

    @Test
    void takenForCancelledOnlyAtALookMinAgeAfterTheFirst() {
        assertThat(syncAt(Duration.ZERO)).as("first look").isEqualTo("LIVE");
        assertThat(syncAt(Duration.ofSeconds(30))).as("30 s on").isEqualTo("LIVE");
        assertThat(syncAt(Duration.ofSeconds(31))).as("61 s after the first look").isEqualTo("CANCELED");
        assertThat(jdbc.queryForObject("SELECT reason FROM orders WHERE id = 1", String.class)).contains("two looks 61 s apart");
    }

    @Test
    void aLookIsTimedWhenItIsMadeNotWhenItsSyncBegan() {
        assertThat(syncAt(Duration.ofSeconds(50))).as("begun at 0, looked at 50").isEqualTo("LIVE");
        // The next sync begins 60 s after the first began, and looks 15 s after the first look: not min-age.
        clock.now = clock.now.plus(Duration.ofSeconds(10));
        assertThat(syncAt(Duration.ofSeconds(5))).as("begun at 60, looked at 65").isEqualTo("LIVE");
        assertThat(syncAt(Duration.ofSeconds(45))).as("looked at 110: 60 s after the first look").isEqualTo("CANCELED");
    }

    /**
     * A cancel kept as asked for an order in question (off the book, cancelled or matched the venue
     * could not say) is not sent again while it is in question; found on the book again, it is due.
     */
    @Test
    void anAskedCancelIsDueOnlyOnceTheOrderIsFoundOnTheBookAgain() {
        assertThat(ledger.askCancelResting(1, "api-cancel:desk", "cancel kept as asked")).isTrue();
        assertThat(ledger.askCancelResting(1, "api-cancel:desk", "cancel kept as asked")).as("noted once").isFalse();
        ledger.sawMissing(1);
        assertThat(ledger.syncCancelsDue()).as("in question: the sync decides").doesNotContain(1L);
        open.add("0xaa");
        clock.now = clock.now.plus(Duration.ofSeconds(1));
        assertThat(syncAt(Duration.ofSeconds(5))).isEqualTo("LIVE");
        assertThat(ledger.syncCancelsDue()).as("resting after all: cancelled by the sync").containsExactly(1L);
    }

    @Test
    void aCancelsLookCountsAsTheFirstAndOneOnTheBookAgainStartsAfresh() {
        ledger.sawMissing(1); // a cancel's lookup: off the book, cancelled or matched it could not say
        open.add("0xaa");
        clock.now = clock.now.plus(Duration.ofSeconds(1));
        assertThat(syncAt(Duration.ofSeconds(70))).as("listed again").isEqualTo("LIVE");
        assertThat(jdbc.queryForObject("SELECT missing_since FROM orders WHERE id = 1", Timestamp.class)).isNull();
        open.clear();
        assertThat(syncAt(Duration.ZERO)).as("off the book again: a first look").isEqualTo("LIVE");
        ledger.sawMissing(1); // a later look keeps the first
        assertThat(syncAt(Duration.ofSeconds(60))).isEqualTo("CANCELED");
    }
}
