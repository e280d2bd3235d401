package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.message.Flow;
import com.oddsgate.message.VenueAttempts;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.venue.RetryableVenueException;

/**
 * The ledger's own failures, told apart from a venue's: a broken database connection ends in an
 * IOException too, but a step run again for it would sign again. Not redelivered; the request ends
 * with the ledger's word (or a 503 when even that cannot be written), and what it left RECEIVED is
 * closed by recovery. Routes are advised here, hence a context of its own.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class LedgerFaultTest extends GatewayTestSupport {

    @DynamicPropertySource
    static void shortDeadline(DynamicPropertyRegistry r) {
        r.add("oddsgate.intake.first-send-within", () -> "5s");
    }

    @AfterEach
    void venueUp() {
        venue().failNextOrderPosts(0, 503);
    }

    private static DataAccessResourceFailureException connectionLost() {
        return new DataAccessResourceFailureException("ledger connection lost", new SocketException("Connection reset"));
    }

    /**
     * DELETE /api/orders/{id} with the ledger failing: before the venue call, 503 and nothing sent;
     * after the venue cancelled, 502 with its answer, unrecorded (before, an empty 500 either way,
     * and a broken connection's IOException was redelivered as the venue's).
     */
    @Test
    void aCancelWhoseLedgerFailsSaysWhetherTheVenueWasAsked() throws Exception {
        Answer before = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.31", "5", "\"clientOrderId\":\"lf-cancel-before\""));
        Answer after = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.31", "5", "\"clientOrderId\":\"lf-cancel-after\""));
        long beforeId = before.json().get("id").asLong();
        long afterId = after.json().get("id").asLong();
        Answer amended = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.31", "5", "\"clientOrderId\":\"lf-amend-after\""));
        long amendedId = amended.json().get("id").asLong();
        AdviceWith.adviceWith(camel, "cancel-order", a -> {
            a.weaveById("load-cancellable-order").before().process(e -> {
                if (beforeId == e.getProperty(Flow.RECORD, com.oddsgate.ledger.OrderRecord.class).id()) {
                    throw connectionLost();
                }
            });
            a.weaveById("record-polymarket-cancel").before().process(e -> {
                if (Long.valueOf(afterId).equals(e.getProperty(Flow.ORDER_ID)) || Long.valueOf(amendedId).equals(e.getProperty(Flow.ORDER_ID))) {
                    throw connectionLost();
                }
            });
        });

        Answer notSent = delete("/api/orders/" + beforeId);
        assertThat(notSent.status()).as(notSent.body()).isEqualTo(503);
        assertThat(notSent.json().get("error").asText()).contains("the ledger failed (Connection reset)", "no cancel was sent");
        assertThat(venue().orders().get(before.json().get("orderHash").asText()).status()).isEqualTo("LIVE");
        Answer amendNotSent = patch("/api/orders/" + beforeId, "{\"price\":\"0.30\",\"size\":\"5\"}");
        assertThat(amendNotSent.status()).as("an amend's cancel that the ledger stopped: " + amendNotSent.body()).isEqualTo(503);
        assertThat(venue().orders().get(before.json().get("orderHash").asText()).status()).isEqualTo("LIVE");

        Answer unrecorded = delete("/api/orders/" + afterId);
        assertThat(unrecorded.status()).as(unrecorded.body()).isEqualTo(502);
        assertThat(unrecorded.json().get("error").asText()).contains("venue answered the cancel", "could not record it",
                "Connection reset");
        assertThat(unrecorded.json().get("venueState").asText()).isEqualTo("CANCELED");
        assertThat(venue().orders().get(after.json().get("orderHash").asText()).status()).isEqualTo("CANCELED");
        assertThat(stateOf(afterId)).as("not recorded").isEqualTo("LIVE");

        // An amend's cancel answered but not recorded: not reported as "could not be cancelled"; nothing placed.
        int posts = venue().orderPostCount();
        Answer amend = patch("/api/orders/" + amendedId, "{\"price\":\"0.30\",\"size\":\"5\"}");
        assertThat(amend.status()).as(amend.body()).isEqualTo(502);
        assertThat(amend.json().get("error").asText()).contains("the venue answered this amend's cancel CANCELED (",
                "), but the ledger could not record it", "no replacement was placed");
        assertThat(venue().orderPostCount()).isEqualTo(posts);
    }

    @Test
    void aLedgerWriteThatFailsIsNotRedeliveredAndTheIntentIsSignedOnce() throws Exception {
        AtomicBoolean failNext = new AtomicBoolean(true);
        AtomicInteger signed = new AtomicInteger();
        AdviceWith.adviceWith(camel, "polymarket-prepare", a -> {
            a.weaveById("sign-order").after().process(e -> {
                if (clientOrderId(e).equals("lf-intent")) {
                    signed.incrementAndGet();
                }
            });
            a.weaveById("record-intent").before().process(e -> {
                if (clientOrderId(e).equals("lf-intent") && failNext.compareAndSet(true, false)) {
                    throw connectionLost();
                }
            });
        });
        int posts = venue().orderPostCount();
        Answer a = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.21", "5", "\"clientOrderId\":\"lf-intent\""));
        assertThat(signed.get()).as("one signature of one intent").isEqualTo(1);
        assertThat(a.status()).as(a.body()).isEqualTo(503);
        assertThat(a.json().get("state").asText()).isEqualTo("REJECTED");
        assertThat(a.json().get("reason").asText()).contains("not sent", "ledger connection lost");
        assertThat(venue().orderPostCount()).as("nothing sent").isEqualTo(posts);
    }

    @Test
    void anOrderSignedAndRecordedThatNoAttemptCarriedIsRejectedNotLeftForRecoveryToSendLater() throws Exception {
        AdviceWith.adviceWith(camel, "polymarket-prepare", a -> a.weaveById("record-intent").after().process(e -> {
            if (clientOrderId(e).equals("lf-unsent")) {
                throw connectionLost(); // the intent is recorded; the ledger fails before any attempt leaves
            }
        }));
        Answer a = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.19", "5", "\"clientOrderId\":\"lf-unsent\""));
        assertThat(a.status()).as(a.body()).isEqualTo(503);
        assertThat(a.json().get("state").asText()).isEqualTo("REJECTED");
        assertThat(a.json().get("reason").asText()).contains("not sent");
        runRecovery();
        assertThat(get("/api/orders/" + a.json().get("id").asLong()).json().get("state").asText()).isEqualTo("REJECTED");
        assertThat(venue().orders()).as("its first send is not made later by recovery").doesNotContainKey(a.json().get("orderHash").asText());
    }

    @Test
    void aRequestHeldUpPastItsFirstSendsDeadlineSendsNothing() throws Exception {
        AdviceWith.adviceWith(camel, "polymarket-prepare", a -> a.weaveById("record-intent").after().process(e -> {
            if ("lf-stalled".equals(clientOrderId(e))) {
                Thread.sleep(5500); // a ledger that stalls between the intent's write and the send
            }
        }));
        int posts = venue().orderPostCount();
        Answer a = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.23", "5", "\"clientOrderId\":\"lf-stalled\""));
        assertThat(a.status()).as(a.body()).isEqualTo(503);
        assertThat(a.json().get("state").asText()).isEqualTo("REJECTED");
        assertThat(a.json().get("reason").asText()).contains("not sent", "after the request arrived", "first-send-within (5 s)");
        assertThat(venue().orderPostCount()).as("nothing sent").isEqualTo(posts);
    }

    @Test
    void aLedgerFailureAfterAVenueFailureOfTheSameStepIsNotRedeliveredEither() throws Exception {
        AtomicBoolean venueFailsNext = new AtomicBoolean(true);
        AtomicBoolean ledgerFailsNext = new AtomicBoolean(true);
        AtomicInteger signed = new AtomicInteger();
        AdviceWith.adviceWith(camel, "polymarket-prepare", a -> {
            a.weaveById("sign-order").before().process(e -> {
                if (clientOrderId(e).equals("lf-after-venue") && venueFailsNext.compareAndSet(true, false)) {
                    throw new RetryableVenueException("balance read timed out", 0, null); // redelivered, as a venue's
                }
            });
            a.weaveById("sign-order").after().process(e -> {
                if (clientOrderId(e).equals("lf-after-venue")) {
                    signed.incrementAndGet();
                }
            });
            a.weaveById("record-intent").before().process(e -> {
                if (clientOrderId(e).equals("lf-after-venue") && ledgerFailsNext.compareAndSet(true, false)) {
                    throw connectionLost();
                }
            });
        });
        Answer a = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.20", "5", "\"clientOrderId\":\"lf-after-venue\""));
        assertThat(signed.get()).as("the venue's redelivery policy does not carry over to the ledger's failure").isEqualTo(1);
        assertThat(a.status()).as(a.body()).isEqualTo(503);
        assertThat(a.json().get("state").asText()).isEqualTo("REJECTED");
    }

    private static String clientOrderId(org.apache.camel.Exchange e) {
        return e.getProperty(com.oddsgate.message.Flow.TICKET, com.oddsgate.order.OrderTicket.class).getOrder().clientOrderId();
    }

    @Test
    void aFailureTheLedgerCannotRecordEitherIsAnsweredForWhatItIs() throws Exception {
        AtomicBoolean failing = new AtomicBoolean(true);
        AdviceWith.adviceWith(camel, "dead-letter", a -> a.weaveById("record-dead-letter").before().process(e -> {
            if (failing.get()) {
                throw connectionLost();
            }
        }));
        AdviceWith.adviceWith(camel, "polymarket-prepare", a -> a.weaveById("sign-order").before().process(e -> {
            if (clientOrderId(e).equals("lf-unrecorded-unsigned")) { // a ledger read of the checks before signing, say
                throw connectionLost();
            }
        }));
        try {
            // Failed before the order was signed: nothing sent.
            Answer unsigned = post("/api/orders", order("sim-btc-100k", "NO", "BUY", "0.22", "5",
                    "\"clientOrderId\":\"lf-unrecorded-unsigned\""));
            assertThat(unsigned.status()).as(unsigned.body()).isEqualTo(503);
            assertThat(unsigned.json().get("error").asText()).contains("could not record", "nothing was sent", "new clientOrderId");
            assertThat(unsigned.json().get("id").asLong()).isPositive();
            // Sent, its answers all 502: what the venue holds is unknown, not "nothing sent".
            venue().failNextOrderPosts(100, 502);
            Answer sent = post("/api/orders", order("sim-btc-100k", "NO", "BUY", "0.22", "5", "\"clientOrderId\":\"lf-unrecorded-sent\""));
            assertThat(sent.status()).as(sent.body()).isEqualTo(502);
            assertThat(sent.json().get("error").asText()).contains("could not record", "outcome is unknown", "only with the same clientOrderId");
        } finally {
            failing.set(false);
        }
    }

    @Test
    void anOrderOfThisInstanceLeftReceivedByARequestThatEndedIsClosedByRecovery() {
        // A request whose first record committed unseen ended without the order's id: its row stays RECEIVED.
        Answer refused = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.431", "5", "\"clientOrderId\":\"lf-received\""));
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        long id = refused.json().get("id").asLong();
        jdbc.update("UPDATE orders SET state = 'RECEIVED', updated_at = ? WHERE id = ?",
                java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(4)), id);
        runRecovery(); // younger than first-send-within (5 s here): its request could still send it
        assertThat(get("/api/orders/" + id).json().get("state").asText()).isEqualTo("RECEIVED");
        jdbc.update("UPDATE orders SET updated_at = ? WHERE id = ?", java.sql.Timestamp.from(java.time.Instant.now().minusSeconds(6)), id);
        runRecovery(); // older, and no exchange works on it
        JsonNode view = get("/api/orders/" + id).json();
        assertThat(view.get("state").asText()).isEqualTo("REJECTED");
        assertThat(view.get("reason").asText()).contains("not sent", "request ended before the order was signed");
        assertThat(view.get("orderHash").isNull()).as("never signed").isTrue();
    }

    /** The client order ids of a venue batch's orders. */
    private static List<String> batchIds(org.apache.camel.Exchange e) {
        @SuppressWarnings("unchecked")
        List<OrderTicket> batch = e.getProperty(Flow.BATCH, List.class);
        return batch == null ? List.of() : batch.stream().map(t -> t.getOrder().clientOrderId()).toList();
    }

    /**
     * A venue batch the ledger fails at its last gate, before any attempt leaves — a pool that times
     * out, or a connection that breaks (an IOException at the bottom, which the batch's venue handler
     * would otherwise redeliver): its orders are REJECTED, "not sent", and recovery never makes their
     * first send later.
     */
    @Test
    void aVenueBatchTheLedgerFailsBeforeItLeavesIsRejectedAndNeverSentLater() throws Exception {
        Map<String, RuntimeException> failures = Map.of("lf-batch-pool", new CannotGetJdbcConnectionException("Failed to obtain JDBC"
                + " Connection", new SQLTransientConnectionException("oddsgate-ledger - Connection is not available")),
                "lf-batch-reset", connectionLost());
        Set<String> failed = ConcurrentHashMap.newKeySet();
        AdviceWith.adviceWith(camel, "polymarket-post-batch", a -> a.weaveById("polymarket-post-batch-cancel-asked").before().process(e -> {
            for (String id : batchIds(e)) {
                for (Map.Entry<String, RuntimeException> f : failures.entrySet()) {
                    if (id.startsWith(f.getKey()) && failed.add(f.getKey())) {
                        throw f.getValue();
                    }
                }
            }
        }));
        int posts = venue().batchPostCount();
        for (String kind : failures.keySet()) {
            Answer batch = post("/api/orders/batch", "[" + order("sim-btc-100k", "YES", "BUY", "0.11", "5",
                    "\"clientOrderId\":\"" + kind + "-1\"") + "," + order("sim-btc-100k", "YES", "BUY", "0.12", "5",
                    "\"clientOrderId\":\"" + kind + "-2\"") + "]");
            assertThat(batch.status()).as(batch.body()).isEqualTo(200);
            for (JsonNode o : batch.json().get("orders")) {
                assertThat(o.get("state").asText()).as(kind + ": " + batch.body()).isEqualTo("REJECTED");
                assertThat(o.get("reason").asText()).contains("not sent", "the ledger failed");
            }
            assertThat(venue().batchPostCount()).as(kind + ": not redelivered, nothing sent").isEqualTo(posts);
            runRecovery();
            for (JsonNode o : batch.json().get("orders")) {
                assertThat(get("/api/orders/" + o.get("id").asLong()).json().get("state").asText()).isEqualTo("REJECTED");
                assertThat(venue().orders()).as("no first send by recovery").doesNotContainKey(o.get("orderHash").asText());
            }
        }
        assertThat(failed).containsExactlyInAnyOrderElementsOf(failures.keySet());
    }

    /**
     * The ledger fails writing a venue batch's answers — after its first attempt left, and after the
     * refused orders of it were signed again for the venue's order version (new bytes, no attempt of
     * them yet): an attempt did leave, so its orders are UNKNOWN, never REJECTED, and recovery finds
     * them at the venue by hash.
     */
    @Test
    void aVenueBatchWhoseAnswersTheLedgerFailsToWriteIsLeftToRecoveryNeverRejected() throws Exception {
        AtomicBoolean failNext = new AtomicBoolean(true);
        AdviceWith.adviceWith(camel, "polymarket-batch", a -> a.weaveById("record-batch-outcomes").before().process(e -> {
            if (batchIds(e).contains("lf-answered-1") && failNext.compareAndSet(true, false)) {
                VenueAttempts.newBytes(e); // as when some of the batch were signed again for the venue's order version
                throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                        new SQLTransientConnectionException("oddsgate-ledger - Connection is not available"));
            }
        }));
        Answer batch = post("/api/orders/batch", "[" + order("sim-btc-100k", "YES", "BUY", "0.13", "5",
                "\"clientOrderId\":\"lf-answered-1\"") + "," + order("sim-btc-100k", "YES", "BUY", "0.14", "5",
                "\"clientOrderId\":\"lf-answered-2\"") + "]");
        assertThat(batch.status()).as(batch.body()).isEqualTo(200);
        for (JsonNode o : batch.json().get("orders")) {
            assertThat(o.get("state").asText()).as(batch.body()).isEqualTo("UNKNOWN");
            assertThat(o.get("reason").asText()).contains("the ledger failed", "may have landed");
        }
        runRecovery();
        for (JsonNode o : batch.json().get("orders")) {
            assertThat(venue().orders()).containsKey(o.get("orderHash").asText());
            assertThat(get("/api/orders/" + o.get("id").asLong()).json().get("state").asText()).isEqualTo("LIVE");
            delete("/api/orders/" + o.get("id").asLong());
        }
    }
}
