package com.oddsgate.venue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.direct.DirectConsumerNotAvailableException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@link VenueReads} through the routes of {@code venue-reads.camel.yaml}, and those routes' two
 * steps: {@link #sign} before the HTTP call and {@link #answer} after it. The caller's values travel
 * as exchange properties, never headers (camel-http would send them to the venue).
 */
public class VenueReadRoutes implements VenueReads {

    static final String AUTH = "oddsgateVenueAuth";
    static final String QUERY = "oddsgateVenueQuery";
    /** "GET /book": what was asked, for messages (never the query or the headers). */
    static final String ASKED = "oddsgateVenueAsked";

    /** What a venue's ids are made of (tickers, token ids, hashes, UUIDs): nothing that changes the path. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]+");

    private final CamelContext camel;
    private final ObjectMapper mapper;
    private volatile ProducerTemplate template;

    public VenueReadRoutes(CamelContext camel, ObjectMapper mapper) {
        this.camel = camel;
        this.mapper = mapper;
    }

    @Override
    public Response call(String read, Map<String, String> path, String query, Auth auth, byte[] body) {
        if (!camel.isStarted() && !camel.isStarting()) {
            throw new RetryableVenueException(read + ": venue calls are made once the routes run", 0, null);
        }
        path.forEach((name, value) -> {
            if (value == null || !SAFE.matcher(value).matches() || value.equals(".") || value.equals("..")) {
                // A market or order id from a request must not lead the call to another path.
                throw new NotAnId(read + ": " + name + " is not an id the venue could name");
            }
        });
        Exchange done = send(read, path, query, auth, body);
        if (body == null && closedUnanswered(done.getException())) {
            // A pooled keep-alive connection the server had closed unseen, so no answer at all. A read
            // without a body (GETs, and POST /auth/api-key, whose repeat is refused and derived instead) is
            // sent once more, on a fresh connection (HttpClient's own retries are off).
            done = send(read, path, query, auth, body);
        }
        Exception failure = done.getException();
        if (failure == null) {
            return done.getMessage().getBody(Response.class);
        }
        if (failure instanceof RetryableVenueException r) {
            throw r;
        }
        if (failure instanceof DirectConsumerNotAvailableException) {
            throw new RetryableVenueException(read + ": its route is not running", 0, null);
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException || t instanceof InterruptedIOException) {
                Thread.currentThread().interrupt();
            }
            if (t instanceof IOException io) {
                throw new RetryableVenueException(read + " (" + done.getProperty(ASKED, "", String.class) + ") failed: " + io.getClass().getSimpleName()
                        + (io.getMessage() == null ? "" : " " + io.getMessage()), 0, null);
            }
        }
        throw failure instanceof RuntimeException rt ? rt : new IllegalStateException(read + " failed", failure);
    }

    private Exchange send(String read, Map<String, String> path, String query, Auth auth, byte[] body) {
        // block=false: a read route that is not running (stopped by an operator) is no answer at once, not after 30 s.
        return template().send("direct:" + read + "?block=false", e -> {
            path.forEach(e::setProperty);
            e.setProperty(QUERY, query == null ? "" : query);
            e.setProperty(AUTH, auth);
            e.getMessage().setBody(body);
        });
    }

    private static boolean closedUnanswered(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // HttpClient's NoHttpResponseException, by name: the HTTP client stays camel-http's (VenueEndpointsTest).
            if ("NoHttpResponseException".equals(t.getClass().getSimpleName())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean running() {
        return camel.isStarted();
    }

    private ProducerTemplate template() {
        ProducerTemplate t = template;
        if (t == null) {
            synchronized (this) {
                if (template == null) {
                    template = camel.createProducerTemplate();
                }
                t = template;
            }
        }
        return t;
    }

    /** The route's step before the call: the query, the JSON body's type, the headers that authenticate it. */
    public void sign(Exchange exchange) {
        Message in = exchange.getMessage();
        String query = exchange.getProperty(QUERY, "", String.class);
        if (query.isEmpty()) {
            in.removeHeader(Exchange.HTTP_QUERY);
        } else {
            in.setHeader(Exchange.HTTP_QUERY, query);
        }
        byte[] body = in.getBody(byte[].class);
        if (body != null) {
            in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        }
        String method = in.getHeader(Exchange.HTTP_METHOD, String.class);
        String path = in.getHeader(Exchange.HTTP_PATH, String.class);
        exchange.setProperty(ASKED, method + " " + path);
        exchange.getProperty(AUTH, Auth.NONE, Auth.class).headers(method, path, body).forEach(in::setHeader);
    }

    /** The route's step after the call: 425, 429 and 5xx are no answer (retryable); any other is the answer. */
    public Response answer(Exchange exchange) {
        Message in = exchange.getMessage();
        int status = in.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String what = exchange.getFromRouteId() + " (" + exchange.getProperty(ASKED, "", String.class) + ")";
        if (status == 425 || status == 429 || status >= 500) {
            throw new RetryableVenueException(what + " answered " + status, status,
                    VenueStatus.retryAfterMillis(in.getHeader("Retry-After", String.class)));
        }
        byte[] raw = in.getBody(byte[].class);
        String body = raw == null ? null : new String(raw, StandardCharsets.UTF_8);
        JsonNode json = null;
        try {
            json = body == null || body.isBlank() ? null : mapper.readTree(body);
        } catch (IOException notJson) {
            // left null: callers report the raw body
        }
        return new Response(status, body, json);
    }
}
