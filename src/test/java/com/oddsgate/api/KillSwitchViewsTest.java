package com.oddsgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

import com.oddsgate.message.Flow;
import com.oddsgate.risk.KillSwitch;

/** A trip sweeps for the row it wrote; a periodic sweep that cannot tell which trip it serves waits. */
class KillSwitchViewsTest {

    static Exchange exchange() {
        return new DefaultExchange(new DefaultCamelContext());
    }

    @Test
    void aTripsSweepIsForTheRowTheTripWroteNotAReadBackThatCouldFailOrSeeALaterTrip() {
        KillSwitch ks = mock(KillSwitch.class);
        when(ks.tripAndSweep(any(), any())).thenReturn(new KillSwitch.Trip(new KillSwitch.State(true, "desk", Instant.now(), "test"), 42));
        when(ks.lastTripId()).thenThrow(new DataAccessResourceFailureException("ledger away"));
        Exchange e = exchange();
        new KillSwitchViews(ks, Duration.ZERO).trip(e);
        assertThat(e.getIn().getHeader("all")).isEqualTo("true");
        assertThat(e.getProperty(Flow.SWEEP_OF)).as("gated by its own trip").isEqualTo(42L);
        verify(ks, never()).lastTripId();
    }

    @Test
    void aPeriodicSweepThatCannotTellItsTripIsSkipped() {
        KillSwitch ks = mock(KillSwitch.class);
        when(ks.beginSweep()).thenReturn(true);
        when(ks.lastTripId()).thenThrow(new DataAccessResourceFailureException("ledger away"));
        Exchange e = exchange();
        new KillSwitchViews(ks, Duration.ZERO).beginSweep(e);
        assertThat(e.getProperty(KillSwitchViews.SWEEPING, Boolean.class)).isFalse();
    }
}
