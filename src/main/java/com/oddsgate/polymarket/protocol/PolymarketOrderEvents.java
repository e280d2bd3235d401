package com.oddsgate.polymarket.protocol;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.order.Decimals;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.VenueOutcome;

/**
 * The user channel's {@code order} events ({@code PLACEMENT}, {@code UPDATE}, {@code CANCELLATION})
 * move our orders at once: a cancel the venue made (heartbeat dead-man switch, market resolution,
 * another client) is CANCELED in the ledger without waiting for the open-order sync, and a
 * placement the venue confirms resolves an order whose answer was lost. Fills stay with the trade
 * events; an UPDATE changes nothing here.
 */
public class PolymarketOrderEvents {

    static final String SOURCE = "ws-order-event";

    private final OrderLedger ledger;
    private final ObjectMapper json;
    private final CancellationEvents cancellations;

    public PolymarketOrderEvents(OrderLedger ledger, ObjectMapper json, CancellationEvents cancellations) {
        this.ledger = ledger;
        this.json = json;
        this.cancellations = cancellations;
    }

    /** Whether a user-channel message (an event or an array) holds an order event; unreadable: no. */
    public boolean carriesOrderEvents(String message) {
        try {
            JsonNode root = json.readTree(message);
            for (JsonNode event : root.isArray() ? root : List.of(root)) {
                if ("order".equalsIgnoreCase(event.path("event_type").asText())) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false; // apply() reports it
        }
    }

    /** Applies every order event of one user-channel message (an event or an array); other events are left alone. */
    public void apply(String message) throws IOException {
        JsonNode root = json.readTree(message);
        for (JsonNode event : root.isArray() ? root : List.of(root)) {
            if ("order".equalsIgnoreCase(event.path("event_type").asText())) {
                apply(event);
            }
        }
    }

    private void apply(JsonNode received) {
        JsonNode event = ApiKeyFields.removed(received); // our API key: not kept in history
        String hash = event.path("id").asText("");
        if (hash.isEmpty()) {
            return;
        }
        OrderRecord r = ledger.findByVenueOrder(PolymarketTrades.VENUE, hash).orElse(null);
        if (r == null) {
            return; // not placed through the gateway (e.g. the relay)
        }
        String type = event.path("type").asText("").toUpperCase(Locale.ROOT);
        if (type.equals("CANCELLATION")) {
            // For an amend waiting to place what was left: whatever the ledger's state (its cancel's answer may have come first).
            BigDecimal matched = sizeMatched(event);
            if (matched != null) {
                cancellations.saw(hash, matched);
            }
        }
        if (type.equals("CANCELLATION") && (r.state().restingAtVenue() || r.state().unresolved())) {
            ledger.recordOutcome(r.id(), new VenueOutcome(OrderState.CANCELED, null, "cancelled at the venue (user channel,"
                    + " matched " + event.path("size_matched").asText("0") + " of " + event.path("original_size").asText("?") + ")",
                    event.toString()), SOURCE);
        } else if (type.equals("PLACEMENT") && (r.state() == OrderState.DELAYED || r.state().unresolved())) {
            ledger.recordOutcome(r.id(), new VenueOutcome(OrderState.LIVE, null, "resting at the venue (user channel)",
                    event.toString()), SOURCE);
        }
    }

    private static BigDecimal sizeMatched(JsonNode event) {
        try {
            return event.hasNonNull("size_matched") ? Decimals.parse(event.get("size_matched").asText()) : null;
        } catch (IllegalArgumentException e) {
            return null; // not a figure: nobody is told a size
        }
    }
}
