package com.oddsgate.polymarket.protocol;

import com.oddsgate.polymarket.signing.ApiCredentials;
import com.oddsgate.polymarket.signing.OrderVersion;
import com.oddsgate.polymarket.signing.Wallet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.oddsgate.venue.VenueReads;
import com.oddsgate.venue.RetryableVenueException;

/**
 * Heartbeats of several accounts: one whose venue call hangs does not hold back the others' (the
 * venue would cancel their orders), and skips its turns until its call ends.
 */
class HeartbeatAccountsTest {

    static final String SECRET = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

    @Test
    void aHangingAccountDoesNotMakeTheOthersLate() throws Exception {
        PolymarketAccount slow = new PolymarketAccount("slow", Wallet.fromPrivateKey("0x" + "11".repeat(32)),
                new ApiCredentials("key-slow", SECRET, "p"), 0, null);
        PolymarketAccount quick = new PolymarketAccount("quick", Wallet.fromPrivateKey("0x" + "22".repeat(32)),
                new ApiCredentials("key-quick", SECRET, "p"), 0, null);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger slowCalls = new AtomicInteger();
        VenueReads venue = (read, path, query, auth, body) -> {
            Map<String, String> headers = auth.headers("POST", "/v1/heartbeats", body);
            if ("key-slow".equals(headers.get("POLY_API_KEY"))) {
                slowCalls.incrementAndGet();
                try {
                    release.await(10, TimeUnit.SECONDS); // a venue that does not answer
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new RetryableVenueException("read timed out", 0, null);
            }
            return new VenueReads.Response(200, "{\"heartbeat_id\":\"hb-1\"}",
                    JsonNodeFactory.instance.objectNode().put("heartbeat_id", "hb-1"));
        };
        PolymarketSettings settings = new PolymarketSettings("http://127.0.0.1:9/clob", "http://127.0.0.1:9/gamma", 137,
                OrderVersion.V2, 0, "", "", Duration.ofMinutes(5));
        PolymarketHeartbeats heartbeats = new PolymarketHeartbeats(new PolymarketAccounts(List.of(slow, quick)), settings, venue,
                Clock.systemUTC(), true);
        for (int turn = 0; turn < 3; turn++) {
            long started = System.nanoTime();
            heartbeats.beat();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the timer never waits").isLessThan(Duration.ofMillis(500));
            // The quick account's beat of this turn ended before the next turn (else that turn skips it as still under way).
            String beats = "beats=" + (turn + 1);
            await().atMost(Duration.ofSeconds(2)).until(() -> ((Map<?, ?>) heartbeats.describe().get("accounts")).get("quick")
                    .toString().contains(beats));
        }
        await().atMost(Duration.ofSeconds(2)).until(() -> ((Map<?, ?>) heartbeats.describe().get("accounts")).get("quick").toString()
                .contains("beats=3"));
        assertThat(slowCalls.get()).as("the hanging account skips its turns while its call is under way").isEqualTo(1);
        release.countDown();
        await().atMost(Duration.ofSeconds(2)).until(() -> !heartbeats.healthy());
        assertThat(heartbeats.describe().get("accounts").toString()).contains("failingSince");
    }
}
