package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An amend's replacement takes its rate-limit token before the original is cancelled: with one
 * order token (refilled every 100 s) and no waiting allowed, an amend after a placement is refused while the
 * original still rests, instead of cancelling it and then refusing the replacement.
 */
class AmendReservationTest extends GatewayTestSupport {

    @DynamicPropertySource
    static void oneOrderToken(DynamicPropertyRegistry r) {
        ownLedgerAndFolders(r, "amend-reservation");
        // Every tier the simulator may name holds one order token here, refilled far too slowly to matter, and nothing may wait.
        r.add("oddsgate.polymarket.rate-limit.tier", () -> "tiny");
        r.add("oddsgate.polymarket.rate-limit.tiers", () -> "tiny=0.01:1:100:100,standard=0.01:1:100:100,elite=0.01:1:100:100");
        r.add("oddsgate.polymarket.rate-limit.max-wait", () -> "0s");
    }

    @Test
    void aReplacementRefusedForItsRateTokenLeavesTheOriginalResting() {
        Answer placed = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.24", "5", "\"clientOrderId\":\"ar-original\""));
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        String hash = placed.json().get("orderHash").asText();

        Answer amend = patch("/api/orders/" + placed.json().get("id").asLong(), "{\"price\":\"0.23\"}");

        assertThat(amend.status()).as(amend.body()).isEqualTo(429);
        assertThat(amend.body()).contains("unchanged");
        JsonNode original = get("/api/orders/" + placed.json().get("id").asLong()).json();
        assertThat(original.get("state").asText()).isEqualTo("LIVE");
        assertThat(venue().orders().get(hash).status()).as("still resting at the venue").isEqualTo("LIVE");
        delete("/api/orders/" + placed.json().get("id").asLong());
    }
}
