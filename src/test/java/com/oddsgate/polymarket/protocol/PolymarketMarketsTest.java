package com.oddsgate.polymarket.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import com.oddsgate.message.Json;
import com.oddsgate.order.MarketInfo;
import com.oddsgate.polymarket.signing.OrderVersion;

/** The market channel: at most 200 assets per connection, and changes sent as the venue documents them. */
class PolymarketMarketsTest {

    @Test
    void theCacheKeepsAtMostAHundredMarketsSoTheChannelFollowsAtMostTwoHundredAssets() {
        Instant[] now = {Instant.parse("2026-12-01T00:00:00Z")};
        Clock clock = new Clock() {
            @Override
            public Instant instant() {
                return now[0];
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        PolymarketSettings settings = new PolymarketSettings("http://127.0.0.1:9/clob", "http://127.0.0.1:9/gamma", 137,
                OrderVersion.V2, 0, "", "", Duration.ofMinutes(5));
        PolymarketMarkets markets = new PolymarketMarkets(null, settings, clock);
        for (int i = 0; i < 130; i++) {
            now[0] = now[0].plusSeconds(1);
            markets.cache(new MarketInfo("polymarket", "m" + i, "0xc" + i, "y" + i, "n" + i, false, new BigDecimal("0.01"),
                    BigDecimal.ONE, BigDecimal.ONE));
        }
        assertThat(markets.cachedTokens()).hasSize(200).contains("y129", "n129", "y30").doesNotContain("y29", "n0");
        assertThat(Json.tryRead(markets.marketSubscription()).get("assets_ids")).hasSize(200);
    }

    @Test
    void aChangeOfTheAssetsIsSentAsSubscribeAndUnsubscribeOperations() {
        assertThat(PolymarketMarkets.marketSubscriptionChanges("{\"assets_ids\":[\"a\",\"b\"],\"type\":\"market\"}",
                "{\"assets_ids\":[\"b\",\"c\",\"d\"],\"type\":\"market\"}"))
                .as("unsubscribe first: never above the cap").containsExactly("{\"operation\":\"unsubscribe\",\"assets_ids\":[\"a\"]}",
                        "{\"operation\":\"subscribe\",\"assets_ids\":[\"c\",\"d\"]}");
        assertThat(PolymarketMarkets.marketSubscriptionChanges("{\"assets_ids\":[\"a\"]}", "{\"assets_ids\":[\"a\"]}")).isEmpty();
    }
}
