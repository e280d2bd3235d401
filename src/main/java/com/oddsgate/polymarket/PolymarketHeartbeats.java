package com.oddsgate.polymarket;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.venue.JsonHttp;
import com.oddsgate.venue.RetryableVenueException;

/**
 * The venue's dead-man switch: {@code POST /v1/heartbeats} on a timer (the official client's path),
 * the first carrying {@code ""} and each next one the id the previous answer gave. A {@code 400}
 * that names a {@code heartbeat_id} is a resynchronisation, not a failure: the beat is sent again at
 * once with that id. Both documented answers count as alive: {@code {"heartbeat_id":…}} and
 * {@code {"status":"ok"}}. If heartbeats stop, the venue cancels every open order; so while they fail
 * the gateway refuses new orders (HTTP 503 with the reason) and reports itself DOWN, until one succeeds.
 */
public class PolymarketHeartbeats {

    private static final Logger LOG = LoggerFactory.getLogger(PolymarketHeartbeats.class);
    static final String PATH = "/v1/heartbeats";

    private final PolymarketAccount account;
    private final PolymarketSettings settings;
    private final JsonHttp http;
    private final Clock clock;
    private final boolean enabled;
    private volatile String heartbeatId = "";
    private volatile long resyncs;
    private volatile Instant lastSuccess;
    private volatile Instant failingSince;
    private volatile String failure;
    private volatile long beats;
    private volatile long failures;
    private volatile boolean recovered;
    private Consumer<Instant> publish = since -> { };
    private Supplier<Instant> failingElsewhere = () -> null;

    public PolymarketHeartbeats(PolymarketAccount account, PolymarketSettings settings, JsonHttp http, Clock clock, boolean enabled) {
        this.account = account;
        this.settings = settings;
        this.http = http;
        this.clock = clock;
        this.enabled = enabled;
    }

    /**
     * With several gateways on one account only the leader beats: it publishes when its heartbeats
     * start and stop failing, and every instance refuses new orders while they fail there.
     */
    public PolymarketHeartbeats sharedThrough(Consumer<Instant> publish, Supplier<Instant> failingElsewhere) {
        this.publish = publish;
        this.failingElsewhere = failingElsewhere;
        return this;
    }

    /** This instance no longer beats (another one leads): its own failure, if any, is not the account's any more. */
    public synchronized void standDown() {
        if (failingSince != null) {
            failingSince = null;
            failure = null;
            publish.accept(null);
        }
    }

    /** One heartbeat; a failure (transport or refusal) flips the gateway to refusing new orders. */
    public void beat() {
        String why;
        try {
            JsonHttp.Response r = send();
            if (r.status() == 400 && r.json() != null && r.json().hasNonNull("heartbeat_id")) {
                // The venue says which id it expects (e.g. after a restart): resynchronise and beat again.
                resyncs++;
                heartbeatId = r.json().get("heartbeat_id").asText();
                recovered = true; // the chain broke: the venue may have cancelled our open orders, so they are synced
                r = send();
            }
            if (r.ok() && r.json() != null && (r.json().hasNonNull("heartbeat_id") || "ok".equalsIgnoreCase(r.json().path("status").asText()))) {
                succeeded(r.json().hasNonNull("heartbeat_id") ? r.json().get("heartbeat_id").asText() : heartbeatId);
                return;
            }
            if (r.status() == 400) {
                heartbeatId = ""; // the chain broke and the venue named no id: the next beat starts a new one
            }
            why = "HTTP " + r.status() + (r.body() == null ? "" : " " + r.body());
        } catch (RetryableVenueException e) {
            why = e.getMessage();
        }
        failed(why);
    }

    private JsonHttp.Response send() {
        byte[] body = ("{\"heartbeat_id\":\"" + heartbeatId.replaceAll("[^-\\w]", "") + "\"}").getBytes(StandardCharsets.UTF_8);
        return http.send("POST", settings.clobUrl() + PATH, account.l2Headers(clock.instant().getEpochSecond(), "POST", PATH, body), body);
    }

    private synchronized void succeeded(String id) {
        heartbeatId = id;
        lastSuccess = clock.instant();
        beats++;
        if (failingSince != null) {
            LOG.info("Polymarket heartbeats recovered after {} s: new orders are accepted again",
                    Duration.between(failingSince, lastSuccess).toSeconds());
            failingSince = null;
            failure = null;
            recovered = true;
            publish.accept(null);
        }
    }

    private synchronized void failed(String why) {
        failures++;
        failure = why;
        if (failingSince == null) {
            failingSince = clock.instant();
            LOG.warn("Polymarket heartbeat failed ({}): new orders are refused until heartbeats recover; the venue cancels"
                    + " open orders if they stay away", why);
            publish.accept(failingSince);
        }
    }

    /**
     * True once after heartbeats came back: the venue may have cancelled every open order meanwhile,
     * so the route syncs open orders then.
     */
    public boolean justRecovered() {
        boolean r = recovered;
        recovered = false;
        return r;
    }

    /** Refuses a new order while heartbeats fail. */
    public void admit() {
        if (enabled && failingSince != null) {
            throw new OrderRejectedException("gateway", "heartbeats to Polymarket failing since " + failingSince + " (" + failure
                    + "): new orders are refused until they recover", 503);
        }
        Instant elsewhere = enabled ? failingElsewhere.get() : null;
        if (elsewhere != null) {
            throw new OrderRejectedException("gateway", "heartbeats to Polymarket (sent by the leading gateway instance) failing since "
                    + elsewhere + ": new orders are refused until they recover", 503);
        }
    }

    public boolean enabled() {
        return enabled;
    }

    public boolean healthy() {
        return !enabled || failingSince == null;
    }

    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", enabled);
        out.put("beats", beats);
        out.put("failures", failures);
        out.put("resyncs", resyncs);
        out.put("lastSuccess", lastSuccess == null ? null : lastSuccess.toString());
        if (failingSince != null) {
            out.put("failingSince", failingSince.toString());
            out.put("failure", failure);
        }
        return out;
    }
}
