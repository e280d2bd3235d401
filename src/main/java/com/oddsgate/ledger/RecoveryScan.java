package com.oddsgate.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.oddsgate.order.OrderState;

/**
 * Which orders recovery should resolve now: anything left PENDING_SUBMIT or UNKNOWN by an earlier
 * run of the gateway, and, while running, anything older than the retry budget (so an order whose
 * submission is still being retried is never touched twice).
 */
public class RecoveryScan {

    static final int BATCH = 200;

    private final OrderLedger ledger;
    private final Clock clock;
    private final Duration minAge;
    private final Instant started;

    public RecoveryScan(OrderLedger ledger, Clock clock, Duration minAge) {
        this.ledger = ledger;
        this.clock = clock;
        this.minAge = minAge;
        this.started = clock.instant();
    }

    /**
     * Orders an earlier run left RECEIVED were never signed, so never sent: they end REJECTED with
     * that reason instead of waiting forever. Returns how many.
     */
    public int closeInterrupted() {
        int n = 0;
        for (OrderRecord r : ledger.receivedBefore(started, BATCH)) {
            try {
                ledger.transition(r.id(), OrderState.RECEIVED, OrderState.REJECTED, "recovery",
                        "not sent: the gateway stopped before the order was signed", null, null);
                n++;
            } catch (IllegalStateException movedMeanwhile) {
                // another writer moved it; nothing to close
            }
        }
        return n;
    }

    /** Set once the first recovery pass has finished: readiness waits for it. */
    private volatile boolean firstPassDone;

    public void passDone() {
        firstPassDone = true;
    }

    public boolean firstPassDone() {
        return firstPassDone;
    }

    public List<OrderRecord> due() {
        Instant aged = clock.instant().minus(minAge);
        return ledger.unresolved(aged.isAfter(started) ? aged : started, BATCH);
    }
}
