package com.oddsgate.api;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.polymarket.ApiCredentials;
import com.oddsgate.polymarket.PolymarketAccount;
import com.oddsgate.polymarket.PolymarketOrders;
import com.oddsgate.polymarket.PolymarketSettings;

/**
 * {@code POST /api/orders/preview}: the exact venue request an order would become — method, URL,
 * headers and body — without sending or recording it. {@code salt} and {@code timestamp} (ms) in
 * the request make it reproducible. The API key (header and the body's {@code owner}) and the
 * passphrase are masked; the signature, timestamp and order hash are shown.
 */
public class Previews {

    private final PolymarketOrders orders;
    private final PolymarketSettings settings;
    private final PolymarketAccount account;

    public Previews(PolymarketOrders orders, PolymarketSettings settings, PolymarketAccount account) {
        this.orders = orders;
        this.settings = settings;
        this.account = account;
    }

    public void polymarket(Exchange exchange) {
        OrderTicket t = exchange.getIn().getBody(OrderTicket.class);
        BigInteger salt = null;
        Long timestamp = null;
        try {
            JsonNode raw = Json.MAPPER.readTree(t.getRaw());
            if (raw.hasNonNull("salt")) {
                salt = new BigInteger(raw.get("salt").asText());
            }
            if (raw.hasNonNull("timestamp")) {
                timestamp = Long.parseLong(raw.get("timestamp").asText());
            }
        } catch (java.io.IOException | NumberFormatException e) {
            throw new OrderRejectedException("salt", "salt and timestamp must be whole numbers");
        }
        PolymarketOrders.Signed s = orders.build(t.getOrder(), t.getMarket(), salt, timestamp);
        long seconds = (timestamp != null ? timestamp : System.currentTimeMillis()) / 1000;
        Map<String, String> headers = new LinkedHashMap<>(account.l2Headers(seconds, "POST", "/order",
                s.body().getBytes(StandardCharsets.UTF_8)));
        headers.put("POLY_API_KEY", ApiCredentials.mask(headers.get("POLY_API_KEY")));
        headers.put("POLY_PASSPHRASE", "****");
        headers.put("Content-Type", "application/json");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("venue", "polymarket");
        out.put("method", "POST");
        out.put("url", settings.clobUrl() + "/order");
        out.put("headers", headers);
        // The body is sent as is, except "owner": it is the API key, masked here like the header.
        out.put("body", s.body().replace("\"owner\":\"" + account.credentials().apiKey() + "\"",
                "\"owner\":\"" + ApiCredentials.mask(account.credentials().apiKey()) + "\""));
        out.put("orderHash", s.orderHash());
        out.put("exchange", s.exchange());
        out.put("orderVersion", settings.orderVersion().number());
        out.put("market", Map.of("conditionId", t.getMarket().conditionId(), "negRisk", t.getMarket().negRisk(),
                "tickSize", t.getMarket().tickSize().toPlainString()));
        OrderViews.respond(exchange, 200, out);
    }

    public void rejected(Exchange exchange) {
        OrderRejectedException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, OrderRejectedException.class);
        OrderViews.respond(exchange, 400, Map.of("error", "order rejected: " + e.getMessage(), "violations",
                e.violations() == null ? List.of() : e.violations()));
    }

    public void unavailable(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        OrderViews.respond(exchange, 503, Map.of("error", "venue unavailable: " + (e == null ? "" : e.getMessage())));
    }
}
