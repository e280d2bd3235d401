package com.oddsgate.polymarket.protocol;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.venue.VenueReads;

/**
 * The venue's dead-man switch: {@code POST /v1/heartbeats} on a timer (the official client's path),
 * the first carrying {@code ""} and each next one the id the previous answer gave. A {@code 400}
 * that names a {@code heartbeat_id} is a resynchronisation, not a failure: the beat is sent again at
 * once with that id. Both documented answers count as alive: {@code {"heartbeat_id":…}} and
 * {@code {"status":"ok"}}. If heartbeats stop, the venue cancels every open order; so while they fail
 * the gateway refuses new orders (HTTP 503 with the reason) and reports itself DOWN, until one succeeds.
 * Each account has its own chain (the venue keys heartbeats by API key): an account whose heartbeats
 * fail refuses its own new orders; the others trade on.
 */
public class PolymarketHeartbeats {

    private static final Logger LOG = LoggerFactory.getLogger(PolymarketHeartbeats.class);

    /** One account's heartbeat chain. */
    private final class Chain {
        final PolymarketAccount account;
        volatile String heartbeatId = "";
        volatile long resyncs;
        volatile Instant lastSuccess;
        volatile Instant failingSince;
        volatile String failure;
        volatile long beats;
        volatile long failures;
        /** A heartbeat of this account is under way. */
        final AtomicBoolean busy = new AtomicBoolean();

        Chain(PolymarketAccount account) {
            this.account = account;
        }

        void beat() {
            String why;
            try {
                VenueReads.Response r = send();
                if (r.status() == 400 && r.json() != null && r.json().hasNonNull("heartbeat_id")) {
                    // The venue says which id it expects (e.g. after a restart): resynchronise and beat again.
                    resyncs++;
                    heartbeatId = r.json().get("heartbeat_id").asText();
                    recovered = true; // the chain broke: the venue may have cancelled our open orders, so they are synced
                    r = send();
                }
                if (r.ok() && r.json() != null && (r.json().hasNonNull("heartbeat_id") || "ok".equalsIgnoreCase(r.json().path("status").asText()))) {
                    succeeded(this, r.json().hasNonNull("heartbeat_id") ? r.json().get("heartbeat_id").asText() : heartbeatId);
                    return;
                }
                if (r.status() == 400) {
                    heartbeatId = ""; // the chain broke and the venue named no id: the next beat starts a new one
                }
                why = "HTTP " + r.status() + (r.body() == null ? "" : " " + r.body());
            } catch (RuntimeException e) { // unreachable, or anything else: this chain fails, the others beat on
                why = e.getMessage();
            }
            failed(this, why);
        }

        private VenueReads.Response send() {
            byte[] body = ("{\"heartbeat_id\":\"" + heartbeatId.replaceAll("[^-\\w]", "") + "\"}").getBytes(StandardCharsets.UTF_8);
            return reads.call("polymarket-heartbeat", Map.of(), "", account.l2(clock), body);
        }
    }

    private final PolymarketAccounts accounts;
    private final Map<String, Chain> chains = new LinkedHashMap<>();
    private final PolymarketSettings settings;
    private final VenueReads reads;
    private final Clock clock;
    private final boolean enabled;
    private volatile boolean recovered;
    /** One thread per account at most; daemon, so it never holds the JVM. */
    private final ExecutorService beaters = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "polymarket-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private Consumer<Instant> publish = since -> { };
    private Supplier<Instant> failingElsewhere = () -> null;

    public PolymarketHeartbeats(PolymarketAccounts accounts, PolymarketSettings settings, VenueReads reads, Clock clock, boolean enabled) {
        this.accounts = accounts;
        accounts.all().forEach(a -> chains.put(a.name(), new Chain(a)));
        this.settings = settings;
        this.reads = reads;
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

    /** This instance no longer beats (another one leads): its own failures, if any, are not the accounts' any more. */
    public synchronized void standDown() {
        if (failingSince() != null) {
            chains.values().forEach(c -> {
                c.failingSince = null;
                c.failure = null;
            });
            publish.accept(null);
        }
    }

    /**
     * One heartbeat per account; a failure (transport or refusal) flips that account to refusing new
     * orders. With several accounts each beats on its own thread and the timer does not wait: an
     * account whose previous heartbeat is still under way skips this turn, and one slow account
     * never makes the others late at the venue.
     */
    public void beat() {
        if (chains.size() == 1) {
            chains.values().iterator().next().beat();
            return;
        }
        for (Chain c : chains.values()) {
            if (c.busy.compareAndSet(false, true)) {
                beaters.execute(() -> {
                    try {
                        c.beat();
                    } finally {
                        c.busy.set(false);
                    }
                });
            }
        }
    }

    private synchronized void succeeded(Chain c, String id) {
        c.heartbeatId = id;
        c.lastSuccess = clock.instant();
        c.beats++;
        if (c.failingSince != null) {
            LOG.info("Polymarket heartbeats of account {} recovered after {} s: its new orders are accepted again", c.account.name(),
                    Duration.between(c.failingSince, c.lastSuccess).toSeconds());
            c.failingSince = null;
            c.failure = null;
            recovered = true;
            if (failingSince() == null) {
                publish.accept(null);
            }
        }
    }

    private synchronized void failed(Chain c, String why) {
        c.failures++;
        c.failure = why;
        if (c.failingSince == null) {
            boolean first = failingSince() == null;
            c.failingSince = clock.instant();
            LOG.warn("Polymarket heartbeat of account {} failed ({}): its new orders are refused until heartbeats recover; the"
                    + " venue cancels its open orders if they stay away", c.account.name(), why);
            if (first) {
                publish.accept(c.failingSince);
            }
        }
    }

    /** Since when the first account's heartbeats fail, or null when none does. */
    private Instant failingSince() {
        return chains.values().stream().map(c -> c.failingSince).filter(Objects::nonNull).min(Instant::compareTo)
                .orElse(null);
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

    /**
     * Refuses a new order while its account's heartbeats fail. On a follower (several instances) the
     * leader's published failure refuses every account's: which account failed is not shared.
     */
    public void admit(OrderTicket ticket) {
        Chain c = chains.get(accounts.of(ticket).name());
        if (enabled && c != null && c.failingSince != null) {
            throw new OrderRejectedException("gateway", "heartbeats to Polymarket" + (chains.size() > 1 ? " of account "
                    + c.account.name() : "") + " failing since " + c.failingSince + " (" + c.failure
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
        return !enabled || failingSince() == null;
    }

    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("enabled", enabled);
        Chain first = chains.values().iterator().next();
        describe(first, out);
        if (chains.size() > 1) {
            Map<String, Object> each = new LinkedHashMap<>();
            chains.forEach((name, c) -> each.put(name, describe(c, new LinkedHashMap<>())));
            out.put("accounts", each);
        }
        return out;
    }

    private static Map<String, Object> describe(Chain c, Map<String, Object> out) {
        out.put("beats", c.beats);
        out.put("failures", c.failures);
        out.put("resyncs", c.resyncs);
        out.put("lastSuccess", c.lastSuccess == null ? null : c.lastSuccess.toString());
        if (c.failingSince != null) {
            out.put("failingSince", c.failingSince.toString());
            out.put("failure", c.failure);
        }
        return out;
    }
}
