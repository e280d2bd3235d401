package com.oddsgate.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

import com.oddsgate.ledger.InFlightOrders;
import com.oddsgate.ledger.LedgerFaults;
import com.oddsgate.message.Flow;
import com.oddsgate.message.Json;
import com.oddsgate.risk.KillSwitch;

/**
 * {@code POST/DELETE/GET /api/kill-switch}: who asks ({@code X-Requested-By}) and why (a {@code reason}
 * query parameter or {@code {"reason"}} body) go into the ledger; the answers show the state.
 */
public class KillSwitchViews {

    private static final Logger LOG = LoggerFactory.getLogger(KillSwitchViews.class);

    private final KillSwitch killSwitch;
    private final Duration settle;

    /** @param settle how long a trip waits for submissions in flight to end before its second sweep */
    public KillSwitchViews(KillSwitch killSwitch, Duration settle) {
        this.killSwitch = killSwitch;
        this.settle = settle;
    }

    /** Trips the switch and leaves the message ready for {@code direct:cancel-orders} with {@code all=true}. */
    public void trip(Exchange exchange) {
        Message in = exchange.getIn();
        String by = who(in);
        KillSwitch.Trip trip = killSwitch.tripAndSweep(by, reason(in));
        endSweepWhenDone(exchange);
        exchange.setProperty(STATE, trip.state());
        exchange.setProperty(Flow.SWEEP_OF, trip.id()); // the row this trip wrote: its sweep stops at a re-arm written after it
        in.removeHeaders("*", "X-Requested-By");
        exchange.setProperty(BY, "kill-switch:" + BulkCancels.actor(by));
        in.setHeader("X-Requested-By", exchange.getProperty(BY));
        in.setHeader("all", "true");
        in.setBody(null);
        withoutLedgerIfUnwritten(exchange);
    }

    /**
     * A sweep for a trip the ledger has not taken goes without the ledger: it failed or hangs, and
     * every read there would first wait out its connection timeout while orders stay live at the venues.
     */
    private void withoutLedgerIfUnwritten(Exchange exchange) {
        if (killSwitch.unwritten() != null) {
            exchange.setProperty(Flow.LEDGER_FAILED, new AtomicReference<>("the kill switch's trip is not in the ledger yet,"
                    + " so the sweep went without it"));
        }
    }

    /**
     * Counts a sweep as under way if the switch is tripped (a re-arm waits for it) and sets
     * {@code oddsgateSweeping}; the sweep ends with the exchange, however it ends.
     */
    public void beginSweep(Exchange exchange) {
        boolean begun = killSwitch.beginSweep();
        exchange.setProperty(SWEEPING, begun);
        if (begun) {
            endSweepWhenDone(exchange);
            try {
                exchange.setProperty(Flow.SWEEP_OF, killSwitch.lastTripId());
            } catch (DataAccessException unreadable) {
                // Which trip it sweeps for is unknown: this period's sweep is skipped (ungated, it could land after a
                // re-arm elsewhere); the next period tries again.
                LOG.warn("kill-switch sweep skipped: the trip's id could not be read ({})", LedgerFaults.why(unreadable));
                exchange.setProperty(SWEEPING, false);
            }
        }
    }

    /** On completion, not a step: it runs when the exchange fails or is stopped too. */
    private void endSweepWhenDone(Exchange exchange) {
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                killSwitch.endSweep();
            }
        });
    }

    /** The message for one more sweep while tripped: {@code direct:cancel-orders} with {@code all=true}. */
    public void sweep(Exchange exchange) {
        Message in = exchange.getIn();
        in.removeHeaders("*");
        in.setHeader("X-Requested-By", "kill-switch:sweep");
        in.setHeader("all", "true");
        in.setBody(null);
        withoutLedgerIfUnwritten(exchange);
    }

    /**
     * After the first sweep: orders whose submission was already under way when the switch tripped
     * (a redelivery, a batch) may still reach a venue. Waits until none is in flight (at most
     * {@code settle}; placements past it are stopped by the switch itself), then readies a second sweep.
     */
    public void awaitInFlight(Exchange exchange) throws InterruptedException {
        exchange.setProperty(FIRST_SWEEP, exchange.getIn().getBody(String.class));
        long deadline = System.nanoTime() + settle.toNanos();
        while (!InFlightOrders.of(exchange.getContext()).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        // Always a second sweep (an order may have landed and ended during the first), unless the
        // switch was re-armed meanwhile: then orders placed since are the trader's again.
        boolean again = killSwitch.sweepStands(exchange);
        exchange.setProperty(SECOND_SWEEP, again);
        if (again) {
            // A fresh request for the cancels: the first sweep's ledger failure was its own.
            exchange.removeProperty(Flow.LEDGER_FAILED);
            withoutLedgerIfUnwritten(exchange);
            Message in = exchange.getIn();
            in.removeHeaders("*");
            in.setHeader("X-Requested-By", exchange.getProperty(BY, String.class));
            in.setHeader("all", "true");
            in.setBody(null);
        }
    }

    /** The first sweep failed as a whole: what it did is not known, so it counts as not all cancelled. */
    public void sweepFailed(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Map<String, Object> failed = new LinkedHashMap<>();
        failed.put("error", "the sweep failed: " + (e == null ? "unknown" : e.getMessage()));
        failed.put("notCanceled", 1);
        exchange.getIn().setBody(Json.write(failed));
    }

    /** After the cancels: the state and what every venue call cancelled (both sweeps). */
    public Map<String, Object> tripped(Exchange exchange) {
        Map<String, Object> out = ((KillSwitch.State) exchange.getProperty(STATE)).view();
        JsonNode first = Json.tryRead(exchange.getProperty(FIRST_SWEEP, String.class));
        JsonNode second = Boolean.TRUE.equals(exchange.getProperty(SECOND_SWEEP)) ? Json.tryRead(exchange.getIn().getBody(String.class))
                : null;
        // Did every venue call cancel what it was asked to? Not when one was unreachable or refused.
        out.put("allCancelled", clean(first) && (second == null || clean(second)));
        if (Long.valueOf(KillSwitch.UNWRITTEN).equals(exchange.getProperty(Flow.SWEEP_OF, Long.class))) {
            out.put("sweptWithoutLedger", true); // the trip was not in the ledger when its sweeps began
        }
        unwritten(out);
        out.put("cancels", first);
        if (second != null) {
            out.put("cancelsAfterInFlight", second);
        }
        return out;
    }

    private static boolean clean(JsonNode sweep) {
        return sweep != null && sweep.path("notCanceled").asInt(0) == 0;
    }

    static final String SWEEPING = "oddsgateSweeping";
    static final String FIRST_SWEEP = "oddsgateFirstSweep";
    static final String SECOND_SWEEP = "oddsgateSecondSweep";
    static final String BY = "oddsgateKillSwitchBy";

    public Map<String, Object> rearm(Exchange exchange) throws InterruptedException {
        Message in = exchange.getIn();
        return killSwitch.rearm(who(in), reason(in)).view();
    }

    public Map<String, Object> show() {
        Map<String, Object> out = new LinkedHashMap<>(killSwitch.state().view());
        out.put("sweepsUnderWay", killSwitch.sweeping());
        unwritten(out);
        try {
            out.put("history", killSwitch.history(20));
        } catch (DataAccessException unreadable) {
            out.put("history", List.of());
            out.put("historyError", "the ledger could not be read: " + LedgerFaults.why(unreadable));
        }
        return out;
    }

    /** A trip that stands in this gateway only, the ledger having failed it, says so. */
    private void unwritten(Map<String, Object> out) {
        if (killSwitch.unwritten() != null) {
            out.put("inLedger", false);
            out.put("warning", "the ledger could not be written: the switch is tripped in this gateway only (new orders refused,"
                    + " every venue swept) and is written to the ledger as soon as it takes writes again; until then other gateways"
                    + " on the ledger do not see it, and it cannot be re-armed");
        }
    }

    static final String STATE = "oddsgateKillSwitchState";

    private static String who(Message in) {
        String by = in.getHeader("X-Requested-By", String.class);
        return by == null || by.isBlank() ? "api" : BulkCancels.actor(by);
    }

    private static String reason(Message in) {
        String q = in.getHeader("reason", String.class);
        if (q != null && !q.isBlank()) {
            return q.trim();
        }
        JsonNode body = Json.tryRead(in.getBody(String.class));
        return body != null && body.hasNonNull("reason") ? body.get("reason").asText() : null;
    }
}
