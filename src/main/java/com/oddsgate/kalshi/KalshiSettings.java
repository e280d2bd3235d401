package com.oddsgate.kalshi;

import java.time.Duration;

/**
 * Where Kalshi is and which order API to use. {@code baseUrl} is scheme + host (+ any mount path of
 * a simulator); {@code apiPrefix} ({@code /trade-api/v2}) is part of every signed path.
 */
public record KalshiSettings(String baseUrl, String apiPrefix, boolean legacyOrders, String selfTradePrevention,
        Duration marketCacheTtl) {

    /** Kalshi takes several orders in one call only on the events API ({@code …/orders/batched}). */
    public boolean batchable() {
        return !legacyOrders;
    }

    public KalshiSettings {
        if (!selfTradePrevention.equals("taker_at_cross") && !selfTradePrevention.equals("maker")) {
            throw new IllegalArgumentException("oddsgate.kalshi.self-trade-prevention must be taker_at_cross or maker");
        }
    }

    /** The path that is signed and sent, e.g. {@code /trade-api/v2/portfolio/events/orders}. */
    public String path(String resource) {
        return apiPrefix + resource;
    }

    public String url(String resource) {
        return baseUrl + path(resource);
    }

    public String ordersResource() {
        return legacyOrders ? "/portfolio/orders" : "/portfolio/events/orders";
    }
}
