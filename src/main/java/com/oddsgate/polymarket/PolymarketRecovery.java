package com.oddsgate.polymarket;

import java.time.Clock;
import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.VenueOutcome;
import com.oddsgate.venue.JsonHttp;

/**
 * Resolves an order whose venue answer was lost: the precomputed order hash is the venue's order
 * id, so {@code GET /data/order/{hash}} tells whether the venue has it. When it does not, the same
 * recorded signed payload is sent again; the venue can never end up with two orders.
 */
public class PolymarketRecovery {

    private final PolymarketAccount account;
    private final PolymarketSettings settings;
    private final JsonHttp http;
    private final Clock clock;

    public PolymarketRecovery(PolymarketAccount account, PolymarketSettings settings, JsonHttp http, Clock clock) {
        this.account = account;
        this.settings = settings;
        this.http = http;
        this.clock = clock;
    }

    /** The venue's view of the order, or null when the venue does not hold it as an order. */
    public VenueOutcome lookup(OrderRecord order) {
        String path = "/data/order/" + order.orderHash();
        JsonHttp.Response r = http.get(settings.clobUrl() + path,
                account.l2Headers(clock.instant().getEpochSecond(), "GET", path, null));
        JsonNode j = r.json();
        if (r.status() == 404 || j == null || j.isNull() || !j.hasNonNull("status")) {
            return null;
        }
        if (!r.ok()) {
            throw new IllegalStateException("order lookup answered HTTP " + r.status() + ": " + r.body());
        }
        OrderState state = PolymarketAnswers.placementState(j.get("status").asText());
        if (state == null) {
            return null;
        }
        return new VenueOutcome(state, order.orderHash(), "found at the venue by order hash (status "
                + j.get("status").asText() + ")", r.body());
    }

    /** A ticket that re-sends exactly what was recorded. */
    public OrderTicket resend(OrderRecord order) {
        return OrderTicket.resend(order.id(), order.orderHash(), order.signedPayload());
    }
}
