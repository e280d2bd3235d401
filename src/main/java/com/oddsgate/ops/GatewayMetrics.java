package com.oddsgate.ops;

import java.time.Duration;
import java.util.Locale;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import com.oddsgate.fills.FillBook;
import com.oddsgate.fills.PositionCheck;
import com.oddsgate.ledger.LedgerListener;
import com.oddsgate.order.OrderState;
import com.oddsgate.venue.VenueMetrics;

/**
 * The gateway's own meters (Prometheus at {@code /actuator/prometheus}): requests ingested by
 * source, state changes, rejections by who refused and which field, signing time and the venue
 * round trip by venue and outcome.
 */
public class GatewayMetrics implements LedgerListener, FillBook.Listener,
        VenueMetrics,
        PositionCheck.Listener {

    private final MeterRegistry registry;

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void recorded(String source) {
        ingested(source);
    }

    /** Counts the change; a change to REJECTED also counts who refused and, for the gateway, which field. */
    @Override
    public void moved(OrderState from, OrderState to, String source, String reason) {
        transition(to.name(), source);
        if (to == OrderState.REJECTED) {
            boolean venue = "polymarket".equals(source) || "kalshi".equals(source);
            String field = venue ? "venue" : reason == null || reason.indexOf(':') < 0 ? "none"
                    : reason.substring(0, reason.indexOf(':')).trim();
            rejected(venue ? "venue" : "gateway", field.length() > 30 ? "other" : field);
        }
    }

    /** Fills received, by venue, source and what they were: new, a status change, or a repeat. */
    @Override
    public void applied(String venue, String source, FillBook.Applied applied) {
        fills(venue, source, "new", applied.added());
        fills(venue, source, "advanced", applied.advanced());
        fills(venue, source, "repeat", applied.repeated());
    }

    private void fills(String venue, String source, String kind, int n) {
        if (n > 0) {
            Counter.builder("oddsgate.fills.received").description("fill messages applied to the fills ledger")
                    .tag("venue", tag(venue)).tag("source", tag(source)).tag("kind", kind).register(registry).increment(n);
        }
    }

    @Override
    public void mismatch(String venue) {
        Counter.builder("oddsgate.positions.mismatches").description("new disagreements between our positions and the venue's")
                .tag("venue", tag(venue)).register(registry).increment();
    }

    /** A fill source that failed (the next pass retries); never silent. */
    public void openOrderSyncFailed(String venue) {
        Counter.builder("oddsgate.orders.sync.failures").description("open-order syncs that failed")
                .tag("venue", tag(venue)).register(registry).increment();
    }

    /** An order the ledger had ended that the open-order sync found open at the venue: the ledger was wrong. */
    public void reopened(String venue) {
        Counter.builder("oddsgate.orders.reopened").description("orders the ledger had ended that the venue still held open")
                .tag("venue", tag(venue)).register(registry).increment();
    }

    @Override
    public void quarantined(String venue) {
        Counter.builder("oddsgate.fills.quarantined").description("trades or fills that could not be read or stored, kept as dead letters")
                .tag("venue", tag(venue)).register(registry).increment();
    }

    public void fillSourceFailed(String route) {
        Counter.builder("oddsgate.fills.source.failures").description("fill polls or messages that failed")
                .tag("route", tag(route)).register(registry).increment();
    }

    public void ingested(String source) {
        Counter.builder("oddsgate.orders.ingested").description("requests recorded, accepted or not")
                .tag("source", tag(source)).register(registry).increment();
    }

    public void transition(String to, String source) {
        Counter.builder("oddsgate.orders.transitions").description("order state changes").tag("to", tag(to))
                .tag("source", tag(source)).register(registry).increment();
    }

    /** @param by gateway or venue; {@code field} is the first violated field, or the venue's reason class */
    public void rejected(String by, String field) {
        Counter.builder("oddsgate.orders.rejected").description("orders refused").tag("by", tag(by))
                .tag("field", tag(field)).register(registry).increment();
    }

    @Override
    public void signed(String venue, Duration took) {
        Timer.builder("oddsgate.signing").description("building and signing one venue request").tag("venue", venue)
                .publishPercentiles(0.5, 0.99).register(registry).record(took);
    }

    @Override
    public void roundTrip(String venue, String outcome, Duration took) {
        roundTripTimer(venue, outcome).record(took);
    }

    Timer roundTripTimer(String venue, String outcome) {
        return Timer.builder("oddsgate.venue.round.trip").description("venue HTTP call, request to answer")
                .tag("venue", venue).tag("outcome", tag(outcome)).publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram().register(registry);
    }

    MeterRegistry registry() {
        return registry;
    }

    private static String tag(String v) {
        return v == null || v.isBlank() ? "none" : v.toLowerCase(Locale.ROOT);
    }
}
