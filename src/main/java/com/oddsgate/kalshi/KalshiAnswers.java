package com.oddsgate.kalshi;

import java.math.BigDecimal;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.message.Json;
import com.oddsgate.order.Decimals;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.VenueOutcome;
import com.oddsgate.venue.RetryableVenueException;
import com.oddsgate.venue.VenueStatus;

/**
 * What Kalshi's answers mean for an order (shapes: {@code venue-contracts/kalshi-2026.json}).
 * Transport trouble is retryable; refusals are final; an answer we cannot read is UNKNOWN (resolved
 * later by client_order_id), never REJECTED, because the venue may hold the order.
 */
public class KalshiAnswers {

    private static final String IOC = "immediate_or_cancel";
    private static final String FOK = "fill_or_kill";

    /**
     * The answer to a V2 create. {@code timeInForce} is the request's: with IOC/FOK nothing rests, so
     * a partial fill is MATCHED and no fill at all is CANCELED.
     */
    public VenueOutcome placement(int status, String body, String retryAfter, String timeInForce) {
        JsonNode j = parse(body);
        if (VenueStatus.retryable(status)) {
            // Kalshi sends no Retry-After on 429: the route's exponential backoff applies.
            throw new RetryableVenueException("Kalshi answered HTTP " + status + error(j, ""), status,
                    VenueStatus.retryAfterMillis(retryAfter));
        }
        if (status >= 200 && status < 300) {
            return j == null ? unreadable(body) : created(j, body, timeInForce);
        }
        return refusal(status, j, body);
    }

    /** One item of a create (or batch create) answer that carries no error. */
    public static VenueOutcome created(JsonNode item, String raw, String timeInForce) {
        if (item.path("order").isObject()) {
            return orderState(item.get("order"), raw, "venue status "); // a wrapped order object
        }
        String orderId = item.path("order_id").asText("");
        BigDecimal filled = count(item, "fill_count");
        BigDecimal remaining = count(item, "remaining_count");
        if (orderId.isEmpty() || filled == null || remaining == null) {
            return unreadable(raw);
        }
        boolean immediate = IOC.equals(timeInForce) || FOK.equals(timeInForce);
        String figures = "filled " + filled.toPlainString() + ", remaining " + remaining.toPlainString()
                + (item.hasNonNull("average_fill_price") ? " at avg " + item.get("average_fill_price").asText() : "")
                + (item.hasNonNull("average_fee_paid") ? ", avg fee " + item.get("average_fee_paid").asText() : "");
        OrderState state;
        if (filled.signum() == 0) {
            state = immediate || remaining.signum() == 0 ? OrderState.CANCELED : OrderState.LIVE;
        } else {
            state = immediate || remaining.signum() == 0 ? OrderState.MATCHED : OrderState.PARTIALLY_FILLED;
        }
        String why = state == OrderState.CANCELED ? "accepted, nothing matched and nothing rests (" + figures + ")"
                : "accepted (" + figures + ")";
        return new VenueOutcome(state, orderId, why, raw);
    }

    /** In the reason of an order Kalshi answered 409 to: it holds an order under this client_order_id. */
    public static final String HELD = "venue already holds this client_order_id";

    /** A refusal: REJECTED with the venue's code, except a client_order_id the venue already holds. */
    public static VenueOutcome refusal(int status, JsonNode j, String body) {
        String error = error(j, body == null ? "" : ": " + body);
        if (status == 409 || code(j).contains("already")) {
            return new VenueOutcome(OrderState.UNKNOWN, null,
                    HELD + "; resolving by client_order_id", body);
        }
        String prefix = status == 401 || status == 403 ? "venue refused authentication (HTTP " + status + ")" : "HTTP " + status;
        return new VenueOutcome(OrderState.REJECTED, null, prefix + error, body);
    }

    private static VenueOutcome unreadable(String raw) {
        return new VenueOutcome(OrderState.UNKNOWN, null, "venue accepted the call but its answer could not be read;"
                + " resolving by client_order_id", raw);
    }

    /**
     * An order object ({@code GET /portfolio/orders[/{id}]}): status resting | canceled | executed,
     * counts as {@code *_count_fp} strings (older integer {@code *_count} accepted). A canceled order
     * with fills was partly filled before the cancel: CANCELED (its fills still count); so is an
     * executed one whose fills fall short of its initial count.
     */
    public static VenueOutcome orderState(JsonNode order, String raw, String prefix) {
        String s = order.path("status").asText("");
        BigDecimal given = count(order, "fill_count");
        BigDecimal filled = given == null ? BigDecimal.ZERO : given;
        BigDecimal initial = count(order, "initial_count");
        if (initial == null) {
            initial = count(order, "count");
        }
        OrderState state = switch (s) {
            case "resting" -> filled.signum() > 0 ? OrderState.PARTIALLY_FILLED : OrderState.LIVE;
            // Nothing of it remains. Short of its initial count (a decrease, or an IOC whose rest was killed),
            // it will fill no further: ended, its fills counting — MATCHED would wait for the rest for ever.
            case "executed" -> given != null && initial != null && given.compareTo(initial) < 0 ? OrderState.CANCELED : OrderState.MATCHED;
            case "canceled" -> OrderState.CANCELED;
            case "pending" -> OrderState.DELAYED;
            default -> OrderState.UNKNOWN; // a status word we do not know: resolved later, never a refusal
        };
        return new VenueOutcome(state, order.path("order_id").asText(null), prefix + s + " (filled "
                + filled.toPlainString() + " of " + (initial == null ? "?" : initial.toPlainString()) + ")", raw);
    }

    /** A count in either shape: {@code name_fp} (fixed-point string) or plain {@code name}; null when absent. */
    static BigDecimal count(JsonNode n, String name) {
        JsonNode v = n.hasNonNull(name + "_fp") ? n.get(name + "_fp") : n.get(name);
        if (v == null || v.isNull() || v.asText().isEmpty()) {
            return null;
        }
        try {
            return Decimals.parse(v.asText());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The error code alone ({"error":{"code"}} or flat {"code"}), "" when there is none. */
    static String code(JsonNode j) {
        if (j == null) {
            return "";
        }
        JsonNode e = j.has("error") ? j.get("error") : j;
        return e.path("code").asText("");
    }

    public static JsonNode parse(String body) {
        return Json.tryRead(body);
    }

    /** ": code: message" from Kalshi's {"error":{"code","message"}} or flat {"code","message"}, or the fallback. */
    static String error(JsonNode j, String fallback) {
        if (j == null) {
            return fallback;
        }
        JsonNode e = j.has("error") ? j.get("error") : j.has("code") ? j : null;
        if (e == null) {
            return fallback;
        }
        if (e.isTextual()) {
            return ": " + e.asText();
        }
        String code = e.path("code").asText("");
        String message = e.path("message").asText("");
        return ": " + (code.isEmpty() ? message : message.isEmpty() ? code : code + ": " + message);
    }
}
