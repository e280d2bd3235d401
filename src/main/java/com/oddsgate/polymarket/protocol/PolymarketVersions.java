package com.oddsgate.polymarket.protocol;

import com.oddsgate.polymarket.signing.OrderVersion;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.oddsgate.venue.VenueReads;
import com.oddsgate.venue.RetryableVenueException;

/**
 * Which order version the CLOB expects: {@code GET /version}, cached for a while, re-read at once
 * when the venue answers {@code order_version_mismatch}. With discovery off, the configured version
 * is signed and never changed. When the venue cannot be asked, the last known version stands.
 */
public class PolymarketVersions {

    private static final Logger LOG = LoggerFactory.getLogger(PolymarketVersions.class);

    private final VenueReads reads;
    private final boolean discover;
    private final Duration ttl;
    private final Clock clock;
    private volatile OrderVersion current;
    private volatile Instant checkedAt = Instant.MIN;

    public PolymarketVersions(VenueReads reads, OrderVersion configured, boolean discover, Duration ttl, Clock clock) {
        this.reads = reads;
        this.current = configured;
        this.discover = discover;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The version to sign with now. */
    public OrderVersion current() {
        if (discover && clock.instant().isAfter(checkedAt.plus(ttl))) {
            refresh();
        }
        return current;
    }

    /** Asks the venue now; returns the version it expects (the last known one when it cannot be asked). */
    public synchronized OrderVersion refresh() {
        if (!discover) {
            return current;
        }
        try {
            VenueReads.Response r = reads.get("polymarket-version", Map.of(), "", VenueReads.Auth.NONE);
            int v = r.ok() && r.json() != null ? r.json().path("version").asInt(0) : 0;
            if (v == 2 || v == 3) {
                OrderVersion now = OrderVersion.of(v);
                if (now != current) {
                    LOG.info("Polymarket expects order version {} (was {}): orders are signed for V{} from now on", v,
                            current.number(), v);
                }
                current = now;
            } else {
                LOG.warn("GET /version answered {} {}: keeping order version {}", r.status(), r.body(), current.number());
            }
        } catch (RetryableVenueException e) {
            LOG.warn("GET /version failed ({}): keeping order version {}", e.getMessage(), current.number());
        }
        checkedAt = clock.instant();
        return current;
    }
}
