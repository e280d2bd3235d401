package com.oddsgate.api;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.kalshi.KalshiAccounts;
import com.oddsgate.kalshi.KalshiOrders;
import com.oddsgate.kalshi.KalshiSettings;
import com.oddsgate.message.Json;
import com.oddsgate.message.Secrets;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.polymarket.protocol.PolymarketAccount;
import com.oddsgate.polymarket.protocol.PolymarketAccounts;
import com.oddsgate.polymarket.protocol.PolymarketOrders;
import com.oddsgate.polymarket.protocol.PolymarketSettings;

/**
 * {@code POST /api/orders/preview}: the exact venue request an order would become — method, URL,
 * headers and body — without sending or recording it. {@code salt} and {@code timestamp} (ms) in
 * the request make it reproducible. Polymarket: the API key (header and the body's {@code owner})
 * and the passphrase are masked; the signature, timestamp and order hash are shown. Kalshi: the key
 * id is masked; the RSA-PSS signature and the signed message are shown.
 */
public class Previews {

    private final PolymarketOrders orders;
    private final PolymarketSettings settings;
    private final PolymarketAccounts accounts;
    private final KalshiOrders kalshiOrders;
    private final KalshiSettings kalshiSettings;
    private final KalshiAccounts kalshiAccounts;
    private final Clock clock;

    public Previews(PolymarketOrders orders, PolymarketSettings settings, PolymarketAccounts accounts,
            KalshiOrders kalshiOrders, KalshiSettings kalshiSettings, KalshiAccounts kalshiAccounts, Clock clock) {
        this.orders = orders;
        this.settings = settings;
        this.accounts = accounts;
        this.kalshiOrders = kalshiOrders;
        this.kalshiSettings = kalshiSettings;
        this.kalshiAccounts = kalshiAccounts;
        this.clock = clock;
    }

    public Map<String, Object> polymarket(Exchange exchange) {
        OrderTicket t = exchange.getIn().getBody(OrderTicket.class);
        JsonNode raw = raw(t);
        BigInteger salt = raw.hasNonNull("salt") ? new BigInteger(raw.get("salt").asText()) : null;
        Long timestamp = raw.hasNonNull("timestamp") ? raw.get("timestamp").asLong() : null;
        PolymarketOrders.Signed s = orders.build(t.getOrder(), t.getMarket(), salt, timestamp);
        long seconds = (timestamp != null ? timestamp : clock.millis()) / 1000;
        PolymarketAccount account = accounts.of(t);
        Map<String, String> headers = new LinkedHashMap<>(account.l2Headers(seconds, "POST", "/order",
                s.body().getBytes(StandardCharsets.UTF_8)));
        headers.put("POLY_API_KEY", Secrets.mask(headers.get("POLY_API_KEY")));
        headers.put("POLY_PASSPHRASE", "****");
        headers.put("Content-Type", "application/json");
        // The body is sent as is, except "owner": it is the API key, masked here like the header.
        String body = s.body().replace("\"owner\":\"" + account.credentials().apiKey() + "\"",
                "\"owner\":\"" + Secrets.mask(account.credentials().apiKey()) + "\"");
        Map<String, Object> out = request("polymarket", settings.clobUrl() + "/order", headers, body);
        out.put("orderHash", s.orderHash());
        out.put("exchange", s.exchange());
        out.put("orderVersion", s.order().version().number());
        out.put("market", Map.of("conditionId", t.getMarket().conditionId(), "negRisk", t.getMarket().negRisk(),
                "tickSize", t.getMarket().tickSize().toPlainString()));
        chosen(t, out);
        return out;
    }

    public Map<String, Object> kalshi(Exchange exchange) {
        OrderTicket t = exchange.getIn().getBody(OrderTicket.class);
        JsonNode raw = raw(t);
        // Kalshi signs no body, so a fresh signature would place any order within the venue's window. A
        // preview signs for a moment at least a minute past (a caller may fix an older one to reproduce
        // a signature): it shows the exact request, and Kalshi would refuse it.
        long latest = clock.millis() - 60_000;
        long timestamp = raw.hasNonNull("timestamp") ? Math.min(raw.get("timestamp").asLong(), latest) : latest - 3_540_000;
        String resource = KalshiSettings.ORDERS;
        Map<String, String> headers = new LinkedHashMap<>(kalshiAccounts.of(t).headers(timestamp, "POST", kalshiSettings.path(resource)));
        headers.put("KALSHI-ACCESS-KEY", Secrets.mask(headers.get("KALSHI-ACCESS-KEY")));
        headers.put("Content-Type", "application/json");
        Map<String, Object> out = request("kalshi", kalshiSettings.url(resource), headers,
                kalshiOrders.body(t.getOrder(), t.getMarket()));
        out.put("signedMessage", timestamp + "POST" + kalshiSettings.path(resource));
        chosen(t, out);
        return out;
    }

    /** A best-venue order's preview says which venue it would go to and why. */
    private static void chosen(OrderTicket t, Map<String, Object> out) {
        if (t.getChoice() != null) {
            out.put("venueChoice", t.getChoice());
        }
    }

    private static Map<String, Object> request(String venue, String url, Map<String, String> headers, String body) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("venue", venue);
        out.put("method", "POST");
        out.put("url", url);
        out.put("headers", headers);
        out.put("body", body);
        return out;
    }

    /** The request as sent, for the optional reproducibility fields {@code salt} and {@code timestamp} (ms). */
    private static JsonNode raw(OrderTicket t) {
        try {
            JsonNode raw = Json.MAPPER.readTree(t.getRaw());
            for (String f : new String[] {"salt", "timestamp"}) {
                if (raw.hasNonNull(f) && !raw.get(f).asText().matches("\\d{1,30}")) {
                    throw new OrderRejectedException(f, "must be a whole number");
                }
            }
            return raw;
        } catch (IOException e) {
            throw new OrderRejectedException("body", "is not valid JSON");
        }
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
