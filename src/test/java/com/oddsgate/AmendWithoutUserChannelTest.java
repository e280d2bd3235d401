package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The default for a Polymarket amend without a new size where the user channel does not stream the
 * original's market (here: switched off): refused before the cancel, the original untouched — a
 * match right before the cancel, its trade not listed yet, could otherwise be placed again. An amend
 * that names its size goes ahead.
 */
class AmendWithoutUserChannelTest extends GatewayTestSupport {

    @DynamicPropertySource
    static void refuse(DynamicPropertyRegistry r) {
        ownLedgerAndFolders(r, "amend-without-channel");
        r.add("oddsgate.polymarket.amend-without-user-channel", () -> "refuse");
    }

    @Test
    void anAmendWithoutASizeIsRefusedBeforeTheCancelAndOneWithASizeGoesAhead() {
        Answer placed = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.24", "10", "\"clientOrderId\":\"awc-original\""));
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        long id = placed.json().get("id").asLong();
        String hash = placed.json().get("orderHash").asText();
        int posts = venue().orderPostCount();

        Answer refused = patch("/api/orders/" + id, "{\"price\":\"0.23\"}");

        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().get("error").asText()).contains("needs the Polymarket user channel", "was not cancelled",
                "give the new size");
        assertThat(venue().orders().get(hash).status()).as("still resting at the venue").isEqualTo("LIVE");
        assertThat(venue().orderPostCount()).as("nothing placed").isEqualTo(posts);
        JsonNode original = get("/api/orders/" + id).json();
        assertThat(original.get("state").asText()).isEqualTo("LIVE");
        assertThat(original.get("events").findValuesAsText("detail")).anyMatch(d -> d.contains("amend refused before the cancel"));

        Answer sized = patch("/api/orders/" + id, "{\"price\":\"0.23\",\"size\":\"10\"}");
        assertThat(sized.status()).as(sized.body()).isEqualTo(201);
        assertThat(venue().orders().get(hash).status()).isEqualTo("CANCELED");
        assertThat(sized.json().get("order").get("size").asText()).isEqualTo("10");
        delete("/api/orders/" + sized.json().get("order").get("id").asLong());
    }
}
