package com.oddsgate.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;

import com.oddsgate.message.Flow;
import com.oddsgate.message.VenueAttempts;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderTicket;

/**
 * The ledger's last word before a placement leaves (routes/venue-calls.camel.yaml): an order a
 * trader asked to cancel while its answer was unknown ({@link OrderLedger#askCancel}) is not sent,
 * whichever instance holds it and however far its submission had got (a redelivery waiting out its
 * backoff, a batch, a recovery's re-send); nor is an order another instance took over while this
 * one's lease had lapsed (the lease alone is checked before: it may hold again by now); nor a
 * request's first send that would leave longer than {@code oddsgate.intake.first-send-within} after the
 * request arrived (a ledger that stalled: its caller has had its answer, a 503, by then, and the
 * price is that old). One indexed read per send.
 */
public class CancelAsks {

    private final OrderLedger ledger;
    private final Clock clock;
    private final Duration firstSendWithin;

    public CancelAsks(OrderLedger ledger, Clock clock, Duration firstSendWithin) {
        this.ledger = ledger;
        this.clock = clock;
        this.firstSendWithin = firstSendWithin;
    }

    /**
     * A request starts (routes/orders.camel.yaml, batches.camel.yaml, amends.camel.yaml): it arrived now —
     * unless it arrived earlier (an amend's replacement, a batch's orders: their request's arrival counts).
     */
    public void arrived(Exchange exchange) {
        if (exchange.getProperty(Flow.ARRIVED) == null) {
            exchange.setProperty(Flow.ARRIVED, clock.instant());
        }
    }

    /**
     * Refuses the send when a cancel was asked for its order (or one of its batch): before any
     * attempt left, a refusal (nothing reached the venue); after one did, or for a batch, the orders
     * stay unresolved for recovery, which looks them up and sends none of them again that were asked to go.
     * Withdraws it when another instance took one of its orders over: the dead-letter route (a batch:
     * batch-errors) records the request and writes nothing on that order.
     */
    public void gatePlacement(Exchange exchange) {
        List<Long> ids = new ArrayList<>();
        List<?> batch = exchange.getProperty(Flow.BATCH, List.class); // the venue batch being sent, not the whole request
        if (batch != null) {
            batch.forEach(t -> {
                if (t instanceof OrderTicket ticket && ticket.getOrderId() != null) {
                    ids.add(ticket.getOrderId());
                }
            });
        } else if (exchange.getProperty(Flow.ORDER_ID) != null) {
            ids.add(exchange.getProperty(Flow.ORDER_ID, Long.class));
        }
        List<OrderLedger.BeforeSend> read = ledger.beforeSend(ids);
        List<Long> asked = read.stream().filter(OrderLedger.BeforeSend::cancelAsked).map(OrderLedger.BeforeSend::id).toList();
        if (!asked.isEmpty()) {
            String why = "a cancel was asked for order " + asked + " while its placement's answer was unknown: not sent";
            if (batch != null || VenueAttempts.earlierLeft(exchange)) {
                throw new Withdrawn(why);
            }
            throw new OrderRejectedException("cancel", why, 409);
        }
        // Taken over meanwhile: another instance's recovery claimed it while this one's lease had lapsed (and
        // may have concluded it, e.g. CANCELED "not sent again"); this one's lease may hold again by now. Not
        // this send's to make, nor a refusal: the owner settles it. (An order this instance still owns that
        // its fills or the user channel moved on meanwhile is sent as before: the venue answers "Duplicated".)
        String me = ledger.owner();
        List<String> notOurs = read.stream().filter(r -> me != null && r.owner() != null && !me.equals(r.owner()))
                .map(r -> r.id() + " (" + r.state() + ", owner " + r.owner() + ")").toList();
        if (!notOurs.isEmpty()) {
            throw new Withdrawn("order " + notOurs + " was taken over by another instance: not sent; its owner settles it");
        }
        // Last, after the reads above (which may be what stalled): a request's own first send (a single order's
        // or a batch's, not a recovery's or a replay's) leaves within its deadline, or not at all.
        Instant arrived = exchange.getProperty(Flow.ARRIVED, Instant.class);
        if (arrived != null && !VenueAttempts.earlierLeft(exchange)) {
            Duration late = Duration.between(arrived, clock.instant());
            if (late.compareTo(firstSendWithin) > 0) {
                throw new OrderRejectedException("deadline", "not sent: its first send would have left " + late.toSeconds()
                        + " s after the request arrived, later than oddsgate.intake.first-send-within (" + firstSendWithin.toSeconds()
                        + " s); the request has had its answer by then and its price is that old", 503);
            }
        }
    }

    /** Cancels go out whatever was asked. */
    public void gateCancel() {
        // nothing to check
    }

    /** A send stopped because its order's cancel was asked for; an earlier attempt may have landed: recovery settles it. */
    public static class Withdrawn extends IllegalStateException {
        public Withdrawn(String message) {
            super(message);
        }
    }
}
