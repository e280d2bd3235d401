package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;

import javax.management.ObjectName;

import org.junit.jupiter.api.Test;

/** The gateway's figures: Prometheus meters and the JMX MBean operators read in Hawtio. */
@org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability
@org.springframework.test.annotation.DirtiesContext(classMode = org.springframework.test.annotation.DirtiesContext.ClassMode.AFTER_CLASS)
class MetricsTest extends GatewayTestSupport {

    /** Spring Boot tests switch JMX export off; the gateway runs with it on (config/application.yaml). */
    @org.springframework.test.context.DynamicPropertySource
    static void jmx(org.springframework.test.context.DynamicPropertyRegistry r) {
        r.add("spring.jmx.enabled", () -> "true");
    }

    @Test
    void prometheusShowsIngestRejectsSigningAndVenueRoundTrips() {
        post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.36", "5", null));
        post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.365", "5", null));
        Answer scrape = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).GET());
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.body()).contains("oddsgate_orders_ingested_total{", "source=\"rest\"")
                .contains("oddsgate_orders_rejected_total{by=\"gateway\",field=\"price\"")
                .contains("oddsgate_signing_seconds_count{venue=\"polymarket\"")
                .contains("oddsgate_venue_round_trip_seconds_count{outcome=\"live\",venue=\"polymarket\"")
                .contains("oddsgate_orders_transitions_total{");
        // The latency budget: each named step of the order path, by stage, for the orders just placed.
        for (String[] stageStep : new String[][] {{"intake", "validate-order"}, {"ledger", "record-received"},
            {"checks", "resolve-market"}, {"signing", "sign-order"}, {"ledger", "record-intent"}, {"venue", "polymarket-post-http"},
            {"recording", "record-outcome"}}) {
            String count = scrape.body().lines().filter(l -> l.startsWith("oddsgate_order_stage_seconds_count{")
                    && l.contains("stage=\"" + stageStep[0] + "\"") && l.contains("step=\"" + stageStep[1] + "\"")).findFirst()
                    .orElseThrow(() -> new AssertionError("no stage timer for " + stageStep[1]));
            assertThat(Double.parseDouble(count.substring(count.lastIndexOf(' ') + 1))).as(stageStep[1]).isGreaterThanOrEqualTo(1);
        }
        assertThat(scrape.body()).as("percentiles").contains("step=\"sign-order\",quantile=\"0.99\"");
        // JMX: this instance's role.
        assertThat(scrape.body()).contains("oddsgate_leader{instance=");
    }

    @Test
    @SuppressWarnings("unchecked")
    void gatewayFiguresAreReadableOverJmx() throws Exception {
        post("/api/orders", order("sim-btc-100k", "NO", "BUY", "0.37", "5", null));
        var jmx = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("oddsgate:type=Gateway,name=figures");
        Map<String, Long> byState = (Map<String, Long>) jmx.getAttribute(name, "OrdersByState");
        assertThat(byState).containsKey("LIVE");
        assertThat(byState.get("LIVE")).isPositive();
        assertThat(jmx.getAttribute(name, "DeadLetterDepth")).isInstanceOf(Integer.class);
        Map<String, String> latency = (Map<String, String>) jmx.getAttribute(name, "VenueRoundTripMillis");
        assertThat(latency).containsKey("polymarket/live");
        assertThat(latency.get("polymarket/live")).contains("count=", "p50=", "p99=");
        assertThat(jmx.getAttribute(name, "RejectsByReason")).isInstanceOf(Map.class);
    }
}
