package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;

import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;

import com.oddsgate.polymarket.signing.EcdsaSigners;

/** Health tells the truth: venues reachable and authenticated, recovery done before readiness. */
@DirtiesContext(classMode = DirtiesContext.ClassMode.BEFORE_CLASS)
class HealthTest extends GatewayTestSupport {

    Answer health(String path) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health" + path)).GET());
    }

    /** UP as soon as every check agrees (Camel's own readiness waits for consumers' first polls). */
    Answer awaitUp() throws InterruptedException {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).pollInterval(java.time.Duration.ofMillis(100))
                .until(() -> health("/readiness").status() == 200);
        return health("/readiness");
    }

    @Test
    void readinessWaitsForStartUpRecoveryAndFollowsTheVenues() throws Exception {
        Answer before = health("/readiness");
        assertThat(before.status()).isEqualTo(503);
        assertThat(before.json().at("/components/recovery/status").asText()).isEqualTo("OUT_OF_SERVICE");
        assertThat(health("/liveness").status()).isEqualTo(200);

        runRecovery();
        Answer ready = awaitUp();
        assertThat(ready.status()).as(ready.body()).isEqualTo(200);
        assertThat(ready.json().at("/components/polymarket/details/authenticated").asBoolean()).isTrue();
        assertThat(ready.json().at("/components/kalshi/status").asText()).isEqualTo("UP");
        // The signer health names is the one signing (native where it loads, EcdsaEquivalenceTest), and why.
        assertThat(health("").json().at("/components/signing/details/secp256k1").asText()).isEqualTo(EcdsaSigners.best().name());
        assertThat(health("").json().at("/components/signing/details/reason").asText()).isEqualTo(EcdsaSigners.reason());

        SIM.stop();
        try {
            Answer down = health("");
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.json().at("/components/polymarket/status").asText()).isEqualTo("DOWN");
            assertThat(health("/readiness").status()).isEqualTo(503);
            assertThat(health("/liveness").status()).as("a venue outage is no reason to restart").isEqualTo(200);
        } finally {
            SIM.start();
        }
        Answer after = awaitUp();
        assertThat(after.status()).as(after.body()).isEqualTo(200);
        assertThat(health("").json().at("/components/deadLetters/details/unreplayed").isIntegralNumber()).isTrue();
    }
}
