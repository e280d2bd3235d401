package com.oddsgate.polymarket.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.oddsgate.message.Json;
import com.oddsgate.polymarket.signing.ApiCredentials;
import com.oddsgate.polymarket.signing.Wallet;
import com.oddsgate.venue.VenueReads;

/**
 * {@code GET /data/trades} page by page until {@code LTE=}; a list that does not end — the venue
 * answering the same cursor twice — is no answer, never a partial list (a poll would move its
 * cursor past trades it never saw; a lookup would judge an order on part of its trades).
 */
class TradePagesTest {

    static final PolymarketAccount ACCOUNT = new PolymarketAccount(Wallet.fromPrivateKey("0x" + "44".repeat(32)),
            new ApiCredentials("k-1", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "p-1"));

    private static PolymarketTrades trades(VenueReads venue) {
        return new PolymarketTrades(new PolymarketAccounts(List.of(ACCOUNT), LazyCredentialsTest.SETTINGS), LazyCredentialsTest.SETTINGS,
                venue, Json.MAPPER, null, null, null, Clock.systemUTC(), Duration.ofDays(1), Duration.ofMinutes(1));
    }

    private static VenueReads.Response page(String nextCursor) {
        String body = "{\"data\":[],\"next_cursor\":\"" + nextCursor + "\",\"limit\":100,\"count\":0}";
        return new VenueReads.Response(200, body, LazyCredentialsTest.json(body));
    }

    @Test
    void everyPageIsReadUntilTheEnd() {
        List<String> asked = new ArrayList<>();
        PolymarketTrades t = trades((read, path, query, auth, body) -> {
            asked.add(query);
            return page(query.contains("next_cursor=MA%3D%3D") ? "MQ==" : "LTE=");
        });
        assertThat(t.fetch(ACCOUNT, "market=m")).isEmpty();
        assertThat(asked).containsExactly("market=m&next_cursor=MA%3D%3D", "market=m&next_cursor=MQ%3D%3D");
    }

    @Test
    void theSameCursorTwiceIsNoAnswer() {
        PolymarketTrades t = trades((read, path, query, auth, body) -> page("MQ=="));
        assertThatThrownBy(() -> t.fetch(ACCOUNT, "market=m")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("same cursor twice");
    }
}
