package com.oddsgate.ledger;

import com.oddsgate.order.OrderState;

/** Told about what the ledger records, e.g. for metrics. Called after the change is committed. */
public interface LedgerListener {

    LedgerListener NONE = new LedgerListener() {
    };

    default void recorded(String source) {
    }

    default void moved(OrderState from, OrderState to, String source, String reason) {
    }
}
