package com.oddsgate.api;

import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;

import com.oddsgate.ledger.DeadLetters;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.message.Flow;

/**
 * {@code GET /api/dead-letters} and {@code POST /api/dead-letters/{id}/replay}: the HTTP side of
 * the dead-letter store ({@link DeadLetters}).
 */
public class DeadLetterViews {

    /** Property: true when this call claimed the dead letter and the replay goes ahead. */
    public static final String CLAIMED = "oddsgateDeadLetterClaimed";

    private final DeadLetters deadLetters;
    private final OrderLedger ledger;

    public DeadLetterViews(DeadLetters deadLetters, OrderLedger ledger) {
        this.deadLetters = deadLetters;
        this.ledger = ledger;
    }

    /** {@code GET /api/dead-letters?limit=}: newest first. */
    public void list(Exchange exchange) {
        String l = exchange.getIn().getHeader("limit", String.class);
        int limit;
        try {
            limit = l == null || l.isBlank() ? 50 : Math.max(1, Math.min(500, Integer.parseInt(l.trim())));
        } catch (NumberFormatException e) {
            OrderViews.respond(exchange, 400, Map.of("error", "limit must be a whole number"));
            return;
        }
        List<Map<String, Object>> rows = deadLetters.newest(limit);
        OrderViews.respond(exchange, 200, Map.of("deadLetters", rows, "count", rows.size()));
    }

    /** Claims the dead letter named by the path for replay; answers 404/409 itself when there is nothing to replay. */
    public void claim(Exchange exchange) {
        exchange.setProperty(CLAIMED, false);
        String id = exchange.getIn().getHeader("id", String.class);
        DeadLetters.Claim claim;
        try {
            claim = deadLetters.claim(Long.parseLong(id.trim()));
        } catch (NumberFormatException | NullPointerException e) {
            OrderViews.respond(exchange, 404, Map.of("error", "no dead letter with id " + id));
            return;
        }
        if (!claim.claimed()) {
            OrderViews.respond(exchange, claim.status(), Map.of("error", claim.refusal()));
            return;
        }
        exchange.setProperty(Flow.ORDER_ID, claim.order().id());
        exchange.setProperty(CLAIMED, true);
        exchange.getIn().setBody(claim.order());
    }

    /** After the replay: the order as the ledger now holds it. */
    public void replayed(Exchange exchange) {
        OrderRecord r = ledger.find(exchange.getProperty(Flow.ORDER_ID, Long.class)).orElseThrow();
        Map<String, Object> view = OrderViews.view(r);
        view.put("events", ledger.events(r.id()));
        OrderViews.respond(exchange, 200, view);
    }
}
