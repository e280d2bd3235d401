package com.oddsgate.api;

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
    /** The dropped file's name, kept for its acknowledgement. */
    public static final String FILE_NAME = "oddsgateFileName";

    private Flow() {
    }
}
