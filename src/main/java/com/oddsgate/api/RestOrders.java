package com.oddsgate.api;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.message.Json;
import com.oddsgate.order.OrderNormalizer;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.Violation;

/** A REST body becomes a ticket; a body that is not a JSON object still becomes one, to be rejected and recorded. */
public class RestOrders {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final OrderNormalizer normalizer;

    public RestOrders(OrderNormalizer normalizer) {
        this.normalizer = normalizer;
    }

    public OrderTicket ticket(String body) {
        OrderTicket t = new OrderTicket("rest", body, null);
        Map<String, Object> fields;
        try {
            JsonNode node = Json.ONE_VALUE.readTree(body == null ? "" : body);
            if (node == null || !node.isObject()) {
                t.getViolations().add(new Violation("body", "must be a JSON object"));
                fields = Map.of();
            } else {
                fields = Json.MAPPER.convertValue(node, MAP);
            }
        } catch (IOException e) {
            t.getViolations().add(new Violation("body", "is not valid JSON: " + firstLine(e.getMessage())));
            fields = Map.of();
        }
        normalizer.normalize(t, fields, null);
        return t;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
