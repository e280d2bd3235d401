package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.oddsgate.order.OrderTicket;
import com.oddsgate.polymarket.protocol.PolymarketAccount;

/**
 * A crash between "intent recorded" and the venue's answer: the ledger holds PENDING_SUBMIT with
 * the signed payload. Recovery finds the order by its hash, or sends the very same bytes — the
 * venue never holds two orders.
 */
class CrashRecoveryTest extends GatewayTestSupport {

    @Autowired
    PolymarketAccount account;

    /** An order left PENDING_SUBMIT, as a crash after "intent recorded" leaves it. */
    private OrderTicket pendingSubmit(String clientOrderId) {
        OrderTicket t = intentRecorded(order("sim-btc-100k", "YES", "BUY", "0.47", "12",
                "\"clientOrderId\":\"" + clientOrderId + "\""));
        assertThat(stateOf(t.getOrderId())).isEqualTo("PENDING_SUBMIT");
        return t;
    }

    @Test
    void anAnswerLostAfterTheVenueTookTheOrderThenARetryRefusedByAnHtml403IsNeverRecordedRejected() throws Exception {
        venue().holdAnswers(java.time.Duration.ofSeconds(5)); // longer than the 3 s read timeout of the test profile
        java.util.concurrent.CompletableFuture<Answer> placing = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.46", "7", "\"clientOrderId\":\"lost-then-403\"")));
        assertThat(venue().awaitHeldOrder(java.time.Duration.ofSeconds(10))).as("the venue took the order").isTrue();
        venue().holdAnswers(java.time.Duration.ZERO);
        venue().failNextOrderPostsWithHtml(10, 403); // every retry meets a CDN's HTML page
        Answer a;
        try {
            a = placing.get(30, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            venue().failNextOrderPosts(0, 503);
        }
        long id = a.json().get("id").asLong();
        assertThat(stateOf(id)).as("the venue may hold it: " + a.body()).isEqualTo("UNKNOWN");
        assertThat(a.json().get("reason").asText()).contains("refused on a retry", "resolving by order hash");

        runRecovery();

        assertThat(stateOf(id)).as("found at the venue by its hash").isEqualTo("LIVE");
        String hash = a.json().get("orderHash").asText();
        assertThat(venue().orders().get(hash).status()).isEqualTo("LIVE");
        assertThat(venue().orders().values().stream().filter(o -> o.price().compareTo(new java.math.BigDecimal("0.46")) == 0
                && o.originalSize().compareTo(new java.math.BigDecimal("7")) == 0)).as("one order at the venue").hasSize(1);
        delete("/api/orders/" + id);
    }

    @Test
    void recoveryLeavesAnOrderAloneWhileItsSubmissionWaitsForARedelivery() throws Exception {
        // The first attempt is refused in front of the venue with 429 and Retry-After: 2 s; the order
        // is PENDING_SUBMIT and the venue does not hold it, the very case recovery would re-send.
        SIM.faults().retryAfter(java.time.Duration.ofSeconds(2))
                .next(com.oddsgate.sim.VenueFaults.Kind.RATE_LIMITED, 1, com.oddsgate.sim.VenueFaults.Target.ORDER_WRITES);
        int posts = venue().orderPostCount();
        int requests = SIM.requestCount();
        try {
            java.util.concurrent.CompletableFuture<Answer> placing = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                    post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.25", "5", "\"clientOrderId\":\"cr-in-flight\"")));
            long id = awaitOrder("cr-in-flight");
            org.awaitility.Awaitility.await("the refused first attempt").atMost(java.time.Duration.ofSeconds(5))
                    .pollInterval(java.time.Duration.ofMillis(20)).until(() -> SIM.requestCount() > requests);
            producer.sendBody("direct:recover-unresolved", null); // a pass while the submission is in flight
            assertThat(stateOf(id)).as("recovery did not touch it").isEqualTo("PENDING_SUBMIT");
            assertThat(venue().orderPostCount()).as("nothing re-sent beside the redelivery").isEqualTo(posts);
            Answer a = placing.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(a.json().get("state").asText()).as(a.body()).isEqualTo("LIVE");
            assertThat(venue().orderPostCount() - posts).as("the redelivery alone reached the venue").isEqualTo(1);
            assertThat(ledger.events(id)).noneMatch(e -> "recovery".equals(e.source()));
        } finally {
            SIM.faults().quiet();
        }
    }

    private long awaitOrder(String clientOrderId) {
        return org.awaitility.Awaitility.await(clientOrderId + " PENDING_SUBMIT").atMost(java.time.Duration.ofSeconds(5))
                .pollInterval(java.time.Duration.ofMillis(20))
                .until(() -> ledger.findByClientOrderId(clientOrderId).filter(r -> r.state() == com.oddsgate.order.OrderState.PENDING_SUBMIT)
                        .map(com.oddsgate.ledger.OrderRecord::id).orElse(0L), id -> id > 0);
    }

    @Test
    void crashBeforeTheSendIsResentAsTheSameSignedOrder() {
        OrderTicket t = pendingSubmit("crash-before-send");
        assertThat(venue().orders()).doesNotContainKey(t.getOrderHash());
        int posts = venue().orderPostCount();

        runRecovery();

        assertThat(stateOf(t.getOrderId())).isEqualTo("LIVE");
        assertThat(venue().orders()).containsKey(t.getOrderHash());
        assertThat(venue().orderPostCount()).isEqualTo(posts + 1);
        assertThat(get("/api/orders/" + t.getOrderId()).json().get("events").findValuesAsText("source")).contains("recovery");
    }

    @Test
    void anIntentOlderThanTheResendWindowIsNeverSentAgain() {
        OrderTicket t = pendingSubmit("crash-long-ago");
        jdbc.update("UPDATE orders SET created_at = ? WHERE id = ?",
                java.sql.Timestamp.from(java.time.Instant.now().minus(java.time.Duration.ofHours(3))), t.getOrderId());
        int posts = venue().orderPostCount();

        runRecovery();

        assertThat(stateOf(t.getOrderId())).isEqualTo("CANCELED");
        assertThat(ledger.find(t.getOrderId()).orElseThrow().reason()).contains("resend-within", "not sent again",
                "cancelled at the venue, or never placed");
        assertThat(venue().orderPostCount()).as("looked up, not re-sent").isEqualTo(posts);
        assertThat(venue().orders()).doesNotContainKey(t.getOrderHash());
    }

    @Test
    void aLookupAnsweredByACdnPageIsNoAnswerNeitherResentNorRejected() {
        // An old intent the venue does not hold would be REJECTED, a young one re-sent: neither may
        // follow from a lookup that was not answered by the venue.
        OrderTicket t = pendingSubmit("crash-lookup-403");
        jdbc.update("UPDATE orders SET created_at = ? WHERE id = ?",
                java.sql.Timestamp.from(java.time.Instant.now().minus(java.time.Duration.ofHours(3))), t.getOrderId());
        int posts = venue().orderPostCount();
        SIM.faults().next(com.oddsgate.sim.VenueFaults.Kind.CDN_403, 1, com.oddsgate.sim.VenueFaults.Target.ORDER_READS);
        try {
            runRecovery();
        } finally {
            SIM.faults().quiet();
        }
        assertThat(stateOf(t.getOrderId())).as("still unresolved").isEqualTo("PENDING_SUBMIT");
        assertThat(venue().orderPostCount()).isEqualTo(posts);
        runRecovery(); // the venue answers now: it does not hold the order, which is too old to send
        assertThat(stateOf(t.getOrderId())).isEqualTo("CANCELED");
        assertThat(venue().orderPostCount()).isEqualTo(posts);
    }

    @Test
    void anOrderPlacedThenCancelledAtTheVenueBeforeRecoveryEndsCanceledNotRejected() {
        OrderTicket t = pendingSubmit("crash-then-cancelled");
        sentBehindTheGatewaysBack(t);
        venue().cancelOutside(t.getOrderHash()); // then it left the book without trading

        runRecovery();

        // Neither open nor traded; the re-sent bytes are "Duplicated": the venue had it, so it was cancelled there.
        assertThat(stateOf(t.getOrderId())).isEqualTo("CANCELED");
        assertThat(venue().orders().values().stream().filter(o -> o.id().equals(t.getOrderHash()))).hasSize(1);
    }

    @Test
    void crashAfterTheSendIsResolvedByOrderHashWithoutResending() {
        OrderTicket t = pendingSubmit("crash-after-send");
        sentBehindTheGatewaysBack(t);
        int posts = venue().orderPostCount();

        runRecovery();

        assertThat(stateOf(t.getOrderId())).isEqualTo("LIVE");
        assertThat(venue().orderPostCount()).as("found by hash: nothing re-sent").isEqualTo(posts);
        assertThat(venue().orders().keySet().stream().filter(t.getOrderHash()::equals)).hasSize(1);
    }

    /** The venue takes the recorded signed order; the gateway never sees the answer (as after a crash). */
    @Test
    void anInstanceTakenOverWhileItLookedAnOrderUpRecordsNothingOnIt() throws Exception {
        // Old and not at the venue: this instance would conclude CANCELED — but while it looked, another
        // instance took the order over (this one stalled past its lease) and found what it found.
        OrderTicket t = pendingSubmit("crash-taken-over");
        long id = t.getOrderId();
        jdbc.update("UPDATE orders SET created_at = ? WHERE id = ?",
                java.sql.Timestamp.from(java.time.Instant.now().minus(java.time.Duration.ofHours(3))), id);
        java.util.concurrent.atomic.AtomicBoolean takenOver = new java.util.concurrent.atomic.AtomicBoolean();
        // Taken over right after this instance's fence passed (it stalled between the fence and its write).
        org.apache.camel.builder.AdviceWith.adviceWith(camel, "polymarket-recover", a -> a.weaveById("record-recovered").before()
                .process(e -> {
                    if (e.getProperty("oddsgateOrderId", Long.class) == id && takenOver.compareAndSet(false, true)) {
                        jdbc.update("UPDATE orders SET owner = 'gw-elsewhere' WHERE id = ?", id);
                    }
                }));
        int posts = venue().orderPostCount();

        runRecovery();

        assertThat(takenOver).isTrue();
        assertThat(stateOf(id)).as("the new owner's to record").isEqualTo("PENDING_SUBMIT");
        assertThat(venue().orderPostCount()).isEqualTo(posts);
        assertThat(get("/api/orders/" + id).json().get("events").findValuesAsText("detail"))
                .as("what it found is kept in the history only").anyMatch(d -> d.startsWith("found by an instance that no longer owns it"));
    }

    @Test
    void bytesTheVenueOnceAnsweredDuplicatedAreNotSentAgainWhateverTheReasonSaysSince() {
        OrderTicket t = pendingSubmit("crash-held-once");
        sentBehindTheGatewaysBack(t);
        // A redelivery was answered "Duplicated": the venue held these bytes.
        ledger.recordOutcome(t.getOrderId(), new com.oddsgate.order.VenueOutcome(com.oddsgate.order.OrderState.UNKNOWN,
                t.getOrderHash(), "venue already holds this signed order (duplicated); resolving by order hash", null), "test");
        // A later look rewrote the reason (not gone yet, as a young order's look says), then the venue cancelled it
        // (its dead-man switch, say) while the gateway was down.
        jdbc.update("UPDATE orders SET reason = 'neither open nor traded at the venue yet; looked up again once older than 60 s'"
                + " WHERE id = ?", t.getOrderId());
        venue().cancelOutside(t.getOrderHash());
        int posts = venue().orderPostCount();

        runRecovery();

        assertThat(venue().orderPostCount()).as("not sent again").isEqualTo(posts);
        assertThat(stateOf(t.getOrderId())).isEqualTo("CANCELED");
        assertThat(ledger.find(t.getOrderId()).orElseThrow().reason()).contains("(duplicated)", "cancelled at the venue");
    }

    private void sentBehindTheGatewaysBack(OrderTicket t) {
        byte[] body = t.getSignedPayload().getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(SIM.baseUrl() + "/clob/order"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        account.l2Headers(System.currentTimeMillis() / 1000, "POST", "/order", body).forEach(post::header);
        assertThat(send(post).status()).as("the venue took the order; its answer is lost").isEqualTo(200);
    }
}
