package com.oddsgate.kalshi;

import java.math.BigDecimal;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.api.Json;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.VenueOutcome;
import com.oddsgate.venue.RetryableVenueException;
import com.oddsgate.venue.VenueStatus;

/** What Kalshi's answers mean for an order. Transport trouble is retryable; refusals are final. */
public class KalshiAnswers {

    public VenueOutcome placement(int status, String body, String retryAfter) {
        JsonNode j = parse(body);
        if (VenueStatus.retryable(status)) {
            // Kalshi sends no Retry-After on 429: the route's exponential backoff applies.
            throw new RetryableVenueException("Kalshi answered HTTP " + status + error(j, ""), status,
                    VenueStatus.retryAfterMillis(retryAfter));
        }
        if (status >= 200 && status < 300 && j != null && j.has("order")) {
            return orderState(j.get("order"), body, "venue status ");
        }
        if (status == 409 || error(j, "").contains("already_exists")) {
            return new VenueOutcome(OrderState.UNKNOWN, null,
                    "venue already holds this client_order_id; resolving by client_order_id", body);
        }
        String prefix = status == 401 || status == 403 ? "venue refused authentication (HTTP " + status + ")" : "HTTP " + status;
        return new VenueOutcome(OrderState.REJECTED, null, prefix + error(j, body == null ? "" : ": " + body), body);
    }

    /** An order object from Kalshi → state. */
    public static VenueOutcome orderState(JsonNode order, String raw, String prefix) {
        String s = order.path("status").asText("");
        BigDecimal filled = new BigDecimal(order.path("fill_count").asText("0"));
        OrderState state = switch (s) {
            case "resting" -> OrderState.LIVE;
            case "executed" -> OrderState.MATCHED;
            case "canceled" -> filled.signum() > 0 ? OrderState.MATCHED : OrderState.CANCELED;
            case "pending" -> OrderState.DELAYED;
            default -> null;
        };
        if (state == null) {
            return new VenueOutcome(OrderState.REJECTED, order.path("order_id").asText(null), "unexpected order status '" + s + "'", raw);
        }
        return new VenueOutcome(state, order.path("order_id").asText(null), prefix + s + " (filled "
                + filled.toPlainString() + " of " + order.path("count").asText("?") + ")", raw);
    }

    public static JsonNode parse(String body) {
        return com.oddsgate.api.Json.tryRead(body);
    }

    /** ": code: message" from Kalshi's {"error":{"code","message"}}, or the fallback. */
    static String error(JsonNode j, String fallback) {
        if (j == null || !j.has("error")) {
            return fallback;
        }
        JsonNode e = j.get("error");
        if (e.isTextual()) {
            return ": " + e.asText();
        }
        String code = e.path("code").asText("");
        String message = e.path("message").asText("");
        return ": " + (code.isEmpty() ? message : message.isEmpty() ? code : code + ": " + message);
    }
}
