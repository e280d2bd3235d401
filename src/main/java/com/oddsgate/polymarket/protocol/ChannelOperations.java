package com.oddsgate.polymarket.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oddsgate.message.Json;

/**
 * A change of a Polymarket channel's subscription on an open connection, as the venue documents it:
 * {@code {"operation":"subscribe","<field>":[added]}} and {@code {"operation":"unsubscribe","<field>":[gone]}}
 * — {@code markets} (condition ids) on the user channel, {@code assets_ids} (tokens) on the market channel.
 */
final class ChannelOperations {

    private ChannelOperations() {
    }

    /** The operations that take the subscription {@code sent} to {@code now} (none when they follow the same). */
    static List<String> between(String sent, String now, String field) {
        Set<String> before = ids(sent, field);
        Set<String> after = ids(now, field);
        List<String> out = new ArrayList<>();
        Set<String> added = new TreeSet<>(after);
        added.removeAll(before);
        Set<String> gone = new TreeSet<>(before);
        gone.removeAll(after);
        // Unsubscribe first: at the venue's cap (200 assets), a subscribe sent first would briefly exceed it.
        if (!gone.isEmpty()) {
            out.add(operation("unsubscribe", field, gone));
        }
        if (!added.isEmpty()) {
            out.add(operation("subscribe", field, added));
        }
        return out;
    }

    private static Set<String> ids(String subscription, String field) {
        JsonNode j = Json.tryRead(subscription == null ? "{}" : subscription);
        if (j == null) {
            throw new IllegalStateException("our own subscription is not JSON");
        }
        Set<String> out = new TreeSet<>();
        j.path(field).forEach(id -> out.add(id.asText()));
        return out;
    }

    private static String operation(String op, String field, Set<String> ids) {
        ObjectNode o = Json.MAPPER.createObjectNode().put("operation", op);
        ids.forEach(o.putArray(field)::add);
        return o.toString();
    }
}
