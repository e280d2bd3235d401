package com.oddsgate.venue;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One page of a venue's list, read strictly. Every list the venues document answers its items as an
 * array and its next cursor (empty, or Polymarket's {@code LTE=}, on the last page): a page without
 * either is no answer, never the last page — read as "nothing more", it would conclude that the
 * venue does not hold an order it holds, or move a poll's cursor past fills it never saw.
 */
public final class ListPage {

    private ListPage() {
    }

    /** The page's items ({@code field}, an array); {@code what} names the call in the error. */
    public static JsonNode items(JsonNode page, String field, String what) {
        JsonNode items = page.get(field);
        if (items == null || !items.isArray()) {
            throw new IllegalStateException(what + " answered without its '" + field + "' list: not read as an empty page");
        }
        return items;
    }

    /** The page's next cursor ({@code field}, a string, empty on the last page for Kalshi). */
    public static String cursor(JsonNode page, String field, String what) {
        JsonNode cursor = page.get(field);
        if (cursor == null || !cursor.isTextual()) {
            throw new IllegalStateException(what + " answered without its '" + field + "': not read as the last page");
        }
        return cursor.asText();
    }
}
