package com.oddsgate.config;

import java.time.Clock;
import java.time.Duration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.ProducerTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import com.oddsgate.api.KillSwitchOperations;
import com.oddsgate.api.KillSwitchViews;
import com.oddsgate.api.MarketData;
import com.oddsgate.api.RiskOperations;
import com.oddsgate.api.RiskViews;
import com.oddsgate.events.EventExposure;
import com.oddsgate.events.EventRegistry;
import com.oddsgate.fills.FillQueries;
import com.oddsgate.kalshi.KalshiAccount;
import com.oddsgate.kalshi.KalshiAccounts;
import com.oddsgate.message.Json;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.polymarket.protocol.PolymarketAccounts;
import com.oddsgate.polymarket.protocol.PolymarketTrades;
import com.oddsgate.risk.KillSwitch;
import com.oddsgate.risk.PreTradeRisk;

/**
 * Risk controls: the kill switch and the pre-trade limits, their REST views and JMX operations.
 */
@Configuration(proxyBeanMethods = false)
public class RiskConfiguration {

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
    PreTradeRisk preTradeRisk(JdbcTemplate jdbc, FillQueries book, EventRegistry events, EventExposure exposure, MarketData marketData,
            PolymarketAccounts polymarketAccounts, PolymarketTrades polymarketTrades, KalshiAccounts kalshiAccounts, Clock clock,
            Environment env) {
        ObjectNode configured = Json.MAPPER.createObjectNode();
        for (String[] k : new String[][] {{"maxOrderNotional", "max-order-notional"}, {"maxOpenOrders", "max-open-orders"},
            {"maxPosition", "max-position"}, {"maxDailyNotional", "max-daily-notional"}, {"priceBand", "price-band"},
            {"maxEventPosition", "max-event-position"}}) {
            configured.put(k[0], env.getProperty("oddsgate.risk." + k[1], ""));
        }
        PreTradeRisk.Limits limits = Settings.check(() -> {
            try {
                return PreTradeRisk.Limits.from(configured);
            } catch (OrderRejectedException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }, "oddsgate.risk");
        // Every limit holds per account: an order's account by name, its fills by funder or key id.
        PreTradeRisk.Accounts accounts = new PreTradeRisk.Accounts() {
            @Override
            public String fillsId(String venue, String account) {
                try {
                    if ("kalshi".equals(venue)) {
                        KalshiAccount k = kalshiAccounts.of(account);
                        return k.configured() ? k.signer().keyId() : null;
                    }
                    return polymarketTrades.accountId(polymarketAccounts.of(account));
                } catch (OrderRejectedException notHere) {
                    return null; // the name is an account of the other venue only
                }
            }

            @Override
            public boolean isDefault(String venue, String account) {
                return account == null || account.equals(KalshiAccount.MAIN); // orders recorded without one are main's
            }
        };
        return new PreTradeRisk(jdbc, book, events, exposure, accounts, marketData::midpoint, clock, limits,
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
