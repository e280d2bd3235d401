package com.oddsgate.message;

/** Exchange property names shared by the routes and their beans (no dots: simple reads them as plain names). */
public final class Flow {

    /** The {@link com.oddsgate.order.OrderTicket} being processed. */
    public static final String TICKET = "oddsgateTicket";
    /** The ledger id of the order, once recorded. */
    public static final String ORDER_ID = "oddsgateOrderId";
    /** An HTTP status chosen by an error path, overriding the one derived from the order state. */
    public static final String HTTP_STATUS = "oddsgateHttpStatus";
    /** Violations of a rejected request, for the response body. */
    public static final String VIOLATIONS = "oddsgateViolations";

    /** The ledger record an operation (cancel, recovery) works on. */
    public static final String RECORD = "oddsgateRecord";
    /** Set by a cancel: true only when the venue's answer to this very cancel named the order cancelled (see below). */
    public static final String CANCELED_HERE = "oddsgateCanceledHere";
    /**
     * Set by a venue's cancel answer that names the order cancelled by this very call, as opposed to
     * an order a lookup afterwards found gone from the book (cancelled by an attempt whose answer was
     * lost, or by someone else: which, cannot be told).
     */
    public static final String CANCEL_CONFIRMED = "oddsgateCancelConfirmed";
    /** Set by a cancel that moved the order to CANCELED on a lookup, not on the venue's "cancelled" (see above). */
    public static final String CANCEL_FOUND_GONE = "oddsgateCancelFoundGone";
    /** The venue no longer holds the order open and cannot say whether it was cancelled or matched: the sync decides (202). */
    public static final String CANCEL_UNDECIDED = "oddsgateCancelUndecided";
    /** The venue's id a cancel found by client_order_id, the ledger having none (Kalshi): kept across attempts, learnt by the ledger. */
    public static final String CANCEL_FOUND_ID = "oddsgateCancelFoundId";
    /** What a confirmed cancel took off the book, when the venue says (Kalshi's reduced_by). */
    public static final String CANCEL_REDUCED_BY = "oddsgateCancelReducedBy";
    /** The dropped file's name, kept for its acknowledgement. */
    public static final String FILE_NAME = "oddsgateFileName";

    /** When the request of an order arrived ({@code Instant}, set as the order intake starts): its first send's deadline counts from it. */
    public static final String ARRIVED = "oddsgateArrived";
    /** The tickets of one venue batch ({@code List<OrderTicket>}). */
    public static final String BATCH = "oddsgateBatch";
    /** All tickets of a batch request, held until their venue calls are made. */
    public static final String BATCH_TICKETS = "oddsgateBatchTickets";
    /**
     * On a kill-switch sweep's exchange: the ledger id of the trip it sweeps for, or 0 (UNWRITTEN) for
     * a trip the ledger had not taken when the sweep began. Each of its venue calls goes out only while
     * no re-arm was written after it (risk.KillSwitch#gateCancel).
     */
    public static final String SWEEP_OF = "oddsgateSweepOf";
    /**
     * The first ledger failure of a cancel request or sweep (an AtomicReference of its message, shared
     * with the per-call exchanges): from then on it goes without the ledger, which is not waited for again.
     */
    public static final String LEDGER_FAILED = "oddsgateCancelLedgerFailed";
    /** The venue call of a bulk cancel being made ({@code venue.CancelCall}). */
    public static final String CANCEL_CALL = "oddsgateCancelCall";
    /** Kalshi's resting orders (order id → order), read for an all= or market= cancel. */
    public static final String KALSHI_RESTING = "oddsgateKalshiResting";
    /** Why Kalshi's resting orders could not be read. */
    public static final String KALSHI_RESTING_ERROR = "oddsgateKalshiRestingError";

    private Flow() {
    }

    /** Header: the name of the account a venue stream's frame or a poll is for. */
    public static final String ACCOUNT = "oddsgateAccount";
}
