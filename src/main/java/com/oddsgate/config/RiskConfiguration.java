package com.oddsgate.config;

import java.math.BigDecimal;
import java.time.Clock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.ProducerTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
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
import com.oddsgate.ledger.OrderLedger;
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
    KillSwitch killSwitch(JdbcTemplate jdbc, Clock clock, OddsgateProperties settings) {
        return new KillSwitch(jdbc, clock, settings.killSwitch().refresh(), settings.killSwitch().settle(),
                settings.killSwitch().ledgerWait());
    }

    @Bean
    KillSwitchViews killSwitchViews(KillSwitch killSwitch, OddsgateProperties settings) {
        return new KillSwitchViews(killSwitch, settings.killSwitch().settle());
    }

    @Bean
    KillSwitchOperations killSwitchOperations(KillSwitch killSwitch, ProducerTemplate producer) {
        return new KillSwitchOperations(killSwitch, producer);
    }

    @Bean
    PreTradeRisk preTradeRisk(JdbcTemplate jdbc, FillQueries book, EventRegistry events, EventExposure exposure, MarketData marketData,
            PolymarketAccounts polymarketAccounts, PolymarketTrades polymarketTrades, KalshiAccounts kalshiAccounts, Clock clock,
            OddsgateProperties settings, OrderLedger ledger) {
        OddsgateProperties.Risk risk = settings.risk();
        ObjectNode configured = Json.MAPPER.createObjectNode();
        configured.put("maxOrderNotional", text(risk.maxOrderNotional()));
        configured.put("maxOpenOrders", risk.maxOpenOrders() == null ? "" : risk.maxOpenOrders().toString());
        configured.put("maxPosition", text(risk.maxPosition()));
        configured.put("maxDailyNotional", text(risk.maxDailyNotional()));
        configured.put("priceBand", text(risk.priceBand()));
        configured.put("maxEventPosition", text(risk.maxEventPosition()));
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
        PreTradeRisk preTradeRisk = new PreTradeRisk(jdbc, book, events, exposure, accounts, marketData::midpoint, clock, limits,
                risk.refresh());
        preTradeRisk.admitsThrough(ledger);
        preTradeRisk.holdsAtMost(risk.holdWait());
        if (settings.cluster().enabled()) {
            preTradeRisk.sharesLedger(); // several gateways: one account's checks one at a time across all of them
        }
        return preTradeRisk;
    }

    private static String text(BigDecimal limit) {
        return limit == null ? "" : limit.toPlainString();
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
