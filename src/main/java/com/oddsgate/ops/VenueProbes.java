package com.oddsgate.ops;

import java.time.Clock;
import java.util.Map;

import org.springframework.boot.actuate.health.Health;

import com.oddsgate.kalshi.KalshiAccount;
import com.oddsgate.kalshi.KalshiSettings;
import com.oddsgate.polymarket.PolymarketAccount;
import com.oddsgate.polymarket.PolymarketSettings;
import com.oddsgate.venue.JsonHttp;

/** Is each venue reachable, and does it accept our credentials? One cheap authenticated read each. */
public class VenueProbes {

    private final JsonHttp http;
    private final Clock clock;

    public VenueProbes(JsonHttp http, Clock clock) {
        this.http = http;
        this.clock = clock;
    }

    public Health polymarket(PolymarketSettings settings, PolymarketAccount account) {
        String path = "/data/orders";
        JsonHttp.Response r = http.get(settings.clobUrl() + path,
                account.l2Headers(clock.instant().getEpochSecond(), "GET", path, null));
        Health.Builder b = r.ok() ? Health.up() : Health.down();
        return b.withDetail("url", settings.clobUrl()).withDetail("authenticated", r.ok())
                .withDetail("status", r.status()).build();
    }

    public Health kalshi(KalshiSettings settings, KalshiAccount account) {
        if (!account.configured()) {
            return Health.unknown().withDetail("url", settings.baseUrl()).withDetail("configured", false).build();
        }
        String resource = "/portfolio/balance";
        JsonHttp.Response r = http.get(settings.url(resource), account.paced("GET", settings.path(resource)));
        Health.Builder b = r.ok() ? Health.up() : Health.down();
        return b.withDetails(Map.of("url", settings.baseUrl(), "authenticated", r.ok(), "status", r.status())).build();
    }
}
