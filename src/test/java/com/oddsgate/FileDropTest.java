package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.message.Json;

/** Files dropped in the inbox become orders, each with its line in the file's acknowledgement. */
class FileDropTest extends GatewayTestSupport {

    static JsonNode drop(String name, String content) throws Exception {
        Path tmp = INBOX.resolve("." + name + ".part");
        Files.writeString(tmp, content);
        Files.move(tmp, INBOX.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        Path ack = OUTBOX.resolve(name + ".ack.json");
        org.awaitility.Awaitility.await("acknowledgement of " + name).atMost(Duration.ofSeconds(20)).until(() -> Files.exists(ack));
        return Json.MAPPER.readTree(ack.toFile());
    }

    @Test
    void jsonArrayGetsOneAckLinePerOrderAndABadLineRejectsOnlyItself() throws Exception {
        JsonNode ack = drop("batch.json", "[" + order("sim-btc-100k", "YES", "BUY", "0.49", "10", "\"clientOrderId\":\"file-a\"")
                + "," + order("sim-btc-100k", "YES", "BUY", "0.495", "10", "\"clientOrderId\":\"file-b\"")
                + "," + order("sim-election-a", "NO", "SELL", "0.72", "5", null) + "]");
        JsonNode lines = ack.get("orders");
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).get("line").asInt()).isEqualTo(1);
        assertThat(lines.get(0).get("state").asText()).isEqualTo("LIVE");
        assertThat(lines.get(1).get("state").asText()).isEqualTo("REJECTED");
        assertThat(lines.get(1).get("reason").asText()).contains("tick grid");
        assertThat(lines.get(2).get("state").asText()).isEqualTo("LIVE");
        assertThat(lines.get(2).get("clientOrderId").asText()).startsWith("file-");
        for (JsonNode l : lines) {
            long id = l.get("orderId").asLong();
            assertThat(stateOf(id)).isEqualTo(l.get("state").asText());
            assertThat(jdbc.queryForObject("SELECT source FROM orders WHERE id = ?", String.class, id)).isEqualTo("file");
        }
        String hash = jdbc.queryForObject("SELECT order_hash FROM orders WHERE id = ?", String.class,
                lines.get(0).get("orderId").asLong());
        assertThat(venue().orders()).containsKey(hash);
        assertThat(get("/api/orders/" + lines.get(0).get("orderId").asLong()).json().get("events").findValuesAsText("toState"))
                .containsExactly("RECEIVED", "PENDING_SUBMIT", "LIVE");
        awaitFile(INBOX.resolve(".done/batch.json"));
    }

    @Test
    void csvWithHeaderRowOfCanonicalNames() throws Exception {
        JsonNode ack = drop("clicks.csv", "venue,market,outcome,side,price,size,timeInForce,clientOrderId\n"
                + "polymarket,sim-longshot,YES,BUY,0.016,100,FOK,csv-fok\n"
                + "polymarket,sim-longshot,YES,BUY,abc,100,GTC,csv-bad\n"
                + "polymarket,sim-longshot,NO,SELL,0.99,6,GTC,csv-sell\n");
        JsonNode lines = ack.get("orders");
        assertThat(lines.findValuesAsText("line")).containsExactly("2", "3", "4");
        assertThat(lines.get(0).get("state").asText()).isEqualTo("MATCHED");
        assertThat(lines.get(1).get("state").asText()).isEqualTo("REJECTED");
        assertThat(lines.get(1).get("reason").asText()).contains("price: must be a decimal number");
        assertThat(lines.get(2).get("state").asText()).isEqualTo("LIVE");
    }

    @Test
    void aSlowWritersFileIsReadOnlyOnceItHasStoppedChanging() throws Exception {
        Path file = INBOX.resolve("slow.csv"); // written in place, with a pause, as a careless writer would
        Files.writeString(file, "venue,market,outcome,side,price,size,clientOrderId\npolymarket,sim-btc-100k,YES,BUY,0.27,5,slow-1\n");
        Thread.sleep(300); // longer than the read lock's check interval (250 ms), well short of its minimum age (1 s)
        Files.writeString(file, "polymarket,sim-btc-100k,YES,BUY,0.27,6,slow-2\n", java.nio.file.StandardOpenOption.APPEND);
        Path ack = OUTBOX.resolve("slow.csv.ack.json");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(ack));
        assertThat(Json.MAPPER.readTree(ack.toFile()).get("orders").findValuesAsText("clientOrderId"))
                .as("both lines, read once the file was whole").containsExactly("slow-1", "slow-2");
    }

    @Test
    void droppingTheSameFileAgainRepeatsNothingAtTheVenue() throws Exception {
        String content = order("sim-btc-100k", "NO", "BUY", "0.41", "5", null);
        JsonNode first = drop("again.json", content);
        // Dropped again the moment the acknowledgement is there: the first has left the inbox while it was
        // read (.inprogress), so this one is read too — not moved to .done unread with the first.
        Files.delete(OUTBOX.resolve("again.json.ack.json"));
        int posts = venue().orderPostCount();
        JsonNode second = drop("again.json", content);
        assertThat(second.get("orders").get(0).get("orderId").asLong())
                .isEqualTo(first.get("orders").get(0).get("orderId").asLong());
        assertThat(second.get("orders").get(0).get("reason").asText()).contains("duplicate clientOrderId");
        assertThat(venue().orderPostCount()).isEqualTo(posts);
    }

    @org.springframework.beans.factory.annotation.Autowired
    com.oddsgate.api.FileOrders fileOrders;

    @Test
    void aFileAnEarlierRunLeftHalfReadIsReadAgainBeforeTheFirstPollAndRepeatsNothing() throws Exception {
        String content = order("sim-btc-100k", "NO", "BUY", "0.42", "5", null);
        JsonNode first = drop("resumed.json", content);
        awaitFile(INBOX.resolve(".done/resumed.json"));
        int posts = venue().orderPostCount();
        // As a crash would leave them: taken for reading (in .inprogress), orders placed, never moved to .done.
        Path inProgress = INBOX.resolve(".inprogress");
        Files.writeString(inProgress.resolve("resumed.json"), content);
        // One whose name a newer file holds in the inbox (a name the consumers leave alone, so nothing races the check).
        Files.writeString(inProgress.resolve("held.txt"), content);
        Files.writeString(INBOX.resolve("held.txt"), "newer");
        Files.delete(OUTBOX.resolve("resumed.json.ack.json"));

        // The inbox route polls through the resuming strategy; what it does before a consumer's first poll:
        org.apache.camel.Consumer consumer = camel.getRoute("file-intake").getConsumer();
        assertThat(((org.apache.camel.support.ScheduledPollConsumer) consumer).getPollStrategy())
                .isInstanceOf(com.oddsgate.api.FileInboxResume.class);
        assertThat(new com.oddsgate.api.FileInboxResume(fileOrders, () -> { }).begin(consumer, camel.getEndpoint("file:" + INBOX))).isTrue();

        assertThat(Files.readString(INBOX.resolve("held.txt"))).as("the newer file is not replaced").isEqualTo("newer");
        try (java.util.stream.Stream<Path> kept = Files.list(INBOX.resolve(".error"))) {
            assertThat(kept.map(p -> p.getFileName().toString())).as("its name is taken in the inbox: kept for an operator")
                    .anyMatch(n -> n.startsWith("held.txt.half-read-"));
        }
        Files.delete(INBOX.resolve("held.txt"));
        Path ack = OUTBOX.resolve("resumed.json.ack.json");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(ack));
        JsonNode again = Json.MAPPER.readTree(ack.toFile());
        assertThat(again.get("orders").get(0).get("orderId").asLong()).isEqualTo(first.get("orders").get(0).get("orderId").asLong());
        assertThat(venue().orderPostCount()).as("nothing placed twice").isEqualTo(posts);
    }

    @org.springframework.beans.factory.annotation.Autowired
    com.oddsgate.ledger.RecoveryScan recoveryScan;

    /**
     * A line whose order an earlier run left RECEIVED (never signed, never sent): its file, read again,
     * places it (review: read before recovery closed that order, the line was taken for a repeat and
     * then the order closed REJECTED — the intent lost).
     */
    @Test
    void aLineWhoseOrderAnEarlierRunLeftReceivedIsPlacedWhenItsFileIsReadAgain() throws Exception {
        java.sql.Timestamp earlier = java.sql.Timestamp.from(java.time.Instant.now().minus(Duration.ofHours(1)));
        jdbc.update("INSERT INTO orders (client_order_id, source, venue, state, created_at, updated_at)"
                + " VALUES ('file-left-received', 'file', 'polymarket', 'RECEIVED', ?, ?)", earlier, earlier);
        Path inProgress = Files.createDirectories(INBOX.resolve(".inprogress"));
        Files.writeString(inProgress.resolve("left-received.json"), order("sim-btc-100k", "NO", "BUY", "0.41", "5", "\"clientOrderId\":\"file-left-received\""));
        org.apache.camel.Consumer consumer = camel.getRoute("file-intake").getConsumer();
        assertThat(new com.oddsgate.api.FileInboxResume(fileOrders, recoveryScan::closeInterruptedBeforeResume)
                .begin(consumer, camel.getEndpoint("file:" + INBOX))).isTrue();
        Path ack = OUTBOX.resolve("left-received.json.ack.json");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(ack));
        JsonNode line = Json.MAPPER.readTree(ack.toFile()).get("orders").get(0);
        assertThat(line.get("state").asText()).as(line.toString()).isEqualTo("LIVE");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM orders WHERE released_client_order_id = 'file-left-received'"
                + " AND state = 'REJECTED'", Integer.class)).as("the earlier run's order closed first").isEqualTo(1);
    }

    @Test
    void aFileStillBeingReadIsNotPutBack() throws Exception {
        Path inProgress = Files.createDirectories(INBOX.resolve(".inprogress"));
        Path busy = inProgress.resolve("busy.json");
        Files.writeString(busy, "[]");
        // An exchange of this process reading it (a consumer before a leadership blip, still placing its orders).
        org.apache.camel.Exchange reading = new org.apache.camel.support.DefaultExchange(camel);
        reading.getIn().setHeader(org.apache.camel.Exchange.FILE_NAME_ONLY, "busy.json");
        reading.getIn().setHeader(org.apache.camel.Exchange.FILE_PATH, busy.toString());
        reading.getIn().setBody("[]");
        fileOrders.parse(reading);
        assertThat(fileOrders.resumeInProgress(INBOX.toString())).isZero();
        assertThat(busy).exists();
        // Once that exchange is done, a resume takes it.
        org.apache.camel.support.UnitOfWorkHelper.doneSynchronizations(reading, reading.getExchangeExtension().handoverCompletions());
        assertThat(fileOrders.resumeInProgress(INBOX.toString())).isEqualTo(1);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(OUTBOX.resolve("busy.json.ack.json")));
    }

    @Test
    void unreadableFileIsAcknowledgedAndMovedToError() throws Exception {
        JsonNode ack = drop("broken.json", "{\"venue\": ");
        assertThat(ack.get("error").asText()).contains("not valid JSON");
        awaitFile(INBOX.resolve(".error/broken.json"));
    }

    @Test
    void aFileWhoseReadingStopsPartWayIsAcknowledgedAndDroppedAgainPlacesNothingTwice() throws Exception {
        // The ack cannot be built (the ledger unreachable a moment, say) once its two lines went through intake.
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        org.apache.camel.builder.AdviceWith.adviceWith(camel, "file-intake", a -> a.weaveById("build-ack").before().process(e -> {
            if ("stops.json".equals(e.getProperty("oddsgateFileName")) && failed.compareAndSet(false, true)) {
                throw new IllegalStateException("ledger unreachable");
            }
        }));
        String content = "[" + order("sim-btc-100k", "YES", "BUY", "0.47", "10", "\"clientOrderId\":\"stop-1\"") + ","
                + order("sim-btc-100k", "YES", "BUY", "0.47", "10", null) + "]";
        int posts = venue().orderPostCount();
        JsonNode ack = drop("stops.json", content);
        assertThat(ack.get("error").asText()).contains("processing stopped (ledger unreachable)", "places none of them twice", "checked afresh");
        awaitFile(INBOX.resolve(".error/stops.json"));
        assertThat(venue().orderPostCount()).isEqualTo(posts + 2);
        Files.delete(OUTBOX.resolve("stops.json.ack.json"));
        JsonNode again = drop("stops.json", content);
        assertThat(again.get("orders").findValuesAsText("state")).containsOnly("LIVE");
        assertThat(venue().orderPostCount()).as("both placed once").isEqualTo(posts + 2);
    }

    /** The ack names the file's line: a blank line counts (it used to number records, one short after it). */
    @Test
    void aCsvAckNamesTheFilesLineBlankLinesCounted() throws Exception {
        JsonNode ack = drop("blank.csv", "venue,market,outcome,side,price,size,clientOrderId\r\n"
                + "polymarket,sim-btc-100k,YES,BUY,0.45,10,blank-1\r\n"
                + "\r\n"
                + "polymarket,sim-btc-100k,YES,BUY,0.455,10,blank-2\r\n");
        assertThat(ack.get("orders").findValuesAsText("line")).containsExactly("2", "4");
        assertThat(ack.get("orders").get(1).get("reason").asText()).contains("tick grid");
    }

    /** A line the ledger could not record: its ack line says why and what to do (it said "reason": "null"). */
    @Test
    void aLineTheLedgerCouldNotRecordIsAcknowledgedWithWhyAndPlacedWhenDroppedAgain() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        org.apache.camel.builder.AdviceWith.adviceWith(camel, "order-intake", a -> a.weaveById("record-received").before().process(e -> {
            com.oddsgate.order.OrderTicket t = e.getIn().getBody(com.oddsgate.order.OrderTicket.class);
            if (t != null && t.getOrder() != null && "nr-2".equals(t.getOrder().clientOrderId()) && failed.compareAndSet(false, true)) {
                throw new org.springframework.dao.DataAccessResourceFailureException("ledger unreachable (test)");
            }
        }));
        String content = "venue,market,outcome,side,price,size,clientOrderId\n"
                + "polymarket,sim-btc-100k,YES,BUY,0.46,10,nr-1\n"
                + "polymarket,sim-btc-100k,YES,BUY,0.46,10,nr-2\n";
        JsonNode ack = drop("not-recorded.csv", content);
        JsonNode lines = ack.get("orders");
        assertThat(lines.get(0).get("state").asText()).isEqualTo("LIVE");
        assertThat(lines.get(1).get("state").asText()).isEqualTo("FAILED");
        assertThat(lines.get(1).get("orderId").isNull()).isTrue();
        assertThat(lines.get(1).get("reason").asText()).contains("not recorded (ledger unreachable (test))", "dropping the file again places it");
        awaitFile(INBOX.resolve(".done/not-recorded.csv"));

        int posts = venue().orderPostCount();
        Files.delete(OUTBOX.resolve("not-recorded.csv.ack.json"));
        JsonNode again = drop("not-recorded.csv", content).get("orders");
        assertThat(again.get(0).get("reason").asText()).startsWith("duplicate clientOrderId");
        assertThat(again.get(1).get("state").asText()).isEqualTo("LIVE");
        assertThat(venue().orderPostCount()).as("only the line not recorded before").isEqualTo(posts + 1);
    }

    /** Over oddsgate.file-max-bytes (1 MiB in tests): refused whole before it is read, acknowledged, moved to .error. */
    @Test
    void aFileOverTheSizeLimitIsRefusedWholeBeforeItIsRead() throws Exception {
        int posts = venue().orderPostCount();
        String line = "polymarket,sim-btc-100k,YES,BUY,0.46,10,\n";
        JsonNode ack = drop("huge.csv", "venue,market,outcome,side,price,size,clientOrderId\n" + line.repeat(1_048_576 / line.length() + 1));
        assertThat(ack.get("error").asText()).contains("huge.csv is", "more than oddsgate.file-max-bytes (1048576)", "nothing placed");
        awaitFile(INBOX.resolve(".error/huge.csv"));
        assertThat(venue().orderPostCount()).isEqualTo(posts);
    }

    @Test
    void anUpperCaseExtensionIsReadToo() throws Exception {
        // Before, *.json and *.csv matched case-sensitively: ORDERS.CSV lay in the inbox, never read nor acknowledged.
        JsonNode ack = drop("UPPER.CSV", "venue,market,outcome,side,price,size,clientOrderId\n"
                + "polymarket,sim-btc-100k,YES,BUY,0.48,10,upper-1\n");
        assertThat(ack.get("orders").get(0).get("state").asText()).isEqualTo("LIVE");
    }

    @Test
    void aFileWhoseRestCannotBeReadIsRefusedWholeNeverPlacedInPart() throws Exception {
        int posts = venue().orderPostCount();
        // One object per line: before, the first was placed, the rest dropped unseen and the file "done".
        JsonNode ndjson = drop("lines.json", order("sim-btc-100k", "YES", "BUY", "0.49", "10", "\"clientOrderId\":\"nd-1\"") + "\n"
                + order("sim-btc-100k", "YES", "BUY", "0.49", "10", "\"clientOrderId\":\"nd-2\"") + "\n");
        assertThat(ndjson.get("error").asText()).contains("not valid JSON");
        awaitFile(INBOX.resolve(".error/lines.json"));
        // A stray quote in a CSV line: commons-csv stops there (it threw past the handler: no acknowledgement at all).
        JsonNode csv = drop("quote.csv", "venue,market,outcome,side,price,size,clientOrderId\n"
                + "polymarket,sim-btc-100k,YES,BUY,0.49,10,q-1\n"
                + "polymarket,sim-btc-100k,YES,BUY,0.49,10,\"q-2\"x\n");
        assertThat(csv.get("error").asText()).contains("not readable CSV");
        awaitFile(INBOX.resolve(".error/quote.csv"));
        assertThat(venue().orderPostCount()).isEqualTo(posts);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM orders WHERE client_order_id IN ('nd-1', 'nd-2', 'q-1')", Integer.class))
                .isZero();
    }

    private static void awaitFile(Path p) throws InterruptedException {
        org.awaitility.Awaitility.await(p.toString()).atMost(Duration.ofSeconds(10)).until(() -> Files.exists(p));
    }
}
