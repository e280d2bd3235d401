package com.oddsgate.api;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.message.Json;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.risk.PreTradeRisk;

/** {@code GET /api/risk} (the limits in force and their changes) and {@code PUT /api/risk} (new limits, recorded). */
public class RiskViews {

    private final PreTradeRisk risk;

    public RiskViews(PreTradeRisk risk) {
        this.risk = risk;
    }

    public void show(Exchange exchange) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("limits", risk.limits().view());
        out.put("history", risk.history(20));
        Json.respond(exchange, 200, out);
    }

    public void change(Exchange exchange) {
        JsonNode body = Json.tryRead(exchange.getIn().getBody(String.class));
        if (body == null || !body.isObject()) {
            Json.respond(exchange, 400, Map.of("error", "a JSON object of limits (maxOrderNotional, maxOpenOrders, maxPosition,"
                    + " maxDailyNotional, priceBand, maxEventPosition; null or absent: off)"));
            return;
        }
        PreTradeRisk.Limits limits;
        try {
            limits = PreTradeRisk.Limits.from(body);
        } catch (OrderRejectedException e) {
            Json.respond(exchange, 400, Map.of("error", e.getMessage(), "violations", e.violations()));
            return;
        }
        String by = exchange.getIn().getHeader("X-Requested-By", String.class);
        Json.respond(exchange, 200, Map.of("limits", risk.change(limits, by == null ? "api" : BulkCancels.actor(by)).view()));
    }
}
