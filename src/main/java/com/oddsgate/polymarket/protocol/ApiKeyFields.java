package com.oddsgate.polymarket.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Polymarket's answers name API keys: an order's and a trade's {@code owner}, a trade's
 * {@code trade_owner}, each maker order's {@code owner} — ours among them. What the gateway keeps of
 * an answer (an order's history, a quarantined trade) and may show is kept without them.
 */
final class ApiKeyFields {

    private ApiKeyFields() {
    }

    /** A copy without the API-key fields, at any depth. */
    static JsonNode removed(JsonNode answer) {
        JsonNode copy = answer.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode n) {
        if (n instanceof ObjectNode o) {
            o.remove("owner");
            o.remove("trade_owner");
        }
        if (n.isContainerNode()) {
            n.forEach(ApiKeyFields::strip);
        }
    }
}
