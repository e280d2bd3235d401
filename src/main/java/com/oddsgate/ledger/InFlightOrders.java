package com.oddsgate.ledger;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.InflightRepository;

import com.oddsgate.message.Flow;
import com.oddsgate.order.OrderTicket;

/**
 * The orders some exchange of this gateway is working on right now: a submission (perhaps waiting
 * for its next redelivery), a batch whose orders are held for their venue call, a recovery. Read
 * from Camel's in-flight registry (its browsing is switched on in LedgerConfiguration).
 */
public final class InFlightOrders {

    private InFlightOrders() {
    }

    /**
     * Refuses (throws) when another exchange of this gateway is already working on the same order:
     * a dead-letter replay and a recovery pass, or two passes, never resolve one order at once.
     */
    public static void aloneOn(Exchange exchange) {
        Long id = exchange.getProperty(Flow.ORDER_ID, Long.class);
        int n = 0;
        for (InflightRepository.InflightExchange e : exchange.getContext().getInflightRepository().browse()) {
            if (id != null && id.equals(e.getExchange().getProperty(Flow.ORDER_ID, Long.class))) {
                n++;
            }
        }
        if (n > 1) {
            throw new IllegalStateException("order " + id + " is being worked on by another exchange; looked at again later");
        }
    }

    /**
     * Whether an exchange of this gateway other than this one works on the order now: its submission
     * (perhaps waiting for a redelivery, or held for a batch), a recovery, another cancel. The caller
     * has set {@link Flow#ORDER_ID} on its own exchange first, so that of two racing the later one sees the earlier.
     */
    public static boolean othersOn(Exchange exchange, long orderId) {
        for (InflightRepository.InflightExchange e : exchange.getContext().getInflightRepository().browse()) {
            Exchange other = e.getExchange();
            if (!other.getExchangeId().equals(exchange.getExchangeId()) && ordersOf(other).contains(orderId)) {
                return true;
            }
        }
        return false;
    }

    public static Set<Long> of(CamelContext camel) {
        Set<Long> ids = new HashSet<>();
        for (InflightRepository.InflightExchange e : camel.getInflightRepository().browse()) {
            ids.addAll(ordersOf(e.getExchange()));
        }
        return ids;
    }

    /** The orders one exchange works on: its order, or the orders of the batch it holds. */
    private static Set<Long> ordersOf(Exchange exchange) {
        Set<Long> ids = new HashSet<>();
        Long id = exchange.getProperty(Flow.ORDER_ID, Long.class);
        if (id != null) {
            ids.add(id);
        }
        // Its ticket's, set by the first record's own write: seen before the route copies it to ORDER_ID.
        if (exchange.getProperty(Flow.TICKET) instanceof OrderTicket ticket && ticket.getOrderId() != null) {
            ids.add(ticket.getOrderId());
        }
        List<?> batch = exchange.getProperty(Flow.BATCH_TICKETS, List.class);
        if (batch != null) {
            batch.forEach(t -> {
                if (t instanceof OrderTicket ticket && ticket.getOrderId() != null) {
                    ids.add(ticket.getOrderId());
                }
            });
        }
        return ids;
    }
}
