package com.oddsgate.polymarket.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import com.oddsgate.MutableClock;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.message.Json;
import com.oddsgate.polymarket.signing.OrderVersion;
import com.oddsgate.polymarket.signing.Wallet;
import com.oddsgate.venue.RetryableVenueException;
import com.oddsgate.venue.VenueReads;

/**
 * An account configured with only its key gets its API credentials (L1) once the venue routes run,
 * not while the beans are built: a venue that cannot give them leaves the account without, says so,
 * and is asked again when the account is next used; once known they are never asked for again.
 */
class LazyCredentialsTest {

    static final PolymarketSettings SETTINGS = new PolymarketSettings("http://127.0.0.1:9/clob", "http://127.0.0.1:9/gamma", 137,
            OrderVersion.V2, 0, "", "", Duration.ofMinutes(1));

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void credentialsAreAskedForOnFirstUseAgainAfterARefusalAndThenNeverAgain() {
        List<String> asked = new CopyOnWriteArrayList<>();
        boolean[] venueGives = {false};
        VenueReads venue = (read, path, query, auth, body) -> {
            asked.add(read);
            if (read.equals("polymarket-time")) {
                return new VenueReads.Response(200, "1700000000", json("1700000000"));
            }
            Map<String, String> l1 = auth.headers("GET", "/auth/derive-api-key", null);
            assertThat(l1).containsKeys("POLY_ADDRESS", "POLY_SIGNATURE", "POLY_TIMESTAMP", "POLY_NONCE");
            assertThat(l1.get("POLY_TIMESTAMP")).as("signed at the CLOB's clock").isEqualTo("1700000000");
            if (!venueGives[0]) {
                return new VenueReads.Response(401, "{\"error\":\"Unauthorized\"}", json("{\"error\":\"Unauthorized\"}"));
            }
            String creds = "{\"apiKey\":\"k-1\",\"secret\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\",\"passphrase\":\"p-1\"}";
            return read.equals("polymarket-create-api-key") ? new VenueReads.Response(200, creds, json(creds))
                    : new VenueReads.Response(400, "{}", json("{}"));
        };
        MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
        PolymarketAccount main = PolymarketAccount.deriving(Wallet.fromPrivateKey("0x" + "33".repeat(32)), SETTINGS, venue, clock);
        PolymarketAccount named = main.named("desk", 0, null);
        PolymarketAccounts accounts = new PolymarketAccounts(List.of(named), SETTINGS);
        assertThat(asked).as("nothing is asked while the accounts are built").isEmpty();
        assertThat(named.apiKeyIfKnown()).isNull();
        assertThat(named.toString()).contains("credentials to derive");

        assertThat(accounts.deriveCredentials()).as("accounts still without credentials").isEqualTo(1);
        assertThat(asked).containsExactly("polymarket-time", "polymarket-create-api-key", "polymarket-derive-api-key");
        assertThatThrownBy(() -> named.l2Headers(1, "GET", "/data/orders", null))
                .as("used without them: as if the venue were unreachable, nothing signed")
                .isInstanceOf(RetryableVenueException.class).hasMessageContaining("could not be created or derived");

        venueGives[0] = true;
        asked.clear();
        clock.now = clock.now.plusSeconds(9);
        assertThatThrownBy(() -> named.credentials()).as("not asked again this soon after a failure")
                .isInstanceOf(RetryableVenueException.class).hasMessageContaining("asked again after");
        assertThat(asked).isEmpty();
        clock.now = clock.now.plusSeconds(2);
        assertThat(named.l2Headers(1, "GET", "/data/orders", null)).containsEntry("POLY_API_KEY", "k-1");
        assertThat(main.apiKeyIfKnown()).as("the named copies share them").isEqualTo("k-1");
        assertThat(accounts.deriveCredentials()).isZero();
        main.credentials();
        assertThat(asked).as("asked once").containsExactly("polymarket-time", "polymarket-create-api-key");
    }
}
