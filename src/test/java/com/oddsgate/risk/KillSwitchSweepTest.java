package com.oddsgate.risk;

import static org.assertj.core.api.Assertions.assertThat;

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
 */
class KillSwitchSweepTest {

    private static KillSwitch killSwitch(Duration sweepWait) {
        DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:kill-sweep-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                "sa", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return new KillSwitch(new JdbcTemplate(ds), Clock.systemUTC(), Duration.ofSeconds(1), sweepWait);
    }

    @Test
    void aReArmWaitsForTheSweepUnderWayAndNoSweepStartsOnceArmed() throws Exception {
        KillSwitch k = killSwitch(Duration.ofSeconds(30));
        assertThat(k.beginSweep()).as("armed: no sweep").isFalse();
        k.trip("desk", "drill");
        assertThat(k.beginSweep()).isTrue();

        CompletableFuture<KillSwitch.State> rearm = CompletableFuture.supplyAsync(() -> rearm(k));
        Thread.sleep(300);
        assertThat(rearm).as("waits while the sweep is under way").isNotDone();
        assertThat(k.armed()).isFalse();

        k.endSweep();
        assertThat(rearm.get(5, TimeUnit.SECONDS).tripped()).isFalse();
        assertThat(k.armed()).isTrue();
        assertThat(k.beginSweep()).as("a sweep timed just before the re-arm does not start after it").isFalse();
    }

    @Test
    void aTripAskedForWhileAReArmWaitedStands() throws Exception {
        KillSwitch k = killSwitch(Duration.ofSeconds(30));
        k.trip("desk", "first");
        assertThat(k.beginSweep()).isTrue();
        CompletableFuture<KillSwitch.State> rearm = CompletableFuture.supplyAsync(() -> rearm(k));
        Thread.sleep(200);
        k.trip("desk", "second");
        k.endSweep();
        assertThat(rearm.get(5, TimeUnit.SECONDS).tripped()).as("the later request wins").isTrue();
        assertThat(k.armed()).isFalse();
    }

    @Test
    void aSweepThatNeverEndsHoldsTheReArmOnlyAsLongAsItsWait() throws Exception {
        KillSwitch k = killSwitch(Duration.ofMillis(300));
        k.trip("desk", "drill");
        assertThat(k.beginSweep()).isTrue();
        long from = System.nanoTime();
        assertThat(k.rearm("desk", "over").tripped()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - from)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
    }

    private static KillSwitch.State rearm(KillSwitch k) {
        try {
            return k.rearm("desk", "drill over");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
