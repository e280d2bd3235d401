package com.oddsgate.config;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import com.oddsgate.fills.FillBook;
import com.oddsgate.fills.FillCursors;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.message.Flow;
import com.oddsgate.message.Json;
import com.oddsgate.ops.GatewayMetrics;
import com.oddsgate.polymarket.signing.ApiCredentials;
import com.oddsgate.polymarket.signing.OrderVersion;
import com.oddsgate.polymarket.protocol.PolymarketAccount;
import com.oddsgate.polymarket.protocol.PolymarketAccounts;
import com.oddsgate.polymarket.protocol.PolymarketAnswers;
import com.oddsgate.polymarket.protocol.PolymarketFunds;
import com.oddsgate.polymarket.protocol.PolymarketHeartbeats;
import com.oddsgate.polymarket.protocol.PolymarketMarkets;
import com.oddsgate.polymarket.protocol.PolymarketOrderEvents;
import com.oddsgate.polymarket.protocol.PolymarketOrders;
import com.oddsgate.polymarket.protocol.PolymarketRecovery;
import com.oddsgate.polymarket.protocol.PolymarketSettings;
import com.oddsgate.polymarket.protocol.ClobCalls;
import com.oddsgate.polymarket.protocol.PolymarketBatches;
import com.oddsgate.polymarket.protocol.PolymarketCancels;
import com.oddsgate.polymarket.protocol.PolymarketPlacement;
import com.oddsgate.polymarket.protocol.PolymarketResign;
import com.oddsgate.polymarket.protocol.PolymarketTrades;
import com.oddsgate.polymarket.protocol.PolymarketVersions;
import com.oddsgate.polymarket.signing.Wallet;
import com.oddsgate.sim.SimulatorServer;
import com.oddsgate.venue.JsonHttp;
import com.oddsgate.venue.RateLimits;
import com.oddsgate.venue.VenueChannel;
import com.oddsgate.venue.VenueChannels;

/**
 * Polymarket: settings, the account (wallet and API credentials), markets, signing, submission and
 * recovery, version, rate limits, money, heartbeats, the market and user channels, trades and order events.
 */
@Configuration(proxyBeanMethods = false)
public class PolymarketConfiguration {

    @Bean
    PolymarketSettings polymarketSettings(OddsgateProperties settings) {
        OddsgateProperties.Polymarket p = settings.polymarket();
        return Settings.check(() -> new PolymarketSettings(p.clobUrl(), p.gammaUrl(), p.chainId(), OrderVersion.of(p.orderVersion()),
                Settings.integer(p.signatureType(), "POLYMARKET_SIGNATURE_TYPE"), p.funder(), p.builderCode(), p.marketCacheTtl()));
    }

    /**
     * The accounts: {@code main} from the single-account settings (POLYMARKET_PRIVATE_KEY …; the
     * default profile's throwaway dev account when none is set), then every
     * {@code oddsgate.accounts.polymarket.<name>.*} (environment or an imported file, never the repo).
     * An account with a key but without complete API credentials has them created or derived (L1).
     */
    @Bean
    PolymarketAccounts polymarketAccounts(Environment env, OddsgateProperties properties, PolymarketSettings settings, JsonHttp http,
            Clock clock, ObjectProvider<SimulatorServer> simulators) {
        simulators.ifAvailable(s -> { }); // the built-in venue must be listening before L1 derivation
        OddsgateProperties.Polymarket p = properties.polymarket();
        List<PolymarketAccount> accounts = new ArrayList<>();
        String key = p.privateKey();
        String apiKey = p.apiKey();
        String secret = p.apiSecret();
        String passphrase = p.apiPassphrase();
        Map<String, AccountSettings.Polymarket> named = AccountSettings.polymarket(env);
        if (key.isBlank() && p.devAccount().enabled()) {
            key = p.devAccount().privateKey();
            apiKey = p.devAccount().apiKey();
            secret = p.devAccount().apiSecret();
            passphrase = p.devAccount().apiPassphrase();
        }
        if (!key.isBlank()) {
            accounts.add(account(PolymarketAccount.MAIN, key, apiKey, secret, passphrase, null, null, "POLYMARKET_PRIVATE_KEY",
                    settings, http, clock));
        } else if (named.isEmpty()) {
            throw new IllegalStateException("POLYMARKET_PRIVATE_KEY must be set (no dev account in this profile)");
        }
        // A named account is an EOA unless it says otherwise: it never borrows main's funder.
        named.forEach((name, a) -> accounts.add(account(name, a.privateKey(), a.apiKey(), a.apiSecret(), a.apiPassphrase(),
                a.signatureType() == null ? Integer.valueOf(0) : a.signatureType(), a.funder(), "oddsgate.accounts.polymarket." + name + ".private-key", settings, http, clock)));
        return Settings.check(() -> new PolymarketAccounts(accounts, settings), "oddsgate.accounts.polymarket");
    }

    private static PolymarketAccount account(String name, String key, String apiKey, String secret, String passphrase,
            Integer signatureType, String funder, String keySetting, PolymarketSettings settings, JsonHttp http, Clock clock) {
        if (key == null || key.isBlank()) {
            throw new IllegalStateException("invalid configuration: " + keySetting + " must be set");
        }
        Wallet wallet = Settings.check(() -> Wallet.fromPrivateKey(key), keySetting);
        PolymarketAccount account;
        if (apiKey == null || secret == null || passphrase == null || apiKey.isBlank() || secret.isBlank() || passphrase.isBlank()) {
            account = PolymarketAccount.createOrDerive(wallet, settings, http, clock);
        } else {
            account = new PolymarketAccount(wallet, Settings.check(() -> new ApiCredentials(apiKey, secret, passphrase)));
        }
        return Settings.check(() -> account.named(name, signatureType, funder));
    }

    /** The default account (orders that name none). */
    @Bean
    PolymarketAccount polymarketAccount(PolymarketAccounts accounts) {
        return accounts.byDefault();
    }

    @Bean
    PolymarketMarkets polymarketMarkets(JsonHttp http, PolymarketSettings settings, Clock clock) {
        return new PolymarketMarkets(http, settings, clock);
    }

    @Bean
    PolymarketOrders polymarketOrders(PolymarketAccounts accounts, PolymarketSettings settings,
            PolymarketVersions versions, Clock clock, GatewayMetrics metrics) {
        return new PolymarketOrders(accounts, settings, versions, clock, metrics);
    }

    @Bean
    ClobCalls clobCalls(PolymarketAccounts accounts, RateLimits polymarketRateLimits, Clock clock) {
        return new ClobCalls(accounts, polymarketRateLimits, clock);
    }

    @Bean
    PolymarketPlacement polymarketPlacement(ClobCalls calls, GatewayMetrics metrics, PolymarketMarkets markets,
            PolymarketFunds funds) {
        return new PolymarketPlacement(calls, new PolymarketAnswers(), metrics, markets, funds);
    }

    @Bean
    PolymarketResign polymarketResign(PolymarketOrders orders, PolymarketVersions versions, PolymarketRecovery recovery) {
        return new PolymarketResign(orders, versions, recovery);
    }

    @Bean
    PolymarketBatches polymarketBatches(ClobCalls calls, PolymarketVersions versions) {
        return new PolymarketBatches(calls, new PolymarketAnswers(), versions);
    }

    @Bean
    PolymarketCancels polymarketCancels(ClobCalls calls) {
        return new PolymarketCancels(calls);
    }

    @Bean
    PolymarketRecovery polymarketRecovery(PolymarketAccounts accounts, PolymarketSettings settings, JsonHttp http,
            Clock clock, PolymarketTrades trades, FillBook book) {
        return new PolymarketRecovery(accounts, settings, http, clock, trades, book);
    }

    @Bean
    PolymarketVersions polymarketVersions(JsonHttp http, PolymarketSettings settings, Clock clock, OddsgateProperties properties) {
        return new PolymarketVersions(http, settings.clobUrl(), settings.orderVersion(), properties.polymarket().versionDiscovery(),
                properties.polymarket().versionTtl(), clock);
    }

    @Bean
    RateLimits polymarketRateLimits(OddsgateProperties properties) {
        OddsgateProperties.Polymarket.RateLimit rateLimit = properties.polymarket().rateLimit();
        return Settings.check(() -> {
            var tiers = RateLimits.parseTiers(rateLimit.tiers());
            String seed = rateLimit.tier().toLowerCase(Locale.ROOT);
            if (!tiers.containsKey(seed)) {
                throw new IllegalArgumentException("oddsgate.polymarket.rate-limit.tier '" + seed + "' is not one of " + tiers.keySet());
            }
            return new RateLimits(tiers.get(seed), tiers,
                    rateLimit.maxWait().toMillis());
        });
    }

    @Bean
    PolymarketFunds polymarketFunds(PolymarketAccounts accounts, PolymarketSettings settings, PolymarketVersions versions,
            JsonHttp http, Clock clock, OddsgateProperties properties, PolymarketMarkets markets) {
        return new PolymarketFunds(accounts, settings, versions, http, clock, properties.polymarket().balanceTtl(), markets);
    }

    @Bean
    PolymarketHeartbeats polymarketHeartbeats(PolymarketAccounts accounts, PolymarketSettings settings, JsonHttp http, Clock clock,
            OddsgateProperties properties) {
        return new PolymarketHeartbeats(accounts, settings, http, clock, properties.polymarket().heartbeats().enabled());
    }

    /** The CLOB market channel for the cached markets: tick_size_change into direct:polymarket-market-message. */
    @Bean(destroyMethod = "close")
    VenueChannel polymarketMarketChannel(PolymarketMarkets markets, OddsgateProperties settings, ProducerTemplate producer) {
        return new VenueChannel("Polymarket market", settings.polymarket().wsUrl() + "/ws/market",
                Map::of, markets::marketSubscription, "PING", settings.fills().websocket().keepaliveMs(),
                frame -> producer.sendBody("direct:polymarket-market-message", frame), markets::forgetAll);
    }

    @Bean
    PolymarketTrades polymarketTrades(PolymarketAccounts accounts, PolymarketSettings settings, JsonHttp http, FillBook book, FillCursors cursors,
            JdbcTemplate jdbc, Clock clock, OddsgateProperties properties) {
        return new PolymarketTrades(accounts, settings, http, Json.MAPPER, book, cursors, jdbc, clock,
                properties.fills().lookback(), properties.fills().overlap(), properties.polymarket().dataUrl());
    }

    @Bean
    PolymarketOrderEvents polymarketOrderEvents(OrderLedger ledger) {
        return new PolymarketOrderEvents(ledger, Json.MAPPER);
    }

    /**
     * Polymarket's user channel, one connection per account (each subscribes with its own API
     * credentials): trade events into {@code direct:polymarket-user-message} with the account's name
     * in {@code oddsgateAccount}; a reconnect polls.
     */
    @Bean(destroyMethod = "close")
    VenueChannels polymarketUserChannel(PolymarketTrades trades, OddsgateProperties settings, ProducerTemplate producer) {
        List<VenueChannel> channels = new ArrayList<>();
        for (String name : trades.accountNames()) {
            channels.add(new VenueChannel("Polymarket user (" + name + ")", settings.polymarket().wsUrl() + "/ws/user",
                    Map::of, () -> trades.subscription(name), "PING", settings.fills().websocket().keepaliveMs(),
                    frame -> producer.sendBodyAndHeader("direct:polymarket-user-message", frame, Flow.ACCOUNT, name),
                    () -> producer.sendBody("direct:poll-polymarket-trades", null)).changesBy(trades::subscriptionChanges));
        }
        return new VenueChannels(channels);
    }
}
