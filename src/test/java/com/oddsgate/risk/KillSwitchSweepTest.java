package com.oddsgate.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

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
        return new KillSwitch(new JdbcTemplate(ds), Clock.systemUTC(), Duration.ofSeconds(1), sweepWait);
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
}
