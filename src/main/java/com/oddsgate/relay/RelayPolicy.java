package com.oddsgate.relay;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * What the relay forwards, decided before anything leaves: only the configured upstream, only the
 * venue's own path prefixes, no traversal or absolute-URL tricks, bounded bodies, allowed browser
 * origins, an optional token, and a per-client rate limit. Not an open proxy.
 */
public class RelayPolicy {

    /** Why a request is refused, as the relay answers it. */
    public record Refusal(int status, String error, Long retryAfterSeconds) {
    }

    /** Browser-supplied headers that may reach the venue; everything else is dropped. */
    static final Pattern FORWARDED_HEADERS = Pattern.compile("(?i)(poly_[a-z_]+|kalshi-access-[a-z]+|content-type|accept|accept-language)");
    /** Venue response headers worth returning. */
    static final Pattern RETURNED_HEADERS = Pattern.compile("(?i)(content-type|retry-after|poly-ratelimit-.*|x-ratelimit-.*)");
    private static final Pattern TRAVERSAL = Pattern.compile("(?i)(\\.\\.|%2e|%2f|%5c|\\\\|//|%00|;)");

    private final String name;
    private final URI upstream;
    private final List<String> allowedPrefixes;
    private final long maxBodyBytes;
    private final Set<String> allowedOrigins;
    private final byte[] token;
    private final double ratePerSecond;
    private final double burst;
    private final Clock clock;
    private final Map<String, double[]> buckets = new ConcurrentHashMap<>();

    public RelayPolicy(String name, String upstream, List<String> allowedPrefixes, long maxBodyBytes,
            Set<String> allowedOrigins, String token, double ratePerSecond, double burst, Set<String> allowedUpstreamHosts,
            Clock clock) {
        this.name = name;
        this.upstream = URI.create(upstream);
        if (!allowedUpstreamHosts.isEmpty() && !allowedUpstreamHosts.contains(this.upstream.getHost())) {
            throw new IllegalArgumentException("oddsgate.relay." + name + " upstream host " + this.upstream.getHost()
                    + " is not one of " + allowedUpstreamHosts);
        }
        this.allowedPrefixes = List.copyOf(allowedPrefixes);
        this.maxBodyBytes = maxBodyBytes;
        this.allowedOrigins = Set.copyOf(allowedOrigins);
        this.token = token == null || token.isBlank() ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.clock = clock;
    }

    public String name() {
        return name;
    }

    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    public boolean originAllowed(String origin) {
        return origin == null || allowedOrigins.contains(origin);
    }

    /**
     * @param path the raw (still encoded) path after the relay's own prefix, e.g. {@code /order}
     * @return null when the request may be forwarded
     */
    public Refusal check(String client, String path, String origin, String authorization, long bodyBytes) {
        if (!originAllowed(origin)) {
            return new Refusal(403, "origin " + origin + " is not allowed by this relay", null);
        }
        if (token != null && (authorization == null
                || !MessageDigest.isEqual(token, authorization.trim().getBytes(StandardCharsets.UTF_8)))) {
            return new Refusal(401, "this relay needs Authorization: Bearer <relay token>", null);
        }
        if (path == null || path.isEmpty() || !path.startsWith("/") || path.contains("://") || TRAVERSAL.matcher(path).find()) {
            return new Refusal(400, "path refused: no absolute URLs, traversal or encoded separators", null);
        }
        if (allowedPrefixes.stream().noneMatch(p -> path.equals(p) || path.startsWith(p.endsWith("/") ? p : p + "/")
                || path.startsWith(p + "?"))) {
            return new Refusal(404, "path " + path + " is not one the " + name + " relay forwards", null);
        }
        if (bodyBytes > maxBodyBytes) {
            return new Refusal(413, "body of " + bodyBytes + " bytes exceeds the relay limit of " + maxBodyBytes, null);
        }
        if (!take(client)) {
            return new Refusal(429, "rate limit of " + ratePerSecond + " requests/s exceeded", 1L);
        }
        return null;
    }

    /** The upstream URL: configured scheme, host and base path + the relayed path and query, unchanged. */
    public String target(String path, String rawQuery) {
        String base = upstream.toString().endsWith("/") ? upstream.toString().substring(0, upstream.toString().length() - 1)
                : upstream.toString();
        return base + path + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery);
    }

    /** Token bucket per client: refills at the configured rate up to the burst. */
    private boolean take(String client) {
        double now = clock.millis() / 1000.0;
        double[] b = buckets.computeIfAbsent(client == null ? "?" : client.toLowerCase(Locale.ROOT), k -> new double[] {burst, now});
        synchronized (b) {
            b[0] = Math.min(burst, b[0] + (now - b[1]) * ratePerSecond);
            b[1] = now;
            if (b[0] < 1) {
                return false;
            }
            b[0] -= 1;
            return true;
        }
    }
}
