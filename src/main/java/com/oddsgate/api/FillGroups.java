package com.oddsgate.api;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.spi.ThreadPoolProfile;

import com.oddsgate.fills.Fill;

/**
 * For the aggregator of streamed fills (routes/fill-groups.camel.yaml): the fills of the frames
 * gathered so far, one list, in the order the frames came.
 */
public class FillGroups implements AggregationStrategy {

    /** The thread pool profile the route's aggregate names (executorService). */
    public static final String WRITER = "fillGroupWriter";

    /**
     * Stores the completed groups: one thread (one transaction at a time, groups in order), with
     * room for a few groups waiting. When the ledger falls behind a stream, the thread that closed
     * the group stores it itself (the stream's frames wait), instead of groups piling up in memory.
     * A Camel profile, not a Spring bean: an Executor bean would replace Spring Boot's own.
     */
    public static ThreadPoolProfile writer() {
        return new ThreadPoolProfileBuilder(WRITER).poolSize(1).maxPoolSize(1).maxQueueSize(4)
                .rejectedPolicy(ThreadPoolRejectedPolicy.CallerRuns).build();
    }

    @Override
    public Exchange aggregate(Exchange group, Exchange frame) {
        @SuppressWarnings("unchecked")
        List<Fill> fills = frame.getMessage().getBody(List.class);
        if (group == null) {
            frame.getMessage().setBody(new ArrayList<>(fills));
            return frame;
        }
        @SuppressWarnings("unchecked")
        List<Fill> gathered = group.getMessage().getBody(List.class);
        gathered.addAll(fills);
        return group;
    }
}
