package com.oddsgate.risk;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.VenueOutcome;

/**
 * One switch that stops all trading: while tripped, every new order is refused (503, recorded) and
 * no Polymarket heartbeat is sent; the trip itself also cancels every open order at both venues
 * (routes/kill-switch.camel.yaml). Every trip and re-arm is kept in the ledger with who asked and
 * why; the last one is the state, so every gateway on the same ledger sees it (read at most once
 * per {@code refresh}).
 */
public class KillSwitch {

    /** The switch as the ledger holds it. */
    public record State(boolean tripped, String by, Instant at, String reason) {
        static final State ARMED = new State(false, null, null, null);

        public Map<String, Object> view() {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("state", tripped ? "TRIPPED" : "ARMED");
            v.put("by", by);
            v.put("at", at == null ? null : at.toString());
            v.put("reason", reason);
            return v;
        }
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration refresh;
    private volatile State cached;
    private volatile Instant readAt = Instant.MIN;

    public KillSwitch(JdbcTemplate jdbc, Clock clock, Duration refresh) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.refresh = refresh;
    }

    public State state() {
        Instant now = clock.instant();
        if (cached == null || readAt.plus(refresh).isBefore(now)) {
            cached = jdbc.query("SELECT action, requested_by, at, reason FROM kill_switch_events ORDER BY id DESC LIMIT 1",
                    (rs, i) -> new State("TRIPPED".equals(rs.getString(1)), rs.getString(2), rs.getTimestamp(3).toInstant(),
                            rs.getString(4))).stream().findFirst().orElse(State.ARMED);
            readAt = now;
        }
        return cached;
    }

    public boolean armed() {
        return !state().tripped();
    }

    /** Refuses every new order while tripped (503: nothing was sent; the request stays recorded). */
    public void admit() {
        State s = state();
        if (s.tripped()) {
            throw new OrderRejectedException("killSwitch", "the kill switch was tripped at " + s.at() + " by " + s.by()
                    + (s.reason() == null ? "" : " (" + s.reason() + ")") + ": no new orders until it is re-armed", 503);
        }
    }

    /**
     * Recovery, after the venue said it does not hold an order: while tripped, nothing is sent again
     * (REJECTED, nothing at the venue); otherwise the venue's answer passes through.
     */
    public VenueOutcome holdBack(VenueOutcome venue, OrderRecord order) {
        if (venue != null || armed()) {
            return venue;
        }
        State s = state();
        return new VenueOutcome(OrderState.REJECTED, null, "not at the venue, and not sent again: the kill switch was tripped"
                + " at " + s.at() + " by " + s.by(), null);
    }

    public State trip(String by, String reason) {
        return record("TRIPPED", by, reason);
    }

    public State rearm(String by, String reason) {
        return record("REARMED", by, reason);
    }

    private synchronized State record(String action, String by, String reason) {
        Instant now = clock.instant();
        String who = by == null || by.isBlank() ? "api" : by.length() > 64 ? by.substring(0, 64) : by;
        String why = reason == null || reason.isBlank() ? null : reason.length() > 500 ? reason.substring(0, 500) : reason;
        jdbc.update("INSERT INTO kill_switch_events (at, action, requested_by, reason) VALUES (?,?,?,?)", Timestamp.from(now),
                action, who, why);
        cached = null;
        return state();
    }

    /** The latest trips and re-arms, newest first. */
    public List<Map<String, Object>> history(int limit) {
        return jdbc.query("SELECT at, action, requested_by, reason FROM kill_switch_events ORDER BY id DESC LIMIT ?", (rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", rs.getTimestamp(1).toInstant().toString());
            m.put("action", rs.getString(2));
            m.put("by", rs.getString(3));
            m.put("reason", rs.getString(4));
            return m;
        }, limit);
    }
}
