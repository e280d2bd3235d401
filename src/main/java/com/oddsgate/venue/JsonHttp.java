package com.oddsgate.venue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Small, bounded HTTP reads of venue metadata (markets, order lookups, credentials). Order
 * submission goes through camel-http in the routes, where redelivery and dead letters apply.
 */
public class JsonHttp {

    public record Response(int status, String body, JsonNode json) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpClient client;
    private final Duration timeout;
    private final ObjectMapper mapper;

    public JsonHttp(Duration connectTimeout, Duration timeout, ObjectMapper mapper) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
        this.timeout = timeout;
        this.mapper = mapper;
    }

    public Response get(String url, Map<String, String> headers) {
        return send("GET", url, headers, null);
    }

    /** Sends a request; connection failures and 425/429/5xx become {@link RetryableVenueException}. */
    public Response send(String method, String url, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r;
        try {
            r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RetryableVenueException(method + " " + stripQuery(url) + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), 0, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableVenueException("interrupted", 0, null);
        }
        int status = r.statusCode();
        if (status == 425 || status == 429 || status >= 500) {
            throw new RetryableVenueException(method + " " + stripQuery(url) + " answered " + status, status,
                    VenueStatus.retryAfterMillis(r.headers().firstValue("Retry-After").orElse(null)));
        }
        JsonNode json = null;
        try {
            json = r.body() == null || r.body().isBlank() ? null : mapper.readTree(r.body());
        } catch (IOException notJson) {
            // leave json null; callers report the raw body
        }
        return new Response(status, r.body(), json);
    }

    private static String stripQuery(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
