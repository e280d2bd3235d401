package com.oddsgate.api;

import java.util.HashMap;
import java.util.Map;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import com.oddsgate.message.Flow;

/**
 * For {@code enrich}: the called route's answer (body and headers, and whether a cancel it made
 * cancelled the order itself, {@link Flow#CANCELED_HERE}, with what it took off the book when the
 * venue said, {@link Flow#CANCEL_REDUCED_BY}) taken into the caller, which goes
 * on even when the called route answered a failure itself. Without it, the called route's error
 * handling (handled: true) ends the caller's exchange too, and the caller's remaining steps (an
 * amend giving back its replacement's reservation, say) never run.
 */
public class CalledAnswer implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange caller, Exchange called) {
        if (called != null) {
            caller.getMessage().setBody(called.getMessage().getBody());
            Map<String, Object> headers = new HashMap<>(called.getMessage().getHeaders());
            // Not the called route's redelivery bookkeeping: Camel would count the caller's next venue call's
            // retries on from it (an amend's replacement left with none after a cancel that needed them all).
            headers.keySet().removeIf(h -> h.startsWith("CamelRedeliver"));
            caller.getMessage().setHeaders(headers);
            caller.setProperty(Flow.CANCELED_HERE, Boolean.TRUE.equals(called.getProperty(Flow.CANCELED_HERE)));
            caller.setProperty(Flow.CANCEL_FOUND_GONE, Boolean.TRUE.equals(called.getProperty(Flow.CANCEL_FOUND_GONE)));
            caller.setProperty(Flow.CANCEL_REDUCED_BY, called.getProperty(Flow.CANCEL_REDUCED_BY));
        }
        return caller;
    }
}
