package com.oddsgate.api;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;

import com.oddsgate.events.EventRegistry;
import com.oddsgate.message.Json;
import com.oddsgate.order.OrderRejectedException;

/** {@code GET /api/events} and the answers of routes/events.camel.yaml. */
public class EventViews {

    private final EventRegistry registry;

    public EventViews(EventRegistry registry) {
        this.registry = registry;
    }

    /** Every pairing in the registry file with what its check found. */
    public Map<String, Object> list() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", registry.file().toString());
        if (registry.fileProblem() != null) {
            out.put("fileProblem", registry.fileProblem());
        }
        out.put("events", registry.all().stream().map(EventRegistry.Entry::view).toList());
        return out;
    }

    /** An unknown event (404) or one not in use (409), from the route configuration event-errors. */
    public void refused(Exchange exchange) {
        OrderRejectedException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, OrderRejectedException.class);
        Json.respond(exchange, e.status(), Map.of("error", e.getMessage(), "violations", e.violations()));
    }
}
