package com.oddsgate.kalshi;

import java.util.Map;
import com.oddsgate.venue.VenueReads;
import com.oddsgate.venue.VenueProbe;

/** Is Kalshi reachable, and does it accept our key's signatures? One read of {@code /portfolio/balance}. */
public class KalshiProbe {

    private final KalshiSettings settings;
    private final KalshiAccount account;
    private final VenueReads reads;

    public KalshiProbe(KalshiSettings settings, KalshiAccount account, VenueReads reads) {
        this.settings = settings;
        this.account = account;
        this.reads = reads;
    }

    public VenueProbe probe() {
        if (!account.configured()) {
            return VenueProbe.notConfigured(settings.baseUrl());
        }
        VenueReads.Response r = reads.get("kalshi-balance", Map.of(), "", account.signed(settings));
        return new VenueProbe(settings.baseUrl(), true, r.ok(), r.status());
    }
}
