package com.oddsgate.api;

import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedOperationParameter;
import org.springframework.jmx.export.annotation.ManagedResource;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.message.Json;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.risk.PreTradeRisk;

/** The pre-trade risk limits over JMX (Hawtio): read them, or replace them (recorded as changed by "jmx"). */
@ManagedResource(objectName = "oddsgate:type=Gateway,name=risk", description = "oddsgate pre-trade risk limits")
public class RiskOperations {

    private final PreTradeRisk risk;

    public RiskOperations(PreTradeRisk risk) {
        this.risk = risk;
    }

    @ManagedAttribute(description = "the limits in force (null: off)")
    public String getLimits() {
        return Json.write(risk.limits().view());
    }

    @ManagedOperation(description = "Replace the limits: a JSON object as PUT /api/risk takes it; absent or null is off")
    @ManagedOperationParameter(name = "limits", description = "{\"maxOrderNotional\":\"500\",\"maxOpenOrders\":50,...}")
    public String change(String limits) {
        JsonNode j = Json.tryRead(limits);
        if (j == null || !j.isObject()) {
            return "refused: a JSON object of limits";
        }
        try {
            return Json.write(risk.change(PreTradeRisk.Limits.from(j), "jmx").view());
        } catch (OrderRejectedException e) {
            return "refused: " + e.getMessage();
        }
    }
}
