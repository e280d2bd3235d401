package com.oddsgate.api;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * How {@code POST /api/fills/sync} takes each venue's catch-up back (an enrich): its own message is
 * kept, and only a failure of the catch-up (the header fill-errors sets) is carried over, so that a
 * failed venue neither cuts the answer short nor goes unmentioned.
 */
public class CatchUps implements AggregationStrategy {

    static final String FAILED = "OddsgateCatchUpFailed";

    @Override
    public Exchange aggregate(Exchange original, Exchange catchUp) {
        if (original == null) {
            return catchUp; // the first part of a split: it carries its own failure, if any
        }
        String failed = catchUp == null ? null : catchUp.getMessage().getHeader(FAILED, String.class);
        if (failed != null) {
            original.getMessage().setHeader(FAILED, failed);
        }
        return original;
    }
}
