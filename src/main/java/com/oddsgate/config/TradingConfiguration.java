package com.oddsgate.config;

import java.time.Clock;
import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.polymarket.PolymarketAccount;
import com.oddsgate.polymarket.PolymarketFunds;
import com.oddsgate.polymarket.PolymarketHeartbeats;
import com.oddsgate.polymarket.PolymarketMarkets;
import com.oddsgate.polymarket.PolymarketSettings;
import com.oddsgate.polymarket.PolymarketVersions;
import com.oddsgate.venue.JsonHttp;
import com.oddsgate.venue.RateLimits;
import com.oddsgate.venue.VenueChannel;

/** The order lifecycle around placement: versions, rate limits, money checks, heartbeats, market data. */
@Configuration(proxyBeanMethods = false)
public class TradingConfiguration {

    @Bean
    PolymarketVersions polymarketVersions(JsonHttp http, PolymarketSettings settings, Clock clock, Environment env) {
        return new PolymarketVersions(http, settings.clobUrl(), settings.orderVersion(),
                env.getRequiredProperty("oddsgate.polymarket.version-discovery", Boolean.class),
                env.getRequiredProperty("oddsgate.polymarket.version-ttl", Duration.class), clock);
    }

    @Bean
    RateLimits polymarketRateLimits(Environment env) {
        return Settings.check(() -> {
            var tiers = RateLimits.parseTiers(env.getRequiredProperty("oddsgate.polymarket.rate-limit.tiers"));
            String seed = env.getRequiredProperty("oddsgate.polymarket.rate-limit.tier").toLowerCase(java.util.Locale.ROOT);
            if (!tiers.containsKey(seed)) {
                throw new IllegalArgumentException("oddsgate.polymarket.rate-limit.tier '" + seed + "' is not one of " + tiers.keySet());
            }
            return new RateLimits(tiers.get(seed), tiers,
                    env.getRequiredProperty("oddsgate.polymarket.rate-limit.max-wait", Duration.class).toMillis());
        });
    }

    @Bean
    PolymarketFunds polymarketFunds(PolymarketAccount account, PolymarketSettings settings, PolymarketVersions versions,
            JsonHttp http, Clock clock, Environment env, PolymarketMarkets markets) {
        return new PolymarketFunds(account, settings, versions, http, clock,
                env.getRequiredProperty("oddsgate.polymarket.balance-ttl", Duration.class), markets);
    }

    @Bean
    PolymarketHeartbeats polymarketHeartbeats(PolymarketAccount account, PolymarketSettings settings, JsonHttp http, Clock clock,
            Environment env) {
        return new PolymarketHeartbeats(account, settings, http, clock,
                env.getRequiredProperty("oddsgate.polymarket.heartbeats.enabled", Boolean.class));
    }

    /** The CLOB market channel for the cached markets: tick_size_change into direct:polymarket-market-message. */
    @Bean(destroyMethod = "close")
    VenueChannel polymarketMarketChannel(PolymarketMarkets markets, Environment env, org.apache.camel.ProducerTemplate producer) {
        return new VenueChannel("Polymarket market", env.getRequiredProperty("oddsgate.polymarket.ws-url") + "/ws/market",
                java.util.Map::of, markets::marketSubscription, "PING",
                env.getRequiredProperty("oddsgate.fills.websocket.keepalive-ms", Long.class),
                frame -> producer.sendBody("direct:polymarket-market-message", frame), markets::forgetAll);
    }


    @Bean
    com.oddsgate.api.MarketData marketData(PolymarketMarkets markets, PolymarketSettings settings, PolymarketAccount account,
            PolymarketFunds funds, com.oddsgate.kalshi.KalshiAccount kalshiAccount, com.oddsgate.kalshi.KalshiFunds kalshiFunds,
            com.oddsgate.kalshi.KalshiSettings kalshiSettings, OrderLedger ledger, JsonHttp http, Clock clock) {
        return new com.oddsgate.api.MarketData(markets, settings, account, funds, kalshiAccount, kalshiFunds, kalshiSettings, ledger,
                http, clock);
    }

    @Bean
    com.oddsgate.api.BulkCancels bulkCancels(OrderLedger ledger, PolymarketMarkets markets) {
        return new com.oddsgate.api.BulkCancels(ledger, markets);
    }

    @Bean
    com.oddsgate.api.OrderAmends orderAmends(OrderLedger ledger, com.oddsgate.order.OrderNormalizer normalizer) {
        return new com.oddsgate.api.OrderAmends(ledger, normalizer);
    }

    @Bean
    com.oddsgate.api.BatchOrders batchOrders(com.oddsgate.api.RestOrders restOrders, OrderLedger ledger) {
        return new com.oddsgate.api.BatchOrders(restOrders, ledger);
    }

    @Bean
    com.oddsgate.api.OpenOrders openOrders(OrderLedger ledger, com.oddsgate.polymarket.PolymarketRecovery recovery,
            com.oddsgate.kalshi.KalshiVenue kalshi, com.oddsgate.ops.GatewayMetrics metrics, Clock clock) {
        return new com.oddsgate.api.OpenOrders(ledger, recovery, kalshi, metrics, clock);
    }

    @Bean
    com.oddsgate.kalshi.KalshiFunds kalshiFunds(com.oddsgate.kalshi.KalshiAccount account, com.oddsgate.kalshi.KalshiSettings settings,
            JsonHttp http, Clock clock, Environment env) {
        return new com.oddsgate.kalshi.KalshiFunds(account, settings, http, clock,
                env.getRequiredProperty("oddsgate.kalshi.balance-ttl", Duration.class),
                new java.math.BigDecimal(env.getRequiredProperty("oddsgate.kalshi.fee-multiplier")));
    }
}
