package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Consumer;

import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.message.Flow;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.risk.KillSwitch;

/**
 * Right before a placement leaves: the kill switch's last check comes after the venue call's
 * rate-limit wait (a redelivery, a recovery re-send or a batch can wait seconds there for its
 * tokens, and a trip during that wait must still stop the call); and whether an earlier attempt
 * left is counted by the call itself, not read from Camel's redelivery header, which a retried read
 * before the first send leaves on the message.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class VenueCallGatesTest extends GatewayTestSupport {

    @DynamicPropertySource
    static void ownLedger(DynamicPropertyRegistry r) {
        ownLedgerAndFolders(r, "venue-call-gates");
        // No periodic sweep while tripped here: its cancel-all would reach the simulator other test
        // classes' contexts share.
        r.add("oddsgate.kill-switch.sweep-period-ms", () -> "3600000");
    }

    @Autowired
    KillSwitch killSwitch;

    /** Runs {@code what} on the exchange of the order with this clientOrderId only, after {@code step} of {@code route}. */
    void after(String route, String step, String clientOrderId, Consumer<Exchange> what) throws Exception {
        AdviceWith.adviceWith(camel, route, a -> a.weaveById(step).after().process(e -> {
            OrderTicket t = e.getProperty(Flow.TICKET, OrderTicket.class);
            if (t != null && clientOrderId.equals(t.getOrder().clientOrderId())) {
                what.accept(e);
            }
        }));
    }

    /** Before its first send, the order's exchange carries the redelivery header a retried step before it left. */
    void retriedStepBeforeTheFirstSend(String clientOrderId) throws Exception {
        after("venue-polymarket", "prepare-polymarket-order", clientOrderId, e -> e.getIn().setHeader(Exchange.REDELIVERY_COUNTER, 1));
    }

    @Test
    void aFirstSendAfterARetriedReadIsStillAFirstAttemptForAVersionRefusal() throws Exception {
        retriedStepBeforeTheFirstSend("vg-version");
        venue().setVersion(3); // the gateway signs for V2: the first attempt is refused for its version
        try {
            Answer a = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.14", "5", "\"clientOrderId\":\"vg-version\""));
            // Refused on its first attempt, the signature never reached the book: signed again once, placed.
            assertThat(a.status()).as(a.body()).isEqualTo(201);
            assertThat(a.json().get("state").asText()).isEqualTo("LIVE");
            assertThat(get("/api/orders/" + a.json().get("id").asLong()).json().get("events").findValuesAsText("detail"))
                    .anyMatch(d -> d.contains("signed again for the venue's version"));
            delete("/api/orders/" + a.json().get("id").asLong());
        } finally {
            venue().setVersion(2);
        }
    }

    @Test
    void aTripBeforeAFirstSendAfterARetriedReadIsARefusalNotADeadLetter() throws Exception {
        retriedStepBeforeTheFirstSend("vg-tripped");
        after("venue-polymarket", "prepare-polymarket-order", "vg-tripped", e -> killSwitch.trip("risk-desk", "tripped before the first send"));
        // Nothing ever left: refused (503, REJECTED), not an unresolved order for recovery.
        refusedByTheTrip("vg-tripped");
    }

    /** The order is placed while its woven step trips the switch: refused, nothing sent; re-armed after. */
    void refusedByTheTrip(String clientOrderId) throws Exception {
        int posts = venue().orderPostCount();
        Answer a;
        try {
            a = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.14", "5", "\"clientOrderId\":\"" + clientOrderId + "\""));
        } finally {
            killSwitch.rearm("test-cleanup", "re-armed after the test");
        }
        assertThat(a.status()).as(a.body()).isEqualTo(503);
        assertThat(a.json().get("state").asText()).isEqualTo("REJECTED");
        assertThat(a.json().get("reason").asText()).contains("kill switch", "not sent");
        assertThat(venue().orderPostCount()).as("nothing reached the venue").isEqualTo(posts);
    }

    @Test
    void aSweepWhoseTripWasReArmedWhileItWaitedSendsNothing() throws Exception {
        Answer placed = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.13", "5", "\"clientOrderId\":\"vg-after-rearm\""));
        assertThat(placed.json().get("state").asText()).isEqualTo("LIVE");
        // While the sweep's Polymarket call waits for its rate-limit token, another gateway re-arms (and
        // the trader places again): the cancel-all must not go out.
        java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
        AdviceWith.adviceWith(camel, "polymarket-bulk-cancel", a -> a.weaveById("authenticate-bulk-cancel").after().process(e -> {
            if (e.getProperty(Flow.SWEEP_OF) != null && once.compareAndSet(false, true)) {
                jdbc.update("INSERT INTO kill_switch_events (at, action, requested_by, reason) VALUES (CURRENT_TIMESTAMP, 'REARMED',"
                        + " 'other-gateway', 're-armed elsewhere')");
            }
        }));
        Answer tripped;
        try {
            tripped = post("/api/kill-switch", "");
        } finally {
            killSwitch.rearm("test-cleanup", "re-armed after the test");
        }
        assertThat(tripped.status()).as(tripped.body()).isEqualTo(200);
        assertThat(tripped.json().get("allCancelled").asBoolean()).isFalse();
        assertThat(venue().orders().get(placed.json().get("orderHash").asText()).status()).as("not cancelled at the venue")
                .isEqualTo("LIVE");
        JsonNode order = get("/api/orders/" + placed.json().get("id").asLong()).json();
        assertThat(order.get("state").asText()).isEqualTo("LIVE");
        assertThat(order.get("events").findValuesAsText("detail")).anyMatch(d -> d.contains("re-armed at") && d.contains("not sent"));
        delete("/api/orders/" + placed.json().get("id").asLong());
    }

    @Test
    void aTripWhileACallWaitsForItsRateLimitTokenStopsTheCall() throws Exception {
        // The trip lands inside the step that waits for the token and signs the request.
        after("polymarket-post", "polymarket-post-sign", "vg-during-wait", e -> killSwitch.trip("risk-desk",
                "tripped while the call waited for its token"));
        refusedByTheTrip("vg-during-wait");
    }
}
