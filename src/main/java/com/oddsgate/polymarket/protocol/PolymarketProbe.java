package com.oddsgate.polymarket.protocol;

import java.time.Clock;

import com.oddsgate.venue.JsonHttp;
import com.oddsgate.venue.VenueProbe;

/** Is the CLOB reachable, and does it accept our L2 credentials? One read of {@code /data/orders}. */
public class PolymarketProbe {

    private final PolymarketSettings settings;
    private final PolymarketAccount account;
    private final JsonHttp http;
    private final Clock clock;

    public PolymarketProbe(PolymarketSettings settings, PolymarketAccount account, JsonHttp http, Clock clock) {
        this.settings = settings;
        this.account = account;
        this.http = http;
        this.clock = clock;
    }

    public VenueProbe probe() {
        String path = "/data/orders";
        JsonHttp.Response r = http.get(settings.clobUrl() + path,
                account.l2Headers(clock.instant().getEpochSecond(), "GET", path, null));
        return new VenueProbe(settings.clobUrl(), true, r.ok(), r.status());
    }
}
