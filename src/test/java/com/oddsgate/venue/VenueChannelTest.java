package com.oddsgate.venue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A venue channel sends its subscription on every connect; a connection it cannot make the
 * subscription for (the account's credentials not there yet) is closed and tried again later,
 * never left open unsubscribed, and counts as no connect (no catch-up for it).
 */
class VenueChannelTest {

    Vertx vertx;
    HttpServer server;
    final List<String> received = new CopyOnWriteArrayList<>();
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger closedByClient = new AtomicInteger();

    @BeforeEach
    void venue() throws Exception {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().webSocketHandler(ws -> {
            opened.incrementAndGet();
            ws.textMessageHandler(received::add);
            ws.closeHandler(v -> closedByClient.incrementAndGet());
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        vertx.close();
    }

    @Test
    void noSubscriptionNoConnectionAndTheNextConnectSubscribes() {
        AtomicInteger asked = new AtomicInteger();
        AtomicInteger caughtUp = new AtomicInteger();
        VenueChannel channel = new VenueChannel("test", null, path -> Map.of(), () -> {
            if (asked.incrementAndGet() == 1) {
                throw new RetryableVenueException("API credentials are being created or derived", 0, null);
            }
            return "{\"type\":\"user\"}";
        }, null, 0, frame -> { }, caughtUp::incrementAndGet);
        try {
            channel.start("ws://127.0.0.1:" + server.actualPort() + "//ws/user");
            assertThat(channel.path()).isEqualTo("/ws/user");
            await().atMost(Duration.ofSeconds(5)).until(() -> channel.connects() == 1 && channel.catchUps() == 1);
            assertThat(opened).as("the first connection was closed, a second made").hasValue(2);
            assertThat(closedByClient).hasValueGreaterThanOrEqualTo(1);
            assertThat(received).as("only the second connection subscribed").containsExactly("{\"type\":\"user\"}");
            assertThat(caughtUp).hasValue(1);
        } finally {
            channel.close();
        }
    }

    @Test
    void anOrderInAMarketNotFollowedYetChangesTheSubscriptionAtOnceNotAtTheNextKeepalive() {
        java.util.concurrent.atomic.AtomicReference<String> markets = new java.util.concurrent.atomic.AtomicReference<>("[\"0xa\"]");
        VenueChannel channel = new VenueChannel("test", null, path -> Map.of(), () -> "{\"markets\":" + markets.get() + "}", "PING",
                60_000, frame -> { }, () -> { }).changesBy((sent, now) -> List.of("change to " + now));
        VenueChannels channels = new VenueChannels(Map.of("main", channel));
        try {
            channel.start("ws://127.0.0.1:" + server.actualPort() + "/ws/user");
            await().atMost(Duration.ofSeconds(5)).until(() -> channel.connects() == 1);
            assertThat(channel.follows("0xa")).isTrue();
            assertThat(channel.follows("0x")).as("a whole id, not a prefix").isFalse();
            channels.follow("main", "0xa"); // followed: nothing to send
            channels.follow("other", "0xb"); // no such account
            markets.set("[\"0xb\",\"0xa\"]"); // an order recorded in 0xb
            assertThat(channel.follows("0xb")).isFalse();

            channels.follow("main", "0xb");

            await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("change to {\"markets\":[\"0xb\",\"0xa\"]}"));
            assertThat(received).as("the keepalive is a minute away: only the subscription and its change")
                    .containsExactly("{\"markets\":[\"0xa\"]}", "change to {\"markets\":[\"0xb\",\"0xa\"]}");
            assertThat(channel.follows("0xb")).isTrue();
        } finally {
            channel.close();
        }
    }
}
