package com.oddsgate.kalshi;

import com.oddsgate.venue.JsonHttp;
import com.oddsgate.venue.VenueProbe;

/** Is Kalshi reachable, and does it accept our key's signatures? One read of {@code /portfolio/balance}. */
public class KalshiProbe {

    private final KalshiSettings settings;
    private final KalshiAccount account;
    private final JsonHttp http;

    public KalshiProbe(KalshiSettings settings, KalshiAccount account, JsonHttp http) {
        this.settings = settings;
        this.account = account;
        this.http = http;
    }

    public VenueProbe probe() {
        if (!account.configured()) {
            return VenueProbe.notConfigured(settings.baseUrl());
        }
        String resource = "/portfolio/balance";
        JsonHttp.Response r = http.get(settings.url(resource), account.paced("GET", settings.path(resource)));
        return new VenueProbe(settings.baseUrl(), true, r.ok(), r.status());
    }
}
