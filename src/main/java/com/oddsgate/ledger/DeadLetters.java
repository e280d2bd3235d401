package com.oddsgate.ledger;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.Map;

import org.apache.camel.Exchange;
import org.springframework.jdbc.core.JdbcTemplate;

import com.oddsgate.message.Flow;
import com.oddsgate.message.VenueAttempts;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.OrderTicket;

/**
 * The dead-letter channel's end: keeps the original message and the reason, and moves the order to
 * a state that tells the truth — REJECTED when nothing was sent, UNKNOWN when it may have been
 * (recovery then resolves it by order hash, never by signing again).
 */
public class DeadLetters {

    private final JdbcTemplate jdbc;
    private final OrderLedger ledger;
    private final Clock clock;

    public DeadLetters(JdbcTemplate jdbc, OrderLedger ledger, Clock clock) {
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.clock = clock;
    }

    public void record(Exchange exchange) {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = cause == null ? "unknown failure" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
        Integer attempts = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        if (attempts != null && attempts > 0) {
            reason = reason + " (after " + attempts + " redeliveries)";
        }
        int sent = VenueAttempts.sent(exchange);
        if (sent > 0) {
            reason = reason + " (" + sent + (sent == 1 ? " attempt" : " attempts") + " sent to the venue)";
        }
        Long orderId = exchange.getProperty(Flow.ORDER_ID, Long.class);
        // The ticket keeps the request exactly as it arrived (REST body or file line).
        OrderTicket ticket = exchange.getProperty(Flow.TICKET, OrderTicket.class);
        String original = ticket != null ? ticket.getRaw() : exchange.getIn().getBody(String.class);
        jdbc.update("INSERT INTO dead_letters (at, route_id, order_id, reason, original_message) VALUES (?,?,?,?,?)",
                Timestamp.from(clock.instant()), exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class), orderId,
                OrderLedger.truncate(reason), OrderLedger.storable(original));
        if (orderId == null) {
            return;
        }
        if (ledger.heldElsewhere(orderId)) {
            exchange.setProperty(Flow.HTTP_STATUS, 502); // taken over by another instance: it settles the order, this one writes nothing on it
            return;
        }
        OrderRecord r = ledger.find(orderId).orElseThrow();
        if (r.state() == OrderState.RECEIVED) {
            ledger.transition(orderId, r.state(), OrderState.REJECTED, "dead-letter", "not sent: " + reason, null, null);
            exchange.setProperty(Flow.HTTP_STATUS, 503);
        } else if (r.state() == OrderState.PENDING_SUBMIT && sent == 0 && !(cause instanceof InstanceLease.LeaseLapsed)) {
            // Signed and recorded, but no attempt left (the ledger failed at the last gate, say): nothing at the
            // venue, and never sent later either — recovery would make its first send minutes after this answer.
            // (A lapsed lease is left UNKNOWN: another instance may be taking the order over.)
            ledger.transition(orderId, r.state(), OrderState.REJECTED, "dead-letter", "not sent: " + reason, null, null);
            exchange.setProperty(Flow.HTTP_STATUS, 503);
        } else if (r.state() == OrderState.PENDING_SUBMIT) {
            ledger.transition(orderId, r.state(), OrderState.UNKNOWN, "dead-letter",
                    (LedgerFaults.in(cause) ? "the ledger failed: " : "venue unreachable: ") + reason
                            + "; will be resolved by order hash", null, null);
            exchange.setProperty(Flow.HTTP_STATUS, 502);
        } else {
            exchange.setProperty(Flow.HTTP_STATUS, 502);
        }
    }

    /** Dead letters not yet replayed. */
    public int depth() {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM dead_letters WHERE replayed_at IS NULL", Integer.class);
        return n == null ? 0 : n;
    }

    /** What a replay claim found: the order to replay (claimed), or why there is none. */
    public record Claim(OrderRecord order, int status, String refusal) {
        static Claim refused(int status, String why) {
            return new Claim(null, status, why);
        }

        public boolean claimed() {
            return order != null;
        }
    }

    /**
     * Claims a dead letter for replay, once: the first caller sets {@code replayed_at}; any later
     * call is refused (409) and sends nothing. Only orders that may have been sent (UNKNOWN or
     * PENDING_SUBMIT) are replayed — by recovery, i.e. found by hash or re-sent as the same bytes.
     */
    public Claim claim(long id) {
        Map<String, Object> row = jdbc.queryForList("SELECT id, order_id, replayed_at FROM dead_letters WHERE id = ?", id)
                .stream().findFirst().orElse(null);
        if (row == null) {
            return Claim.refused(404, "no dead letter with id " + id);
        }
        if (row.get("replayed_at") != null) {
            return Claim.refused(409, "dead letter " + id + " was already replayed at " + row.get("replayed_at") + "; nothing sent");
        }
        Object orderId = row.get("order_id");
        OrderRecord order = orderId == null ? null : ledger.find(((Number) orderId).longValue()).orElse(null);
        if (order == null || !order.state().unresolved()) {
            return Claim.refused(409, "nothing to replay: the order is " + (order == null ? "unknown" : order.state())
                    + "; only orders that may have been sent are replayed");
        }
        int claimed = jdbc.update("UPDATE dead_letters SET replayed_at = ? WHERE id = ? AND replayed_at IS NULL",
                Timestamp.from(clock.instant()), row.get("id"));
        if (claimed != 1) {
            return Claim.refused(409, "dead letter " + id + " was already replayed; nothing sent");
        }
        return new Claim(order, 200, null);
    }

    /** A replay that left its order unresolved gives its claim back: it may be replayed again. */
    public void release(long id) {
        jdbc.update("UPDATE dead_letters SET replayed_at = NULL WHERE id = ?", id);
    }
}
