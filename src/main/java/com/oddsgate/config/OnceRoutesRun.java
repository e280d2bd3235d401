package com.oddsgate.config;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;

/**
 * A start-up step that calls a venue: run once the routes run (venue calls go through them), in
 * the start-up itself, before the application reports started. Camel logs and ignores what it
 * throws, so the step reports its own failures.
 */
final class OnceRoutesRun implements CamelContextConfiguration {

    private final Runnable step;

    OnceRoutesRun(Runnable step) {
        this.step = step;
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
    }

    @Override
    public void afterApplicationStart(CamelContext camel) {
        step.run();
    }
}
