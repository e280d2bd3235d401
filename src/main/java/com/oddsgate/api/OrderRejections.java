package com.oddsgate.api;

import com.oddsgate.message.Flow;
import org.apache.camel.Exchange;

import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.order.OrderRejectedException;

/** Records a refused request as REJECTED, with the violations kept for the caller's answer. */
public class OrderRejections {

    private final OrderLedger ledger;

    public OrderRejections(OrderLedger ledger) {
        this.ledger = ledger;
    }

    public void reject(Exchange exchange) {
        OrderRejectedException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, OrderRejectedException.class);
        Long orderId = exchange.getProperty(Flow.ORDER_ID, Long.class);
        if (orderId != null) {
            ledger.reject(orderId, e, "gateway");
        }
        exchange.setProperty(Flow.VIOLATIONS, e.violations());
        exchange.setProperty(Flow.HTTP_STATUS, e.status());
    }
}
