package com.oddsgate.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import com.oddsgate.message.ApiRefusal;
import com.oddsgate.message.Flow;

/**
 * A sweep (cancel everything at every venue) starts only while tripped, and a re-arm waits for the
 * sweeps under way: one that reached the venue after the re-arm would cancel the orders placed since.
 * A trip written while a re-arm waited — by any gateway on the ledger — stands.
 */
class KillSwitchSweepTest {

    private static DriverManagerDataSource ledger() {
        DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:kill-sweep-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                "sa", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return ds;
    }

    private static KillSwitch killSwitch(DriverManagerDataSource ds, Duration sweepWait) {
        return new KillSwitch(new JdbcTemplate(ds), Clock.systemUTC(), Duration.ofSeconds(1), sweepWait, Duration.ofSeconds(2));
    }

    /** A re-arm on a thread of its own, returned once that thread waits for the sweeps under way. */
    private static CompletableFuture<KillSwitch.State> waitingRearm(KillSwitch k) {
        CompletableFuture<KillSwitch.State> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(k.rearm("desk", "drill over"));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        t.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> t.getState() == Thread.State.TIMED_WAITING);
        return result;
    }

    @Test
    void aReArmWaitsForTheSweepUnderWayAndNoSweepStartsOnceArmed() throws Exception {
        KillSwitch k = killSwitch(ledger(), Duration.ofSeconds(30));
        assertThat(k.beginSweep()).as("armed: no sweep").isFalse();
        KillSwitch.Trip trip = k.tripAndSweep("desk", "drill");
        assertThat(trip.state().tripped()).isTrue();
        assertThat(trip.id()).as("the row it wrote, known without reading it back").isEqualTo(k.lastTripId()).isPositive();
        assertThat(k.beginSweep()).as("the periodic sweep while tripped").isTrue();
        assertThat(k.sweeping()).isEqualTo(2);

        CompletableFuture<KillSwitch.State> rearm = waitingRearm(k);
        k.endSweep();
        Thread.sleep(100);
        assertThat(rearm).as("one sweep still under way").isNotDone();
        assertThat(k.armed()).isFalse();

        k.endSweep();
        assertThat(rearm.get(5, TimeUnit.SECONDS).tripped()).isFalse();
        assertThat(k.armed()).isTrue();
        assertThat(k.beginSweep()).as("a sweep timed just before the re-arm does not start after it").isFalse();
        assertThat(k.sweeping()).isZero();
    }

    @Test
    void aTripWrittenByAnotherGatewayWhileAReArmWaitedStands() throws Exception {
        DriverManagerDataSource ds = ledger();
        KillSwitch here = killSwitch(ds, Duration.ofSeconds(30));
        KillSwitch there = killSwitch(ds, Duration.ofSeconds(30));
        here.tripAndSweep("desk", "first");
        CompletableFuture<KillSwitch.State> rearm = waitingRearm(here);
        there.trip("other-desk", "second");
        here.endSweep();
        KillSwitch.State answered = rearm.get(5, TimeUnit.SECONDS);
        assertThat(answered.tripped()).as("the later request wins").isTrue();
        assertThat(answered.reason()).isEqualTo("second");
        assertThat(here.current().tripped()).isTrue();
        assertThat(here.history(10)).extracting(m -> m.get("action")).containsExactly("TRIPPED", "TRIPPED");
    }

    @Test
    void aSweepThatNeverEndsHoldsTheReArmOnlyAsLongAsItsWait() throws Exception {
        KillSwitch k = killSwitch(ledger(), Duration.ofMillis(300));
        k.tripAndSweep("desk", "drill");
        long from = System.nanoTime();
        assertThat(k.rearm("desk", "over").tripped()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - from)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(k.armed()).isTrue();
    }

    /** A ledger whose connections fail while {@code down} is set, and wait while {@code hung} is. */
    private static final class FailingLedger extends DriverManagerDataSource {
        volatile boolean down;
        volatile boolean hung;
        /** Callers waiting in the hang right now. */
        final AtomicInteger waiting = new AtomicInteger();

        FailingLedger(DriverManagerDataSource migrated) {
            super(migrated.getUrl(), "sa", "");
        }

        @Override
        protected Connection getConnectionFromDriverManager(String url, Properties props) throws SQLException {
            waiting.incrementAndGet();
            try {
                while (hung) {
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new SQLTransientConnectionException("interrupted");
                    }
                }
            } finally {
                waiting.decrementAndGet();
            }
            if (down) {
                throw new SQLTransientConnectionException("the ledger is down");
            }
            return super.getConnectionFromDriverManager(url, props);
        }
    }

    private static KillSwitch quick(FailingLedger ds) {
        return new KillSwitch(new JdbcTemplate(ds), Clock.systemUTC(), Duration.ofMillis(200), Duration.ofSeconds(30),
                Duration.ofSeconds(1));
    }

    @Test
    void aTripTheLedgerFailsStandsHereIsWrittenLaterAndItsSweepStopsOnlyAtAReArmAfterThat() throws Exception {
        FailingLedger ds = new FailingLedger(ledger());
        KillSwitch k = quick(ds);
        ds.down = true;
        KillSwitch.Trip trip = k.tripAndSweep("desk", "ledger gone");
        assertThat(trip.state().tripped()).isTrue();
        assertThat(trip.id()).isEqualTo(KillSwitch.UNWRITTEN);
        assertThat(k.unwritten()).isEqualTo(trip.state());
        assertThat(k.state().tripped()).as("read without the ledger").isTrue();
        assertThat(k.current().tripped()).isTrue();
        assertThat(k.lastTripId()).isEqualTo(KillSwitch.UNWRITTEN);
        Exchange sweep = new DefaultExchange(new DefaultCamelContext());
        sweep.setProperty(Flow.SWEEP_OF, trip.id());
        assertThat(k.sweepStands(sweep)).isTrue();
        k.gateCancel(sweep); // goes out: no re-arm can come before the trip is written
        assertThatThrownBy(() -> k.rearm("desk", "too soon")).isInstanceOf(ApiRefusal.class)
                .satisfies(e -> assertThat(((ApiRefusal) e).getStatus()).isEqualTo(503));
        Thread.sleep(500);
        assertThat(k.unwritten()).as("still down: still unwritten, after the writer's retries").isNotNull();
        k.endSweep();

        ds.down = false;
        await().atMost(Duration.ofSeconds(5)).until(() -> k.unwritten() == null);
        assertThat(k.history(5)).extracting(m -> m.get("action")).containsExactly("TRIPPED");
        assertThat((String) k.history(1).get(0).get("reason")).startsWith("ledger gone (tripped at " + trip.state().at());
        KillSwitch.State row = k.current();
        assertThat(row.tripped()).isTrue();
        assertThat(row.at()).as("the row's time is its write's: orders placed elsewhere before it count as placed before the trip")
                .isAfter(trip.state().at());
        k.gateCancel(sweep); // still tripped: goes out
        assertThat(k.sweepStands(sweep)).isTrue();
        assertThat(k.rearm("desk", "over").tripped()).isFalse();
        assertThatThrownBy(() -> k.gateCancel(sweep)).as("re-armed after the trip was written: the old sweep stops")
                .isInstanceOf(KillSwitch.SweepOvertaken.class);
        assertThat(k.sweepStands(sweep)).isFalse();
        ds.down = true;
        assertThatThrownBy(() -> k.gateCancel(sweep)).as("this gateway's own re-arm is known without the ledger")
                .isInstanceOf(KillSwitch.SweepOvertaken.class);
        assertThat(k.sweepStands(sweep)).isFalse();
        k.close();
    }

    @Test
    void aLedgerThatHangsHoldsTheTripBackOnlyForItsWaitAndTripsAreWrittenInTheOrderAsked() throws Exception {
        FailingLedger ds = new FailingLedger(ledger());
        KillSwitch k = quick(ds);
        ds.hung = true;
        long from = System.nanoTime();
        KillSwitch.Trip first = k.tripAndSweep("desk", "first");
        assertThat(Duration.ofNanos(System.nanoTime() - from)).as("the trip's wait, not the ledger's").isLessThan(Duration.ofSeconds(3));
        assertThat(first.id()).isEqualTo(KillSwitch.UNWRITTEN);
        KillSwitch.Trip second = k.tripAndSweep("desk", "second");
        assertThat(second.id()).isEqualTo(KillSwitch.UNWRITTEN);
        assertThat(k.state()).as("the newest trip is the state").isEqualTo(second.state());
        // Sweep bookkeeping is not held up by the hung write either.
        k.endSweep();
        k.endSweep();
        assertThat(k.sweeping()).isZero();

        ds.hung = false;
        await().atMost(Duration.ofSeconds(5)).until(() -> k.unwritten() == null);
        assertThat(k.history(5)).extracting(m -> (String) m.get("reason")).satisfiesExactly(
                r -> assertThat(r).startsWith("second"), r -> assertThat(r).startsWith("first"));
        assertThat(k.current().reason()).startsWith("second");
        KillSwitch.Trip third = k.tripAndSweep("desk", "third");
        assertThat(third.id()).as("a ledger that answers: written before the trip returns").isEqualTo(k.lastTripId()).isPositive();
        assertThat(third.state()).isEqualTo(k.current());
        k.endSweep();
        k.close();
    }

    @Test
    void aTripIsNotHeldUpByAReArmWaitingOnAHungLedgerAndStandsAgainstIt() throws Exception {
        FailingLedger ds = new FailingLedger(ledger());
        KillSwitch k = quick(ds);
        k.tripAndSweep("desk", "earlier");
        k.endSweep();
        ds.hung = true;
        CompletableFuture<KillSwitch.State> rearm = CompletableFuture.supplyAsync(() -> {
            try {
                return k.rearm("desk", "asked before the trip");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> ds.waiting.get() > 0); // the re-arm is in the ledger's hands
        long from = System.nanoTime();
        KillSwitch.Trip trip = k.tripAndSweep("desk", "asked after the re-arm");
        assertThat(Duration.ofNanos(System.nanoTime() - from)).isLessThan(Duration.ofSeconds(3));
        assertThat(k.state().tripped()).isTrue();
        assertThat(k.beginSweep()).as("the periodic sweep starts too").isTrue();
        k.endSweep();
        k.endSweep();
        assertThat(trip.id()).isEqualTo(KillSwitch.UNWRITTEN);

        ds.hung = false;
        assertThat(rearm.get(10, TimeUnit.SECONDS).tripped()).as("the later request wins").isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> k.unwritten() == null);
        assertThat(k.current().tripped()).isTrue();
        assertThat(k.history(5)).extracting(m -> m.get("action")).doesNotContain("REARMED");
        k.close();
    }
}
