package com.oddsgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import com.oddsgate.message.Flow;
import com.oddsgate.message.VenueAttempts;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.VenueOutcome;

/**
 * A cancel asked for an order whose answer is unknown is the ledger's word, whichever instance asked:
 * no placement send passes it (refused before any attempt left — a venue batch's orders all
 * REJECTED then —, held for recovery after one did), recovery sends nothing again, and it is cancelled once found resting.
 */
class CancelAsksTest {

    private final Instant now = Instant.parse("2026-12-07T07:00:00Z");
    private final DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:asks-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
            "sa", "");
    private final JdbcTemplate jdbc = new JdbcTemplate(ds);
    private final OrderLedger ledger;

    CancelAsksTest() {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        ledger = new OrderLedger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(ds)), Clock.fixed(now, ZoneOffset.UTC),
                LedgerListener.NONE);
        for (long id = 1; id <= 4; id++) {
            jdbc.update("INSERT INTO orders (id, client_order_id, source, venue, state, created_at, updated_at) VALUES (?, ?, 'rest',"
                    + " 'polymarket', ?, ?, ?)", id, "c" + id, id == 4 ? "LIVE" : id == 3 ? "PENDING_SUBMIT" : "UNKNOWN",
                    Timestamp.from(now), Timestamp.from(now));
        }
    }

    private Exchange placing(Long orderId) {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.setProperty(Flow.ORDER_ID, orderId);
        return e;
    }

    private static OrderTicket ticket(long orderId) {
        OrderTicket t = new OrderTicket("rest", null, null);
        t.setOrderId(orderId);
        return t;
    }

    private Exchange batch(OrderTicket... tickets) {
        Exchange e = placing(null);
        e.setProperty(Flow.BATCH, List.of(tickets));
        return e;
    }

    @Test
    void aCancelAskedIsWrittenOnlyForAnUnresolvedOrderAndNotedInItsHistory() {
        assertThat(ledger.askCancel(1, "api-cancel:desk", "cancel asked")).isTrue();
        assertThat(ledger.askCancel(3, "api-cancel:desk", "cancel asked")).isTrue();
        assertThat(ledger.askCancel(4, "api-cancel:desk", "cancel asked")).as("LIVE: cancelled as it is, nothing to hold back").isFalse();
        assertThat(ledger.cancelAskedAmong(List.of(1L, 2L, 3L, 4L))).containsExactlyInAnyOrder(1L, 3L);
        assertThat(ledger.events(1)).anyMatch(ev -> "api-cancel:desk".equals(ev.source()) && "cancel asked".equals(ev.detail()));
        assertThat(ledger.events(4)).noneMatch(ev -> "api-cancel:desk".equals(ev.source()));
    }

    @Test
    void noPlacementSendPassesACancelAskedFromAnyInstance() {
        ledger.askCancel(1, "api-cancel:other-instance", "cancel asked");
        CancelAsks gate = new CancelAsks(ledger, Clock.systemUTC(), Duration.ofSeconds(60));

        gate.gatePlacement(placing(2L)); // not asked: it goes
        assertThatThrownBy(() -> gate.gatePlacement(placing(1L))).as("nothing left yet: a refusal, nothing at the venue")
                .isInstanceOf(OrderRejectedException.class).hasMessageContaining("a cancel was asked for order [1]");
        Exchange redelivery = placing(1L);
        VenueAttempts.leaving(redelivery); // an earlier attempt left, its answer lost
        assertThatThrownBy(() -> gate.gatePlacement(redelivery)).as("it may have landed: held for recovery")
                .isInstanceOf(CancelAsks.Withdrawn.class);
        OrderTicket other = ticket(2L);
        OrderTicket asked = ticket(1L);
        assertThatThrownBy(() -> gate.gatePlacement(batch(other, asked))).isInstanceOf(CancelAsks.Withdrawn.class);
        Exchange otherBatch = placing(null);
        otherBatch.setProperty(Flow.BATCH, List.of(other));
        otherBatch.setProperty(Flow.BATCH_TICKETS, List.of(other, asked)); // the request's other venue batch holds the asked one
        gate.gatePlacement(otherBatch);
    }

    @Test
    void aRequestsFirstSendLeavesWithinItsDeadlineOrNotAtAll() {
        Instant sending = Instant.parse("2026-12-07T12:01:01Z");
        CancelAsks gate = new CancelAsks(ledger, Clock.fixed(sending, ZoneOffset.UTC), Duration.ofSeconds(60));
        Exchange onTime = placing(3L);
        gate.arrived(onTime);
        assertThat(onTime.getProperty(Flow.ARRIVED, Instant.class)).isEqualTo(sending);
        onTime.setProperty(Flow.ARRIVED, sending.minusSeconds(60)); // arrived a minute before this send
        gate.arrived(onTime); // an amend's replacement entering the intake: its amend's arrival counts
        assertThat(onTime.getProperty(Flow.ARRIVED, Instant.class)).isEqualTo(sending.minusSeconds(60));
        gate.gatePlacement(onTime); // at the deadline: it goes
        Exchange late = placing(3L);
        late.setProperty(Flow.ARRIVED, sending.minusSeconds(61));
        assertThatThrownBy(() -> gate.gatePlacement(late)).as("later: refused, nothing at the venue")
                .isInstanceOf(OrderRejectedException.class).hasMessageContaining("61 s after the request arrived");
        VenueAttempts.leaving(late); // an attempt that left may have landed: its redeliveries resolve it, the same bytes
        gate.gatePlacement(late);
        gate.gatePlacement(placing(3L)); // a recovery's or a replay's send: no request waits for it
        Exchange lateBatch = placing(null); // a batch request's venue batch: its own arrival counts
        lateBatch.setProperty(Flow.BATCH, List.of(ticket(3L)));
        lateBatch.setProperty(Flow.ARRIVED, sending.minusSeconds(61));
        assertThatThrownBy(() -> gate.gatePlacement(lateBatch)).isInstanceOf(OrderRejectedException.class);
    }

    @Test
    void noPlacementSendPassesForAnOrderAnotherInstanceTookOverAndTheDeadLetterWritesNothingOnIt() {
        ledger.ownedBy("instance-a");
        jdbc.update("UPDATE orders SET owner = 'instance-a' WHERE id IN (2, 3, 4)");
        jdbc.update("UPDATE orders SET owner = 'instance-b' WHERE id = 1"); // B's recovery took it over while A's lease lapsed
        CancelAsks gate = new CancelAsks(ledger, Clock.systemUTC(), Duration.ofSeconds(60));

        gate.gatePlacement(placing(3L)); // PENDING_SUBMIT, A's: it goes
        gate.gatePlacement(placing(2L)); // UNKNOWN, A's (a recovery's re-send): it goes
        gate.gatePlacement(placing(4L)); // A's, moved on by its fills or the user channel meanwhile: the same bytes go ("Duplicated")
        assertThatThrownBy(() -> gate.gatePlacement(placing(1L))).as("B's now: B settles it")
                .isInstanceOf(CancelAsks.Withdrawn.class).hasMessageContaining("1 (UNKNOWN, owner instance-b)");
        assertThatThrownBy(() -> gate.gatePlacement(batch(ticket(2L), ticket(1L)))).isInstanceOf(CancelAsks.Withdrawn.class);
        jdbc.update("UPDATE orders SET owner = NULL WHERE id = 2"); // recorded before instances had owners
        gate.gatePlacement(placing(2L));

        // A's request for B's order ends in the dead-letter route: recorded there, nothing written on the order.
        jdbc.update("UPDATE orders SET owner = 'instance-b', state = 'PENDING_SUBMIT' WHERE id = 3");
        Exchange withdrawn = placing(3L);
        withdrawn.setProperty(Exchange.EXCEPTION_CAUGHT, new CancelAsks.Withdrawn("taken over"));
        new DeadLetters(jdbc, ledger, Clock.fixed(now, ZoneOffset.UTC)).record(withdrawn);
        assertThat(ledger.find(3).orElseThrow().state()).as("B's to settle").isEqualTo(OrderState.PENDING_SUBMIT);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM dead_letters WHERE order_id = 3", Integer.class)).isEqualTo(1);
        assertThat(withdrawn.getProperty(Flow.HTTP_STATUS)).isEqualTo(502);
        assertThat(ledger.heldElsewhere(2)).as("no owner").isFalse();
        assertThat(ledger.heldElsewhere(4)).isFalse();
    }

    @Test
    void recoverySendsNothingAgainOnceACancelWasAskedAndCancelsItFoundResting() {
        ledger.askCancel(1, "api-cancel:desk", "cancel asked");
        RecoveryScan scan = new RecoveryScan(ledger, Clock.fixed(now.plusSeconds(61), ZoneOffset.UTC), Duration.ofSeconds(60), Duration.ofMinutes(5), Set::of);
        OrderRecord one = ledger.find(1).orElseThrow();
        OrderRecord two = ledger.find(2).orElseThrow();

        RecoveryScan patient = new RecoveryScan(ledger, Clock.fixed(now.plusSeconds(20), ZoneOffset.UTC), Duration.ofSeconds(60),
                Duration.ofMinutes(5), Set::of);
        VenueOutcome young = patient.cancelAsked(null, one);
        assertThat(young.state()).as("not found 20 s after it was sent: its trades may trail; not concluded yet")
                .isEqualTo(OrderState.UNKNOWN);
        assertThat(young.reason()).contains("not sent again");
        VenueOutcome notHeld = scan.cancelAsked(null, one);
        assertThat(notHeld.state()).isEqualTo(OrderState.CANCELED);
        assertThat(notHeld.reason()).contains("not sent again", RecoveryScan.NOT_PLACED_OR_CANCELLED);
        assertThat(scan.cancelAsked(null, two)).as("not asked: re-sent (the same bytes)").isNull();
        VenueOutcome held = new VenueOutcome(OrderState.LIVE, null, "found at the venue by order hash", "{}");
        assertThat(scan.cancelAsked(held, one)).isSameAs(held);

        ledger.recordOutcome(1, held, "recovery");
        assertThat(scan.cancelDue(1)).as("found resting: cancelled now").isTrue();
        assertThat(scan.cancelDue(4)).as("resting, nobody asked").isFalse();
        assertThat(ledger.syncCancelsDue()).as("and by every sync until it has left the book").containsExactly(1L);
        ledger.recordOutcome(1, new VenueOutcome(OrderState.CANCELED, null, "canceled at the venue", "{}"), "api-cancel:recovery");
        assertThat(ledger.syncCancelsDue()).isEmpty();
        assertThat(scan.stillUnresolved(one)).as("a pass's stale record: nothing to recover").isNull();
        assertThat(scan.stillUnresolved(two)).isNotNull();
    }
}
