package com.oddsgate.kalshi;

import java.time.Duration;

/**
 * Where Kalshi is. {@code baseUrl} is scheme + host (+ any mount path of a simulator);
 * {@code apiPrefix} ({@code /trade-api/v2}) is part of every signed path. Orders go through the V2
 * events API only: the legacy {@code POST /portfolio/orders} answers 410 since mid-2026.
 */
public record KalshiSettings(String baseUrl, String apiPrefix, String selfTradePrevention, Duration marketCacheTtl) {

    /** The V2 order resource: create, cancel ({@code /{id}}) and batches ({@code /batched}). */
    public static final String ORDERS = "/portfolio/events/orders";

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
}
