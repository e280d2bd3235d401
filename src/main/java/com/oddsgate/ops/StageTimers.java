package com.oddsgate.ops;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;

/**
 * The order path's latency budget: each route step named in {@code oddsgate.metrics.stages}
 * (step id → stage: intake, ledger, checks, rate-limit, signing, venue, recording) is timed into
 * {@code oddsgate_order_stage_seconds{stage, step}}. Steps are wrapped once, when the routes are
 * built; other steps run unwrapped, so the cost is two clock reads per named step.
 */
public final class StageTimers {

    private final Map<String, String> stageOf;
    private final MeterRegistry registry;

    public StageTimers(Map<String, String> stageOf, MeterRegistry registry) {
        this.stageOf = Map.copyOf(stageOf);
        this.registry = registry;
    }

    /** The strategy to add to the Camel context before its routes start. */
    public InterceptStrategy strategy() {
        return new InterceptStrategy() {
            @Override
            public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
                    Processor nextTarget) {
                String step = definition.getId();
                String stage = step == null ? null : stageOf.get(step);
                if (stage == null) {
                    return target;
                }
                Timer timer = Timer.builder("oddsgate.order.stage").tag("stage", stage).tag("step", step)
                        .description("time spent in one step of the order path, by stage").publishPercentiles(0.5, 0.99)
                        .register(registry);
                return new Timed(target, timer);
            }
        };
    }

    private static final class Timed extends DelegateAsyncProcessor {
        private final Timer timer;

        Timed(Processor target, Timer timer) {
            super(target);
            this.timer = timer;
        }

        @Override
        public boolean process(Exchange exchange, AsyncCallback callback) {
            long started = System.nanoTime();
            return processor.process(exchange, doneSync -> {
                timer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                callback.done(doneSync);
            });
        }
    }
}
