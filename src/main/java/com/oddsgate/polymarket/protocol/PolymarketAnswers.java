package com.oddsgate.polymarket.protocol;

import java.math.BigDecimal;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.message.Json;
import com.oddsgate.order.CanonicalOrder;
import com.oddsgate.order.Decimals;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.Side;
import com.oddsgate.order.TimeInForce;
import com.oddsgate.order.VenueOutcome;
import com.oddsgate.venue.RetryableVenueException;
import com.oddsgate.venue.VenueStatus;

/**
 * What the CLOB's answer to {@code POST /order} means. Rejections are final states; only transport
 * trouble (425, 429, 5xx) is worth a retry, and that is signalled by exception so the route's
 * redelivery policy applies.
 */
public class PolymarketAnswers {

    /** In the reason of an order the venue answered "Duplicated" to: it holds these very bytes. */
    public static final String HELD = "(duplicated)";

    /** The venue already holds this exact signed order (a re-send after a lost answer). */
    public static final String DUPLICATED = "Duplicated";

    private final ObjectMapper mapper = new ObjectMapper();

    public VenueOutcome map(int status, String body, String retryAfter) {
        if (VenueStatus.retryable(status)) {
            String why = errorText(parse(body), "");
            throw new RetryableVenueException("Polymarket answered HTTP " + status + (why.isEmpty() ? "" : ": " + why), status,
                    VenueStatus.retryAfterMillis(retryAfter));
        }
        JsonNode j = parse(body);
        if (status >= 200 && status < 300 && j != null && j.path("success").asBoolean(false)) {
            OrderState state = placementState(j.path("status").asText(""));
            String msg = j.path("errorMsg").asText("");
            if (state == null) {
                // Accepted with a status word we do not know: not a refusal. UNKNOWN, resolved by order hash.
                return new VenueOutcome(OrderState.UNKNOWN, j.path("orderID").asText(null), "venue accepted the order with"
                        + " an unknown status '" + j.path("status").asText("") + "'" + (msg.isEmpty() ? "" : ": " + msg)
                        + "; resolving by order hash", body);
            }
            return new VenueOutcome(state, j.path("orderID").asText(null),
                    "venue status " + j.path("status").asText() + (msg.isEmpty() ? "" : ": " + msg), body);
        }
        if (status >= 200 && status < 300 && (j == null || !j.path("success").isBoolean())) {
            // Accepted at the HTTP level but the answer cannot be read (cut short, an unknown shape):
            // the venue may hold the order, so it is resolved by its hash, never recorded REJECTED.
            return new VenueOutcome(OrderState.UNKNOWN, j == null ? null : j.path("orderID").asText(null),
                    "venue answered HTTP " + status + " in a shape we cannot read; resolving by order hash", body);
        }
        String error = errorText(j, body == null ? "" : body);
        if (error.contains(DUPLICATED)) {
            return new VenueOutcome(OrderState.UNKNOWN, null,
                    "venue already holds this signed order " + HELD + "; resolving by order hash", body);
        }
        String prefix = status == 401 || status == 403 ? "venue refused authentication (HTTP " + status + "): " : "";
        return new VenueOutcome(OrderState.REJECTED, null, prefix + error, body);
    }

    /**
     * A GTC or GTD order answered "matched" for part of its size rests on the book with the rest: the
     * answer's amounts say what matched at once (shares: a BUY's takingAmount, a SELL's makingAmount).
     * MATCHED would hide that rest — not cancellable by id, left out of the open-order sync, its
     * CANCELLATION unheard — so it is LIVE, and the match's trades, when they come, make it
     * PARTIALLY_FILLED. Matched in full (short of it by less than {@link Decimals#DUST}: a fee or a
     * rounding, not a rest the book would take), or amounts missing or unreadable: as answered.
     */
    public static VenueOutcome withRestingRest(VenueOutcome outcome, CanonicalOrder order) {
        return order == null ? outcome : withRestingRest(outcome, order.side(), order.timeInForce(), order.size());
    }

    /** {@link #withRestingRest(VenueOutcome, CanonicalOrder)} for an order as the ledger holds it (a re-send by recovery). */
    public static VenueOutcome withRestingRest(VenueOutcome outcome, OrderRecord order) {
        if (order == null || order.side() == null || order.timeInForce() == null) {
            return outcome;
        }
        try {
            return withRestingRest(outcome, Side.valueOf(order.side()), TimeInForce.valueOf(order.timeInForce()), order.size());
        } catch (IllegalArgumentException unnamed) {
            return outcome;
        }
    }

    private static VenueOutcome withRestingRest(VenueOutcome outcome, Side side, TimeInForce timeInForce, BigDecimal size) {
        if (outcome.state() != OrderState.MATCHED || side == null || timeInForce == null || timeInForce.marketable() || size == null) {
            return outcome;
        }
        JsonNode j = Json.tryRead(outcome.rawAnswer());
        String shares = j == null ? "" : j.path(side == Side.BUY ? "takingAmount" : "makingAmount").asText("");
        BigDecimal matched;
        try {
            matched = Decimals.parse(shares);
        } catch (IllegalArgumentException unreadable) {
            return outcome;
        }
        if (matched.signum() <= 0 || size.subtract(matched).compareTo(Decimals.DUST) < 0) {
            return outcome;
        }
        return new VenueOutcome(OrderState.LIVE, outcome.venueOrderId(), "venue status matched for " + Decimals.plain(matched)
                + " of " + Decimals.plain(size) + " at once; the rest rests on the book (the match's trades follow)",
                outcome.rawAnswer());
    }

    /** Placement status → state; null when the status is not one the venue documents. */
    public static OrderState placementState(String status) {
        String s = status.toLowerCase(Locale.ROOT);
        return switch (s.startsWith("order_status_") ? s.substring("order_status_".length()) : s) {
            case "live" -> OrderState.LIVE;
            case "matched" -> OrderState.MATCHED;
            case "delayed" -> OrderState.DELAYED;
            case "unmatched" -> OrderState.UNMATCHED;
            case "canceled", "cancelled" -> OrderState.CANCELED;
            default -> null;
        };
    }

    private static JsonNode parse(String body) {
        return Json.tryRead(body);
    }

    private static String errorText(JsonNode j, String fallback) {
        if (j == null) {
            return fallback;
        }
        if (j.hasNonNull("error")) {
            return j.get("error").asText();
        }
        if (j.hasNonNull("errorMsg") && !j.get("errorMsg").asText().isEmpty()) {
            return j.get("errorMsg").asText();
        }
        return fallback;
    }
}
