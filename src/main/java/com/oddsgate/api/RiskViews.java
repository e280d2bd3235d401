package com.oddsgate.api;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.message.ApiRefusal;
import com.oddsgate.message.Json;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.risk.PreTradeRisk;

/** {@code GET /api/risk} (the limits in force and their changes) and {@code PUT /api/risk} (new limits, recorded). */
public class RiskViews {

    private final PreTradeRisk risk;

    public RiskViews(PreTradeRisk risk) {
        this.risk = risk;
    }

    public Map<String, Object> show() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("limits", risk.limits().view());
        out.put("history", risk.history(20));
        return out;
    }

    /** {@code PUT /api/risk}: the new limits (recorded with who asked), or a 400 naming what is wrong. */
    public Map<String, Object> change(Exchange exchange) {
        JsonNode body = Json.tryRead(exchange.getIn().getBody(String.class));
        if (body == null || !body.isObject()) {
            throw new ApiRefusal(400, "a JSON object of limits (maxOrderNotional, maxOpenOrders, maxPosition,"
                    + " maxDailyNotional, priceBand, maxEventPosition; null or absent: off)", null);
        }
        PreTradeRisk.Limits limits;
        try {
            limits = PreTradeRisk.Limits.from(body);
        } catch (OrderRejectedException e) {
            throw new ApiRefusal(400, e.getMessage(), e.violations());
        }
        String by = exchange.getIn().getHeader("X-Requested-By", String.class);
        return Map.of("limits", risk.change(limits, by == null ? "api" : BulkCancels.actor(by)).view());
    }
}
