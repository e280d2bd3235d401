package com.oddsgate.api;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.message.Json;
import com.oddsgate.risk.KillSwitch;

/**
 * {@code POST/DELETE/GET /api/kill-switch}: who asks ({@code X-Requested-By}) and why (a {@code reason}
 * query parameter or {@code {"reason"}} body) go into the ledger; the answers show the state.
 */
public class KillSwitchViews {

    private final KillSwitch killSwitch;

    public KillSwitchViews(KillSwitch killSwitch) {
        this.killSwitch = killSwitch;
    }

    /** Trips the switch and leaves the message ready for {@code direct:cancel-orders} with {@code all=true}. */
    public void trip(Exchange exchange) {
        Message in = exchange.getIn();
        String by = who(in);
        KillSwitch.State s = killSwitch.trip(by, reason(in));
        exchange.setProperty(STATE, s);
        in.removeHeaders("*", "X-Requested-By");
        in.setHeader("X-Requested-By", "kill-switch:" + BulkCancels.actor(by));
        in.setHeader("all", "true");
        in.setBody(null);
    }

    /** After the cancels: the state and what every venue call cancelled. */
    public void tripped(Exchange exchange) {
        Map<String, Object> out = ((KillSwitch.State) exchange.getProperty(STATE)).view();
        JsonNode cancels = Json.tryRead(exchange.getIn().getBody(String.class));
        out.put("cancels", cancels);
        Json.respond(exchange, 200, out);
    }

    public void rearm(Exchange exchange) {
        Message in = exchange.getIn();
        Json.respond(exchange, 200, killSwitch.rearm(who(in), reason(in)).view());
    }

    public void show(Exchange exchange) {
        Map<String, Object> out = new LinkedHashMap<>(killSwitch.state().view());
        out.put("history", killSwitch.history(20));
        Json.respond(exchange, 200, out);
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
