package com.oddsgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import com.oddsgate.MutableClock;

/**
 * Two gateways on one ledger: each resolves its own unresolved orders; the other's only once that
 * one's lease has run out, and then exactly one survivor takes each order over.
 */
class InstanceLeaseTest {

    @Test
    void anInstancesOrdersAreLeftToItWhileItsLeaseHoldsAndTakenOverOnceWhenItIsGone() {
        DriverManagerDataSource ds = freshLedger();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        Instant t0 = Instant.parse("2026-11-30T00:00:00Z");
        MutableClock clock = new MutableClock(t0);
        InstanceLease a = new InstanceLease(jdbc, clock, "gw-a", Duration.ofSeconds(30));
        InstanceLease b = new InstanceLease(jdbc, clock, "gw-b", Duration.ofSeconds(30));
        InstanceLease c = new InstanceLease(jdbc, clock, "gw-c", Duration.ofSeconds(30));
        a.renew();
        b.renew();
        c.renew();
        for (int i = 1; i <= 4; i++) {
            jdbc.update("INSERT INTO orders (id, client_order_id, source, venue, state, created_at, updated_at, owner)"
                    + " VALUES (?, ?, 'rest', 'polymarket', 'UNKNOWN', ?, ?, ?)", i, "c" + i, java.sql.Timestamp.from(t0),
                    java.sql.Timestamp.from(t0), i <= 2 ? "gw-a" : "gw-b");
        }
        OrderLedger ledger = new OrderLedger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(ds)), clock,
                LedgerListener.NONE);
        clock.now = t0.plusSeconds(10);
        assertThat(due(ledger, clock, b)).as("b: its own only, a is alive").containsExactly(3L, 4L);
        assertThat(due(ledger, clock, a)).as("a: its own").containsExactly(1L, 2L);

        // a stops renewing; b and c go on. Once a's lease has run out, its orders go to one survivor each.
        clock.now = t0.plusSeconds(45);
        b.renew();
        c.renew();
        List<Long> toB = due(ledger, clock, b);
        List<Long> toC = due(ledger, clock, c);
        assertThat(toB).contains(1L, 2L, 3L, 4L);
        assertThat(toC).as("taken over by b already, and b is alive").isEmpty();
        assertThat(jdbc.queryForList("SELECT DISTINCT owner FROM orders", String.class)).containsExactly("gw-b");
        assertThat(b.describe()).containsEntry("lease:gw-a", "gone").containsEntry("lease:gw-b", "alive");
    }

    @Test
    void onlyTheLeaderTakesOverAndALiveInstancesReceivedOrdersAreLeftToIt() {
        DriverManagerDataSource ds = freshLedger();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        Instant t0 = Instant.parse("2026-11-30T00:00:00Z");
        MutableClock clock = new MutableClock(t0);
        InstanceLease a = new InstanceLease(jdbc, clock, "gw-a", Duration.ofSeconds(30));
        boolean[] bLeads = {false};
        List<Integer> live = new ArrayList<>();
        InstanceLease b = new InstanceLease(jdbc, clock, "gw-b", Duration.ofSeconds(30)).takesOverWhen(() -> bLeads[0])
                .onLiveCount(live::add);
        a.renew();
        b.renew();
        assertThat(live).as("both leases hold").containsExactly(2);
        OrderLedger ledger = new OrderLedger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(ds)), clock,
                LedgerListener.NONE);
        clock.now = t0.plusSeconds(5);
        RecoveryScan scanB = new RecoveryScan(ledger, clock, Duration.ZERO, Duration.ofMinutes(5), Set::of);
        scanB.sharedBy(b);
        // a records orders after b started: one it is still signing (RECEIVED), one whose answer was lost.
        clock.now = t0.plusSeconds(10);
        insert(jdbc, 1, "RECEIVED", "gw-a", clock.now);
        insert(jdbc, 2, "UNKNOWN", "gw-a", clock.now);
        clock.now = t0.plusSeconds(20);
        assertThat(scanB.closeInterrupted()).as("a is alive: its RECEIVED order is in its hands").isZero();
        assertThat(ids(scanB)).isEmpty();

        // a is gone, but b does not lead: nothing is taken over, by b at least.
        clock.now = t0.plusSeconds(60);
        b.renew();
        assertThat(live).last().isEqualTo(1);
        assertThat(scanB.closeInterrupted()).isZero();
        assertThat(ids(scanB)).isEmpty();
        assertThat(jdbc.queryForList("SELECT DISTINCT owner FROM orders", String.class)).containsExactly("gw-a");

        // b leads now: it takes both over; the unsigned one is closed as never sent.
        bLeads[0] = true;
        assertThat(scanB.closeInterrupted()).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT state FROM orders WHERE id = 1", String.class)).isEqualTo("REJECTED");
        assertThat(ids(scanB)).containsExactly(2L);
        assertThat(jdbc.queryForList("SELECT DISTINCT owner FROM orders", String.class)).containsExactly("gw-b");
    }

    @Test
    void anInstanceWhoseRenewalLapsedLetsGoAndATakeoverRacingARenewalLoses() {
        DriverManagerDataSource ds = freshLedger();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        Instant t0 = Instant.parse("2026-11-30T00:00:00Z");
        MutableClock clock = new MutableClock(t0);
        long[] ticks = {0};
        InstanceLease a = new InstanceLease(jdbc, clock, "gw-a", Duration.ofSeconds(30), () -> ticks[0]);
        InstanceLease b = new InstanceLease(jdbc, clock, "gw-b", Duration.ofSeconds(30), () -> ticks[0]);
        assertThat(a.holds()).as("never renewed").isFalse();
        a.renew();
        b.renew();
        insert(jdbc, 1, "UNKNOWN", "gw-a", t0);
        OrderRecord order = new OrderLedger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(ds)), clock,
                LedgerListener.NONE).find(1).orElseThrow();
        assertThat(a.claim(order)).isTrue();
        a.gatePlacement();

        // a stalls (a pause, an unreachable ledger) for 21 s, more than two thirds of its lease: it lets go
        // by itself, before anyone else may take its orders (30 s by the ledger's clock).
        ticks[0] += Duration.ofSeconds(21).toNanos();
        assertThat(a.holds()).isFalse();
        assertThat(a.claim(order)).as("a resolves nothing while it may be taken over").isFalse();
        assertThatThrownBy(a::gatePlacement).isInstanceOf(InstanceLease.LeaseLapsed.class);
        assertThatThrownBy(() -> a.fenceResend(null, order)).isInstanceOf(InstanceLease.LeaseLapsed.class);
        assertThat(a.fenceResend("held", order)).as("only a re-send is fenced").isEqualTo("held");

        // By the ledger's clock a's lease has run out; b (renewed, leading) is about to take over,
        // but a renews first: the takeover's one UPDATE sees the fresh lease and changes nothing.
        clock.now = t0.plusSeconds(31);
        b.renew();
        a.renew();
        assertThat(b.claim(order)).isFalse();
        assertThat(a.claim(order)).isTrue();
        // a gone for good: b takes it over, and a (were it to wake) finds it is not its own any more.
        clock.now = t0.plusSeconds(70);
        ticks[0] += Duration.ofSeconds(1).toNanos();
        b.renew();
        assertThat(b.claim(order)).isTrue();
        assertThat(a.stillOwns(order)).isFalse();
        assertThatThrownBy(() -> a.claimForRecovery(order)).isInstanceOf(InstanceLease.LeaseLapsed.class);
        assertThatThrownBy(() -> a.fenceRecord("not at the venue", order)).as("nor records what it found before")
                .isInstanceOf(InstanceLease.LeaseLapsed.class);
        assertThat(b.fenceRecord("resting", order)).isEqualTo("resting");
    }

    @Test
    void aSecondProcessWithTheSameInstanceIdDisplacesTheFirstWhichStopsActing() {
        DriverManagerDataSource ds = freshLedger();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        MutableClock clock = new MutableClock(Instant.parse("2026-11-30T00:00:00Z"));
        InstanceLease first = new InstanceLease(jdbc, clock, "gw-a", Duration.ofSeconds(30)).guardsId(true);
        first.renew();
        first.renew();
        assertThat(first.holds()).isTrue();
        // The same id started again elsewhere (one deployment with two replicas, or a restart while this one lives).
        InstanceLease second = new InstanceLease(jdbc, clock, "gw-a", Duration.ofSeconds(30)).guardsId(true);
        second.renew();
        first.renew();
        assertThat(first.displaced()).contains("another process started with instance id gw-a");
        assertThat(first.holds()).as("the older process stops acting on orders").isFalse();
        assertThatThrownBy(first::gatePlacement).isInstanceOf(InstanceLease.LeaseLapsed.class);
        assertThat(first.describe()).containsKey("displaced");
        second.renew();
        assertThat(second.holds()).as("the newer one goes on").isTrue();
        assertThat(second.displaced()).isNull();
    }

    @Test
    void manyReceivedOrdersOfALiveInstanceDoNotHideThisInstancesInterruptedOnes() {
        DriverManagerDataSource ds = freshLedger();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        Instant t0 = Instant.parse("2026-11-30T00:00:00Z");
        MutableClock clock = new MutableClock(t0);
        InstanceLease a = new InstanceLease(jdbc, clock, "gw-a", Duration.ofSeconds(30));
        InstanceLease b = new InstanceLease(jdbc, clock, "gw-b", Duration.ofSeconds(30));
        a.renew();
        b.renew();
        for (int i = 1; i <= 250; i++) {
            insert(jdbc, i, "RECEIVED", "gw-a", t0); // a, alive, is still signing these
        }
        insert(jdbc, 251, "RECEIVED", "gw-b", t0); // b's own, from before b's restart: never signed
        clock.now = t0.plusSeconds(5);
        RecoveryScan scanB = new RecoveryScan(new OrderLedger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(ds)),
                clock, LedgerListener.NONE), clock, Duration.ZERO, Duration.ofMinutes(5), Set::of);
        scanB.sharedBy(b);
        clock.now = t0.plusSeconds(10);
        assertThat(scanB.closeInterrupted()).as("read past a's 250, a page at a time").isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT state FROM orders WHERE id = 251", String.class)).isEqualTo("REJECTED");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM orders WHERE owner = 'gw-a' AND state = 'RECEIVED'", Integer.class))
                .isEqualTo(250);
    }

    /** An empty ledger of its own (in-memory H2, every migration applied). */
    private static DriverManagerDataSource freshLedger() {
        DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:lease-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return ds;
    }

    private static void insert(JdbcTemplate jdbc, long id, String state, String owner, Instant at) {
        jdbc.update("INSERT INTO orders (id, client_order_id, source, venue, state, created_at, updated_at, owner)"
                + " VALUES (?, ?, 'rest', 'polymarket', ?, ?, ?, ?)", id, "c" + id, state, java.sql.Timestamp.from(at),
                java.sql.Timestamp.from(at), owner);
    }

    private static List<Long> ids(RecoveryScan scan) {
        List<Long> ids = new ArrayList<>();
        scan.due().forEach(r -> ids.add(r.id()));
        return ids;
    }

    private static List<Long> due(OrderLedger ledger, Clock clock, InstanceLease lease) {
        RecoveryScan scan = new RecoveryScan(ledger, clock, Duration.ZERO, Duration.ofMinutes(5), Set::of);
        scan.sharedBy(lease);
        List<Long> ids = new ArrayList<>();
        scan.due().forEach(r -> ids.add(r.id()));
        return ids;
    }
}
