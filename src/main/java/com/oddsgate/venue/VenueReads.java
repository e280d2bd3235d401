package com.oddsgate.venue;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The venues' HTTP calls other than orders and cancels — markets, books, balances, trades, order
 * lookups, heartbeats, credentials — each made by a route of {@code venue-reads.camel.yaml} named
 * for it, where its method, host and path are. Orders and cancels go through
 * {@code venue-calls.camel.yaml}, with redelivery and dead letters; a read is retried by its caller.
 * <p>
 * A call that did not reach the venue, or that the venue did not process (425, 429, 5xx), throws
 * {@link RetryableVenueException}; any other answer is returned as it came.
 */
@FunctionalInterface
public interface VenueReads {

    /**
     * @param read  the route's name, e.g. {@code polymarket-book}
     * @param path  the values the route's path names ({@code ${exchangeProperty.x}}), already safe in a URL path
     * @param query the query string without {@code ?}, its values URL-encoded; empty for none
     * @param auth  the headers that authenticate the request (signed over the method and path as sent)
     * @param body  the request body (JSON), or null
     */
    Response call(String read, Map<String, String> path, String query, Auth auth, byte[] body);

    default Response get(String read, Map<String, String> path, String query, Auth auth) {
        return call(read, path, query, auth, null);
    }

    /**
     * A value for the path that is not an id a venue gives (a ticker, token id, hash, UUID): it would
     * lead the call elsewhere, so nothing is sent. The venue would not know it either.
     */
    class NotAnId extends IllegalArgumentException {
        public NotAnId(String message) {
            super(message);
        }
    }

    /** False until the routes that make the calls run (while the gateway starts). */
    default boolean running() {
        return true;
    }

    /** The venue's answer: status, body, and the body as JSON (null when it is not JSON). */
    record Response(int status, String body, JsonNode json) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** How a request is authenticated: headers over the method, the path as sent (no query), and the body. */
    @FunctionalInterface
    interface Auth {
        Auth NONE = (method, path, body) -> Map.of();

        Map<String, String> headers(String method, String path, byte[] body);
    }
}
