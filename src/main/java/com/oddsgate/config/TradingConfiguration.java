package com.oddsgate.config;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.node.ObjectNode;

import com.oddsgate.api.BatchOrders;
import com.oddsgate.api.BulkCancels;
import com.oddsgate.api.KillSwitchOperations;
import com.oddsgate.api.KillSwitchViews;
import com.oddsgate.api.MarketData;
import com.oddsgate.api.OpenOrders;
import com.oddsgate.api.OrderAmends;
import com.oddsgate.api.RestOrders;
import com.oddsgate.api.RiskOperations;
import com.oddsgate.api.RiskViews;
import com.oddsgate.kalshi.KalshiAccount;
import com.oddsgate.kalshi.KalshiFunds;
import com.oddsgate.kalshi.KalshiSettings;
import com.oddsgate.kalshi.KalshiVenue;
import com.oddsgate.fills.FillBook;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.message.Json;
import com.oddsgate.ops.GatewayMetrics;
import com.oddsgate.order.OrderNormalizer;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.polymarket.PolymarketAccount;
import com.oddsgate.polymarket.PolymarketFunds;
import com.oddsgate.polymarket.PolymarketHeartbeats;
import com.oddsgate.polymarket.PolymarketMarkets;
import com.oddsgate.polymarket.PolymarketRecovery;
import com.oddsgate.polymarket.PolymarketSettings;
import com.oddsgate.polymarket.PolymarketVersions;
import com.oddsgate.risk.KillSwitch;
import com.oddsgate.risk.PreTradeRisk;
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
            String seed = env.getRequiredProperty("oddsgate.polymarket.rate-limit.tier").toLowerCase(Locale.ROOT);
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
    VenueChannel polymarketMarketChannel(PolymarketMarkets markets, Environment env, ProducerTemplate producer) {
        return new VenueChannel("Polymarket market", env.getRequiredProperty("oddsgate.polymarket.ws-url") + "/ws/market",
                Map::of, markets::marketSubscription, "PING",
                env.getRequiredProperty("oddsgate.fills.websocket.keepalive-ms", Long.class),
                frame -> producer.sendBody("direct:polymarket-market-message", frame), markets::forgetAll);
    }

    @Bean
    MarketData marketData(PolymarketMarkets markets, PolymarketSettings settings, PolymarketAccount account,
            PolymarketFunds funds, KalshiAccount kalshiAccount, KalshiFunds kalshiFunds,
            KalshiSettings kalshiSettings, OrderLedger ledger, JsonHttp http, Clock clock) {
        return new MarketData(markets, settings, account, funds, kalshiAccount, kalshiFunds, kalshiSettings, ledger,
                http, clock);
    }

    @Bean
    BulkCancels bulkCancels(OrderLedger ledger, PolymarketMarkets markets) {
        return new BulkCancels(ledger, markets);
    }

    @Bean
    OrderAmends orderAmends(OrderLedger ledger, OrderNormalizer normalizer) {
        return new OrderAmends(ledger, normalizer);
    }

    @Bean
    BatchOrders batchOrders(RestOrders restOrders, OrderLedger ledger) {
        return new BatchOrders(restOrders, ledger);
    }

    @Bean
    OpenOrders openOrders(OrderLedger ledger, PolymarketRecovery recovery,
            KalshiVenue kalshi, GatewayMetrics metrics, Clock clock) {
        return new OpenOrders(ledger, recovery, kalshi, metrics, clock);
    }

    @Bean
    KalshiFunds kalshiFunds(KalshiAccount account, KalshiSettings settings,
            JsonHttp http, Clock clock, Environment env) {
        return new KalshiFunds(account, settings, http, clock,
                env.getRequiredProperty("oddsgate.kalshi.balance-ttl", Duration.class),
                new BigDecimal(env.getRequiredProperty("oddsgate.kalshi.fee-multiplier")));
    }

    @Bean
    KillSwitch killSwitch(JdbcTemplate jdbc, Clock clock, Environment env) {
        return new KillSwitch(jdbc, clock, env.getRequiredProperty("oddsgate.kill-switch.refresh", Duration.class));
    }

    @Bean
    KillSwitchViews killSwitchViews(KillSwitch killSwitch, Environment env) {
        return new KillSwitchViews(killSwitch, env.getRequiredProperty("oddsgate.kill-switch.settle", Duration.class));
    }

    @Bean
    KillSwitchOperations killSwitchOperations(KillSwitch killSwitch, ProducerTemplate producer) {
        return new KillSwitchOperations(killSwitch, producer);
    }

    @Bean
    PreTradeRisk preTradeRisk(JdbcTemplate jdbc, FillBook book, MarketData marketData, Clock clock, Environment env) {
        ObjectNode configured = Json.MAPPER.createObjectNode();
        for (String[] k : new String[][] {{"maxOrderNotional", "max-order-notional"}, {"maxOpenOrders", "max-open-orders"},
            {"maxPosition", "max-position"}, {"maxDailyNotional", "max-daily-notional"}, {"priceBand", "price-band"}}) {
            configured.put(k[0], env.getProperty("oddsgate.risk." + k[1], ""));
        }
        PreTradeRisk.Limits limits = Settings.check(() -> {
            try {
                return PreTradeRisk.Limits.from(configured);
            } catch (OrderRejectedException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }, "oddsgate.risk");
        return new PreTradeRisk(jdbc, book, marketData::midpoint, clock, limits,
                env.getRequiredProperty("oddsgate.risk.refresh", Duration.class));
    }

    @Bean
    RiskViews riskViews(PreTradeRisk risk) {
        return new RiskViews(risk);
    }

    @Bean
    RiskOperations riskOperations(PreTradeRisk risk) {
        return new RiskOperations(risk);
    }
}
