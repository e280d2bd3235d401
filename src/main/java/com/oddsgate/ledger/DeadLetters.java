package com.oddsgate.ledger;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.springframework.jdbc.core.JdbcTemplate;

import com.oddsgate.api.Flow;
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
        Long orderId = exchange.getProperty(Flow.ORDER_ID, Long.class);
        // The ticket keeps the request exactly as it arrived (REST body or file line).
        OrderTicket ticket = exchange.getProperty(Flow.TICKET, OrderTicket.class);
        String original = ticket != null ? ticket.getRaw() : exchange.getIn().getBody(String.class);
        jdbc.update("INSERT INTO dead_letters (at, route_id, order_id, reason, original_message) VALUES (?,?,?,?,?)",
                Timestamp.from(clock.instant()), exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class), orderId,
                OrderLedger.truncate(reason), original);
        if (orderId == null) {
            return;
        }
        OrderRecord r = ledger.find(orderId).orElseThrow();
        if (r.state() == OrderState.RECEIVED) {
            ledger.transition(orderId, r.state(), OrderState.REJECTED, "dead-letter", "not sent: " + reason, null, null);
            exchange.setProperty(Flow.HTTP_STATUS, 503);
        } else if (r.state() == OrderState.PENDING_SUBMIT) {
            ledger.transition(orderId, r.state(), OrderState.UNKNOWN, "dead-letter",
                    "venue unreachable: " + reason + "; will be resolved by order hash", null, null);
            exchange.setProperty(Flow.HTTP_STATUS, 502);
        } else {
            exchange.setProperty(Flow.HTTP_STATUS, 502);
        }
    }

    public List<Map<String, Object>> list(int limit) {
        return jdbc.queryForList("SELECT id, at, route_id, order_id, reason, original_message, replayed_at"
                + " FROM dead_letters ORDER BY id DESC LIMIT ?", limit);
    }
}
