package com.oddsgate.ops;

import java.util.Map;

import org.springframework.boot.actuate.health.Health;

import com.oddsgate.venue.VenueProbe;

/** A venue's probe as health: UP when it answered and accepted our credentials, UNKNOWN when not configured. */
public final class VenueProbes {

    private VenueProbes() {
    }

    public static Health health(VenueProbe p) {
        if (!p.configured()) {
            return Health.unknown().withDetail("url", p.url()).withDetail("configured", false).build();
        }
        Health.Builder b = p.authenticated() ? Health.up() : Health.down();
        return b.withDetails(Map.of("url", p.url(), "authenticated", p.authenticated(), "status", p.status())).build();
    }
}
