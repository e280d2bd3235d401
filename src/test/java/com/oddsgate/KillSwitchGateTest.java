package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.oddsgate.risk.KillSwitch;

/**
 * The kill switch's last check comes after the venue call's rate-limit wait, not before it: a
 * redelivery, a recovery re-send or a batch can wait seconds there for its tokens, and a trip
 * during that wait must still stop the call.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class KillSwitchGateTest extends GatewayTestSupport {

    @DynamicPropertySource
    static void ownLedger(DynamicPropertyRegistry r) {
        ownLedgerAndFolders(r, "kill-switch-gate");
        // No periodic sweep while tripped here: its cancel-all would reach the simulator other test
        // classes' contexts share.
        r.add("oddsgate.kill-switch.sweep-period-ms", () -> "3600000");
    }

    @Autowired
    KillSwitch killSwitch;

    @Test
    void aTripWhileACallWaitsForItsRateLimitTokenStopsTheCall() throws Exception {
        // The trip lands inside the step that waits for the token and signs the request.
        AdviceWith.adviceWith(camel, "polymarket-post", a -> a.weaveById("polymarket-post-sign").after()
                .process(e -> killSwitch.trip("risk-desk", "tripped while the call waited for its token")));
        int posts = venue().orderPostCount();
        Answer a;
        try {
            a = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.15", "5", "\"clientOrderId\":\"kg-during-wait\""));
        } finally {
            killSwitch.rearm("test-cleanup", "re-armed after the test");
        }

        assertThat(a.status()).as(a.body()).isEqualTo(503);
        assertThat(a.json().get("state").asText()).isEqualTo("REJECTED");
        assertThat(a.json().get("reason").asText()).contains("kill switch", "not sent");
        assertThat(venue().orderPostCount()).as("nothing reached the venue").isEqualTo(posts);
    }
}
