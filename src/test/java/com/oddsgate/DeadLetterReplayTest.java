package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Dead letters are listed with their original message and replayed once, by recovery. */
class DeadLetterReplayTest extends GatewayTestSupport {

    @AfterEach
    void venueUp() {
        venue().failNextOrderPosts(0, 503);
    }

    @Test
    void replayingTwiceSendsOnce() {
        venue().failNextOrderPosts(100, 502);
        String body = order("sim-btc-100k", "NO", "BUY", "0.31", "6", "\"clientOrderId\":\"dl-replay\"");
        Answer placed = post("/api/orders", body);
        assertThat(placed.status()).isEqualTo(502);
        long orderId = placed.json().get("id").asLong();

        assertThat(get("/api/dead-letters?limit=many").status()).as("a limit that is no number").isEqualTo(400);
        JsonNode letters = get("/api/dead-letters?limit=500").json().get("deadLetters");
        JsonNode letter = null;
        for (JsonNode l : letters) {
            if (l.path("orderId").asLong() == orderId) {
                letter = l;
            }
        }
        assertThat(letter).as("dead letter of order " + orderId).isNotNull();
        assertThat(letter.get("originalMessage").asText()).isEqualTo(body);
        assertThat(letter.get("routeId").asText()).isEqualTo("venue-polymarket");
        assertThat(letter.get("replayedAt").isNull()).isTrue();

        venue().failNextOrderPosts(0, 503);
        int posts = venue().orderPostCount();
        Answer first = post("/api/dead-letters/" + letter.get("id").asLong() + "/replay", "");
        Answer second = post("/api/dead-letters/" + letter.get("id").asLong() + "/replay", "");
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().get("state").asText()).isEqualTo("LIVE");
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.json().get("error").asText()).contains("already replayed");
        assertThat(venue().orderPostCount()).as("one send for two replays").isEqualTo(posts + 1);
        assertThat(venue().orders()).containsKey(placed.json().get("orderHash").asText());
        assertThat(get("/api/orders/" + orderId).json().get("events").findValuesAsText("source")).contains("recovery");
    }

    @Test
    void unknownOrFinalDeadLettersAreNotReplayed() {
        assertThat(post("/api/dead-letters/987654/replay", "").status()).isEqualTo(404);
        assertThat(post("/api/dead-letters/abc/replay", "").status()).isEqualTo(404);
    }
}
