package com.oddsgate.ledger;

import java.sql.SQLException;

import org.apache.camel.Exchange;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * Tells the ledger's own failures from a venue's. A database whose connection broke fails with an
 * I/O exception at the bottom of its chain, which the order route's venue handler would otherwise take
 * for an unreachable venue and redeliver: the step run again signs again (a second signature of one
 * intent), and a first record whose commit landed unseen finds itself as a "known clientOrderId".
 * A ledger failure is not redelivered; the dead-letter channel records it (routes/errors.camel.yaml).
 */
public class LedgerFaults {

    /** Whether any exception in the chain is the database's (JDBC, Spring's data access or transactions). */
    public static boolean in(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth++ < 32; t = t.getCause()) { // bounded: a cycle of causes ends it
            if (t instanceof SQLException || t instanceof DataAccessException || t instanceof TransactionException) {
                return true;
            }
        }
        return false;
    }

    /** What went wrong, as the database said it ("Failed to obtain JDBC Connection" alone says little). */
    public static String why(Throwable failure) {
        Throwable t = failure instanceof DataAccessException d ? d.getMostSpecificCause() : failure;
        return String.valueOf(t.getMessage());
    }

    /** For an {@code onWhen}: the exchange failed for a reason other than the ledger. */
    public boolean notTheLedgers(Exchange exchange) {
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return !in(failure);
    }
}
