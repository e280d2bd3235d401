package com.oddsgate.api;

import java.util.Map;

import org.apache.camel.Exchange;

import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.message.ApiRefusal;
import com.oddsgate.message.Flow;
import com.oddsgate.message.Json;

/** The last step of the API's read routes: the body as a JSON answer, or the refusal a route or a view threw. */
public class ApiAnswers {

    /** 200 with the body (a view the route's previous step made). */
    public void ok(Exchange exchange) {
        Json.respond(exchange, 200, exchange.getIn().getBody());
    }

    /** The body with the status the route chose (e.g. 409 for an order the venue did not cancel, with its state and reason). */
    public void status(Exchange exchange, int status) {
        Json.respond(exchange, status, exchange.getIn().getBody());
    }

    /** The caught {@link ApiRefusal}'s status and body; a refusal about an order says the order's state. */
    public void refusal(Exchange exchange) {
        // Thrown in an expression (a setHeader's method), it arrives wrapped: the refusal is a cause.
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        while (caught != null && !(caught instanceof ApiRefusal)) {
            caught = caught.getCause();
        }
        ApiRefusal refusal = (ApiRefusal) caught;
        Map<String, Object> body = refusal.body();
        OrderRecord order = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        if (order != null && refusal.getStatus() == 409) {
            body.put("state", order.state().name());
        }
        Json.respond(exchange, refusal.getStatus(), body);
    }
}
