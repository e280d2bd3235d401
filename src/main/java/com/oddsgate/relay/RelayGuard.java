package com.oddsgate.relay;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;

import com.oddsgate.message.Json;

/**
 * Route glue of the browser relay: judges the raw servlet request with a {@link RelayPolicy},
 * answers CORS preflights and refusals itself, and otherwise leaves on the message exactly what
 * goes upstream — the venue headers the browser sent (POLY_*, KALSHI-*), the body bytes unchanged,
 * and the target URL. CORS preflights and size limits are answered earlier, by {@link RelayFilter}. Origin, Referer, Cookie, Host and hop-by-hop headers never leave.
 */
public class RelayGuard {

    /** Property: true when the request is to be forwarded (otherwise the answer is already made). */
    public static final String FORWARD = "oddsgateRelayForward";
    private static final String ORIGIN = "oddsgateRelayOrigin";
    static final String ALLOWED_HEADERS = "POLY_ADDRESS, POLY_SIGNATURE, POLY_TIMESTAMP, POLY_NONCE, POLY_API_KEY, "
            + "POLY_PASSPHRASE, KALSHI-ACCESS-KEY, KALSHI-ACCESS-TIMESTAMP, KALSHI-ACCESS-SIGNATURE, Content-Type, Authorization";

    private final RelayPolicy polymarket;
    private final RelayPolicy kalshi;
    private final String kalshiApiPrefix;
    private final BooleanSupplier halted;

    /** @param halted true while the kill switch is tripped: the relay then places no order and sends no heartbeat */
    public RelayGuard(RelayPolicy polymarket, RelayPolicy kalshi, String kalshiApiPrefix, BooleanSupplier halted) {
        this.polymarket = polymarket;
        this.kalshi = kalshi;
        this.kalshiApiPrefix = kalshiApiPrefix;
        this.halted = halted;
    }

    /**
     * While the kill switch is tripped a browser may still read and cancel, but write nothing else:
     * an allow-list, so that no path the relay forwards (orders, amends, RFQs, quotes, heartbeats)
     * slips through. Allowed: GET, HEAD, OPTIONS, DELETE (cancels), Kalshi's decrease, and the
     * CLOB's reads that use POST (books, prices, midpoints, spreads, last trade prices) and its auth.
     */
    static boolean placesOrKeepsAlive(String method, String path) {
        if (List.of("GET", "HEAD", "OPTIONS", "DELETE").contains(method)) {
            return false;
        }
        // Decoded first: an encoded letter must not dress a write up as an allowed path.
        String p = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8)
                .toLowerCase(Locale.ROOT);
        return !(p.endsWith("/decrease") || READS_BY_POST.contains(p) || p.startsWith("/auth/"));
    }

    private static final Set<String> READS_BY_POST = Set.of("/books", "/prices", "/midpoints", "/spreads",
            "/last-trades-prices");

    /** The policy of the relay mounted at the start of this request URI, or null. */
    public RelayPolicy policyFor(String requestUri) {
        if (requestUri.equals("/poly") || requestUri.startsWith("/poly/")) {
            return polymarket;
        }
        if (requestUri.equals("/kalshi") || requestUri.startsWith("/kalshi/")) {
            return kalshi;
        }
        return null;
    }

    public void polymarket(Exchange exchange) {
        inbound(exchange, polymarket, "/poly", null);
    }

    /** Kalshi signs {@code /trade-api/v2/...}: a path without that prefix gets it, so the signed path is what arrives. */
    public void kalshi(Exchange exchange) {
        inbound(exchange, kalshi, "/kalshi", kalshiApiPrefix);
    }

    private void inbound(Exchange exchange, RelayPolicy policy, String mount, String requiredPrefix) {
        exchange.setProperty(FORWARD, false);
        Message in = exchange.getIn();
        HttpServletRequest req = ((PlatformHttpMessage) in).getRequest();
        String origin = req.getHeader("Origin");
        exchange.setProperty(ORIGIN, origin);
        String uri = req.getRequestURI();
        String path = uri.length() > mount.length() ? uri.substring(mount.length()) : "";
        if (requiredPrefix != null && !path.startsWith(requiredPrefix + "/") && path.startsWith("/")) {
            path = requiredPrefix + path;
        }
        byte[] body = in.getBody(byte[].class);
        RelayPolicy.Refusal refusal = policy.check(req.getRemoteAddr(), path, origin, req.getHeader("Authorization"),
                body == null ? 0 : body.length);
        if (refusal == null && halted.getAsBoolean() && placesOrKeepsAlive(req.getMethod(), path)) {
            refusal = new RelayPolicy.Refusal(503, "the gateway's kill switch is tripped: orders and heartbeats are not relayed", null);
        }
        if (refusal != null) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("error", refusal.error());
            error.put("relay", policy.name());
            answer(exchange, policy, refusal.status(), Json.write(error));
            if (refusal.retryAfterSeconds() != null) {
                in.setHeader("Retry-After", refusal.retryAfterSeconds().toString());
            }
            return;
        }
        Map<String, String> forwarded = new LinkedHashMap<>();
        for (String name : Collections.list(req.getHeaderNames())) {
            if (RelayPolicy.FORWARDED_HEADERS.matcher(name).matches()) {
                forwarded.put(name, req.getHeader(name));
            }
        }
        in.removeHeaders("*");
        forwarded.forEach(in::setHeader);
        in.setHeader(Exchange.HTTP_METHOD, req.getMethod());
        in.setHeader(Exchange.HTTP_URI, policy.target(path, req.getQueryString()));
        in.setBody(body == null || body.length == 0 ? null : body);
        exchange.setProperty(FORWARD, true);
    }

    /** Keeps the venue's status and body; of its headers only those that matter; adds CORS. */
    public void outbound(Exchange exchange) {
        // Only forwarded requests get here, and those passed the origin check.
        Message in = exchange.getIn();
        Object status = in.getHeader(Exchange.HTTP_RESPONSE_CODE);
        Map<String, Object> keep = new LinkedHashMap<>();
        in.getHeaders().forEach((k, v) -> {
            if (RelayPolicy.RETURNED_HEADERS.matcher(k).matches()) {
                keep.put(k, v);
            }
        });
        in.removeHeaders("*");
        in.getHeaders().putAll(keep);
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        cors(exchange);
    }

    public void unreachable(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Message in = exchange.getIn();
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, 502);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setBody(Json.write(Map.of("error", "upstream unreachable: " + (e == null ? "" : e.getClass().getSimpleName()))));
        cors(exchange);
    }

    private void answer(Exchange exchange, RelayPolicy policy, int status, String json) {
        Message in = exchange.getIn();
        in.removeHeaders("*");
        in.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        in.setBody(json);
        if (policy.originAllowed(exchange.getProperty(ORIGIN, String.class))) {
            cors(exchange);
        }
    }

    private static void cors(Exchange exchange) {
        String origin = exchange.getProperty(ORIGIN, String.class);
        if (origin != null) {
            Message in = exchange.getIn();
            in.setHeader("Access-Control-Allow-Origin", origin);
            in.setHeader("Vary", "Origin");
            in.setHeader("Access-Control-Expose-Headers", "Retry-After, Poly-RateLimit-Remaining, Poly-RateLimit-Reset, Poly-RateLimit-Tier");
        }
    }
}
