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
        awaitExchangesEnded();
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

    @org.springframework.beans.factory.annotation.Autowired
    com.oddsgate.polymarket.protocol.PolymarketAccount account;

    /** An order the venue answered 502 to, every attempt: UNKNOWN, dead-lettered; the venue answers again afterwards. */
    private Answer deadLettered(String price, String clientOrderId) {
        venue().failNextOrderPosts(100, 502);
        Answer placed = post("/api/orders", order("sim-btc-100k", "NO", "BUY", price, "6", "\"clientOrderId\":\"" + clientOrderId + "\""));
        assertThat(placed.status()).isEqualTo(502);
        venue().failNextOrderPosts(0, 503);
        awaitExchangesEnded(); // else a replay may find the placement still at work on the order, and wait (202)
        return placed;
    }

    @Test
    void aReplayThatFindsTheOrderRestingCancelsItWhenATraderAskedTo() {
        Answer placed = deadLettered("0.32", "dl-replay-cancel");
        long orderId = placed.json().get("id").asLong();
        // One attempt did land (its answer lost), and the trader asked to cancel while the answer was unknown.
        byte[] bytes = jdbc.queryForObject("SELECT signed_payload FROM orders WHERE id = ?", String.class, orderId)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.net.http.HttpRequest.Builder post = java.net.http.HttpRequest.newBuilder(java.net.URI.create(SIM.baseUrl() + "/clob/order"))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(bytes));
        account.l2Headers(System.currentTimeMillis() / 1000, "POST", "/order", bytes).forEach(post::header);
        assertThat(send(post).status()).isEqualTo(200);
        jdbc.update("UPDATE orders SET cancel_asked_at = CURRENT_TIMESTAMP WHERE id = ?", orderId);
        long letter = jdbc.queryForObject("SELECT MAX(id) FROM dead_letters WHERE order_id = ?", Long.class, orderId);

        Answer replayed = post("/api/dead-letters/" + letter + "/replay", "");

        assertThat(replayed.status()).as(replayed.body()).isEqualTo(200);
        assertThat(venue().orders().get(placed.json().get("orderHash").asText()).status()).as("cancelled at the venue")
                .isEqualTo("CANCELED");
        assertThat(stateOf(orderId)).isEqualTo("CANCELED");
    }

    @Test
    void aReplayThatLeavesTheOrderUnresolvedGivesItsClaimBack() {
        long orderId = deadLettered("0.33", "dl-replay-again").json().get("id").asLong();
        long letter = jdbc.queryForObject("SELECT MAX(id) FROM dead_letters WHERE order_id = ?", Long.class, orderId);
        int posts = venue().orderPostCount();
        assertThat(post("/api/kill-switch", "").status()).isEqualTo(200);
        Answer held;
        try {
            held = post("/api/dead-letters/" + letter + "/replay", ""); // nothing is sent while the switch is tripped
        } finally {
            delete("/api/kill-switch", "test");
        }
        assertThat(held.status()).as(held.body()).isEqualTo(202);
        assertThat(held.json().get("note").asText()).contains("may be replayed again");
        assertThat(venue().orderPostCount()).isEqualTo(posts);

        // Replayed again once re-armed: resolved now — placed before the trip, it is withdrawn, never sent (the kill switch's rule).
        Answer again = post("/api/dead-letters/" + letter + "/replay", "");
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("state").asText()).isEqualTo("CANCELED");
        assertThat(venue().orderPostCount()).isEqualTo(posts);
        assertThat(post("/api/dead-letters/" + letter + "/replay", "").status()).as("resolved: not again").isEqualTo(409);
    }

    @Test
    void unknownOrFinalDeadLettersAreNotReplayed() {
        assertThat(post("/api/dead-letters/987654/replay", "").status()).isEqualTo(404);
        assertThat(post("/api/dead-letters/abc/replay", "").status()).isEqualTo(404);
    }
}
