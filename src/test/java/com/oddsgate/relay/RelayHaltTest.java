package com.oddsgate.relay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** While the kill switch is tripped the relay still reads and cancels, but writes nothing else (an allow-list). */
class RelayHaltTest {

    @Test
    void placementsAndHeartbeatsAreHeldBackReadsAndCancelsAreNot() {
        assertThat(RelayGuard.placesOrKeepsAlive("POST", "/order")).isTrue();
        assertThat(RelayGuard.placesOrKeepsAlive("POST", "/orders")).isTrue();
        assertThat(RelayGuard.placesOrKeepsAlive("POST", "/v1/heartbeats")).isTrue();
        assertThat(RelayGuard.placesOrKeepsAlive("POST", "/trade-api/v2/portfolio/events/orders")).isTrue();
        assertThat(RelayGuard.placesOrKeepsAlive("PUT", "/trade-api/v2/portfolio/events/orders/abc/amend")).isTrue();
        assertThat(RelayGuard.placesOrKeepsAlive("POST", "/trade-api/v2/portfolio/events/orders/abc/decrease")).isFalse();
        assertThat(RelayGuard.placesOrKeepsAlive("DELETE", "/order")).isFalse();
        assertThat(RelayGuard.placesOrKeepsAlive("DELETE", "/cancel-all")).isFalse();
        assertThat(RelayGuard.placesOrKeepsAlive("GET", "/data/orders")).isFalse();
        assertThat(RelayGuard.placesOrKeepsAlive("DELETE", "/trade-api/v2/portfolio/events/orders/batched")).isFalse();
        // An allow-list: writes without "order" in the path, or with it encoded, are held back too.
        assertThat(RelayGuard.placesOrKeepsAlive("POST", "/trade-api/v2/communications/rfqs")).isTrue();
        assertThat(RelayGuard.placesOrKeepsAlive("POST", "/trade-api/v2/portfolio/events/%6Frders")).isTrue();
        assertThat(RelayGuard.placesOrKeepsAlive("POST", "/books")).as("a read by POST").isFalse();
        assertThat(RelayGuard.placesOrKeepsAlive("POST", "/auth/api-key")).isFalse();
    }
}
