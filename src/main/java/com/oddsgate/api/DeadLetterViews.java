package com.oddsgate.api;

import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.Exchange;

import com.oddsgate.ledger.DeadLetters;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.message.ApiRefusal;

/**
 * {@code GET /api/dead-letters} and {@code POST /api/dead-letters/{id}/replay}: the HTTP side of
 * the dead-letter store ({@link DeadLetters}).
 */
public class DeadLetterViews {


    private final DeadLetters deadLetters;
    private final OrderLedger ledger;

    public DeadLetterViews(DeadLetters deadLetters, OrderLedger ledger) {
        this.deadLetters = deadLetters;
        this.ledger = ledger;
    }

    /** {@code GET /api/dead-letters?limit=}: the limit (1–500, default 50) for the route's query, or a 400. */
    public int limit(String l) {
        try {
            return l == null || l.isBlank() ? 50 : Math.max(1, Math.min(500, Integer.parseInt(l.trim())));
        } catch (NumberFormatException e) {
            throw new ApiRefusal(400, "limit must be a whole number", List.of(Map.of("field", "limit", "reason", "must be a whole number")));
        }
    }

    /** The rows the route's {@code sql:} query read (column names and time types as the database gives them). */
    public Map<String, Object> list(List<Map<String, Object>> found) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Object o : found) {
            Map<String, Object> row = new HashMap<>();
            ((Map<?, ?>) o).forEach((k, v) -> row.put(k.toString().toLowerCase(Locale.ROOT), v));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", ((Number) row.get("id")).longValue());
            m.put("at", instant(row.get("at")));
            m.put("routeId", row.get("route_id"));
            m.put("orderId", row.get("order_id") == null ? null : ((Number) row.get("order_id")).longValue());
            m.put("reason", row.get("reason"));
            m.put("originalMessage", row.get("original_message"));
            m.put("replayedAt", instant(row.get("replayed_at")));
            rows.add(m);
        }
        return Map.of("deadLetters", rows, "count", rows.size());
    }

    /** H2 gives TIMESTAMP WITH TIME ZONE as OffsetDateTime, PostgreSQL as Timestamp. */
    private static String instant(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof OffsetDateTime t) {
            return t.toInstant().toString();
        }
        if (v instanceof Timestamp t) {
            return t.toInstant().toString();
        }
        return v.toString();
    }

    /** Property: the order a replay claimed. */
    static final String REPLAYED = "oddsgateReplayedOrderId";
    /** Property: the dead letter a replay claimed. */
    static final String LETTER = "oddsgateReplayedLetter";
    /** Property: the replay's answer status (200 resolved; 202 still unresolved, the claim given back). */
    static final String STATUS = "oddsgateReplayStatus";

    /**
     * Claims the dead letter named by the path for replay (a second call while it is claimed sends
     * nothing; a replay that leaves its order unresolved gives the claim back, see {@link #replayed})
     * and puts its order in the body; none: 404, one that cannot be replayed (again): its status.
     */
    public void claim(Exchange exchange) {
        String id = exchange.getIn().getHeader("id", String.class);
        DeadLetters.Claim claim;
        try {
            claim = deadLetters.claim(Long.parseLong(id.trim()));
        } catch (NumberFormatException | NullPointerException e) {
            throw new ApiRefusal.NotFound("no dead letter with id " + id);
        }
        if (!claim.claimed()) {
            throw new ApiRefusal(claim.status(), claim.refusal(), null);
        }
        exchange.setProperty(REPLAYED, claim.order().id()); // not Flow.ORDER_ID: the recovery it runs is the one working on it
        exchange.setProperty(LETTER, Long.parseLong(id.trim()));
        exchange.getIn().setBody(claim.order());
    }

    /**
     * After the replay: the order as the ledger now holds it. Still unresolved (its recovery was
     * deferred — another instance's order, one being worked on here, the venue not readable, the kill
     * switch tripped): 202, and the claim is given back, so the dead letter can be replayed again.
     */
    public Map<String, Object> replayed(Exchange exchange) {
        OrderRecord r = ledger.find(exchange.getProperty(REPLAYED, Long.class)).orElseThrow();
        Map<String, Object> view = OrderViews.view(r);
        view.put("events", ledger.events(r.id()));
        boolean unresolved = r.state().unresolved();
        exchange.setProperty(STATUS, unresolved ? 202 : 200);
        if (unresolved) {
            deadLetters.release(exchange.getProperty(LETTER, Long.class));
            view.put("note", "still " + r.state() + " after this replay (its recovery was deferred or the venue could not say;"
                    + " the history and the log say why): recovery keeps looking it up, and the dead letter may be replayed again");
        }
        return view;
    }
}
