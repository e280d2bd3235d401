package com.oddsgate.venue;

import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

import com.oddsgate.message.Json;

/**
 * The gateway's venue-reads.camel.yaml on a Camel of its own, for tests without Spring: the reads
 * go through the very routes the gateway runs, to hosts the test names.
 */
public final class VenueReadsOnCamel implements AutoCloseable {

    private final CamelContext camel;
    private final VenueReadRoutes reads;

    private VenueReadsOnCamel(CamelContext camel, VenueReadRoutes reads) {
        this.camel = camel;
        this.reads = reads;
    }

    /** @param hosts the settings the routes name: oddsgate.polymarket.clob-url, …gamma-url, …data-url, oddsgate.kalshi.base-url, …api-prefix */
    public static VenueReadsOnCamel start(Map<String, String> hosts) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        Properties p = new Properties();
        p.putAll(Map.of("oddsgate.polymarket.clob-url", "http://127.0.0.1:9/clob", "oddsgate.polymarket.gamma-url",
                "http://127.0.0.1:9/gamma", "oddsgate.polymarket.data-url", "http://127.0.0.1:9/data-api", "oddsgate.kalshi.base-url",
                "http://127.0.0.1:9/kalshi", "oddsgate.kalshi.api-prefix", "/trade-api/v2"));
        p.putAll(hosts);
        camel.getPropertiesComponent().setInitialProperties(p);
        // As application.yaml sets camel-http: no wait of minutes for a venue, no retry behind the caller's back.
        HttpComponent http = camel.getComponent("http", HttpComponent.class);
        http.setConnectTimeout(1000);
        http.setConnectionRequestTimeout(1000);
        http.setResponseTimeout(3000);
        http.setSoTimeout(3000);
        http.setAutomaticRetriesDisabled(true);
        VenueReadRoutes reads = new VenueReadRoutes(camel, Json.MAPPER);
        camel.getRegistry().bind("venueReads", reads);
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveMandatoryResource(camel,
                "classpath:routes/venue-reads.camel.yaml"));
        camel.start();
        return new VenueReadsOnCamel(camel, reads);
    }

    public VenueReads reads() {
        return reads;
    }

    public CamelContext camel() {
        return camel;
    }

    @Override
    public void close() {
        camel.stop();
    }
}
