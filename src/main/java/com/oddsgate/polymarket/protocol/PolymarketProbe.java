package com.oddsgate.polymarket.protocol;

import java.util.Map;
import java.time.Clock;

import com.oddsgate.venue.VenueReads;
import com.oddsgate.venue.VenueProbe;

/** Is the CLOB reachable, and does it accept our L2 credentials? One read of {@code /data/orders}. */
public class PolymarketProbe {

    private final PolymarketSettings settings;
    private final PolymarketAccount account;
    private final VenueReads reads;
    private final Clock clock;

    public PolymarketProbe(PolymarketSettings settings, PolymarketAccount account, VenueReads reads, Clock clock) {
        this.settings = settings;
        this.account = account;
        this.reads = reads;
        this.clock = clock;
    }

    public VenueProbe probe() {
        VenueReads.Response r = reads.get("polymarket-open-orders", Map.of(), "", account.l2(clock));
        return new VenueProbe(settings.clobUrl(), true, r.ok(), r.status());
    }
}
