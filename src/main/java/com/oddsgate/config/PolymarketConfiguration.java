package com.oddsgate.config;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.spring.boot.CamelContextConfiguration;
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
import com.oddsgate.polymarket.protocol.CancellationEvents;
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
import com.oddsgate.venue.VenueReads;
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
     * An account with a key but without complete API credentials has them created or derived (L1)
     * once the venue routes run ({@link #polymarketCredentials}).
     */
    @Bean
    PolymarketAccounts polymarketAccounts(Environment env, OddsgateProperties properties, PolymarketSettings settings, VenueReads reads,
            Clock clock) {
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
                    settings, reads, clock));
        } else if (named.isEmpty()) {
            throw new IllegalStateException("POLYMARKET_PRIVATE_KEY must be set (no dev account in this profile)");
        }
        // A named account is an EOA unless it says otherwise: it never borrows main's funder.
        named.forEach((name, a) -> accounts.add(account(name, a.privateKey(), a.apiKey(), a.apiSecret(), a.apiPassphrase(),
                a.signatureType() == null ? Integer.valueOf(0) : a.signatureType(), a.funder(), "oddsgate.accounts.polymarket." + name + ".private-key", settings, reads, clock)));
        return Settings.check(() -> new PolymarketAccounts(accounts, settings), "oddsgate.accounts.polymarket");
    }

    private static PolymarketAccount account(String name, String key, String apiKey, String secret, String passphrase,
            Integer signatureType, String funder, String keySetting, PolymarketSettings settings, VenueReads reads, Clock clock) {
        if (key == null || key.isBlank()) {
            throw new IllegalStateException("invalid configuration: " + keySetting + " must be set");
        }
        Wallet wallet = Settings.check(() -> Wallet.fromPrivateKey(key), keySetting);
        PolymarketAccount account;
        if (apiKey == null || secret == null || passphrase == null || apiKey.isBlank() || secret.isBlank() || passphrase.isBlank()) {
            account = PolymarketAccount.deriving(wallet, settings, reads, clock);
        } else {
            account = new PolymarketAccount(wallet, Settings.check(() -> new ApiCredentials(apiKey, secret, passphrase)));
        }
        return Settings.check(() -> account.named(name, signatureType, funder));
    }

    /** Credentials still to be created or derived are asked for as soon as the venue routes run. */
    @Bean
    CamelContextConfiguration polymarketCredentials(PolymarketAccounts accounts) {
        return new OnceRoutesRun(accounts::deriveCredentials);
    }

    /** The default account (orders that name none). */
    @Bean
    PolymarketAccount polymarketAccount(PolymarketAccounts accounts) {
        return accounts.byDefault();
    }

    @Bean
    PolymarketMarkets polymarketMarkets(VenueReads reads, PolymarketSettings settings, Clock clock) {
        return new PolymarketMarkets(reads, settings, clock);
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
    PolymarketBatches polymarketBatches(ClobCalls calls, PolymarketVersions versions, PolymarketResign resign, OrderLedger ledger) {
        return new PolymarketBatches(calls, new PolymarketAnswers(), versions, resign, ledger);
    }

    @Bean
    PolymarketCancels polymarketCancels(ClobCalls calls, PolymarketRecovery recovery) {
        return new PolymarketCancels(calls, recovery);
    }

    @Bean
    PolymarketRecovery polymarketRecovery(PolymarketAccounts accounts, PolymarketSettings settings, VenueReads reads,
            Clock clock, PolymarketTrades trades, FillBook book, OrderLedger ledger) {
        return new PolymarketRecovery(accounts, settings, reads, clock, trades, book, ledger);
    }

    @Bean
    PolymarketVersions polymarketVersions(VenueReads reads, PolymarketSettings settings, Clock clock, OddsgateProperties properties) {
        return new PolymarketVersions(reads, settings.orderVersion(), properties.polymarket().versionDiscovery(),
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
            VenueReads reads, Clock clock, OddsgateProperties properties, PolymarketMarkets markets) {
        return new PolymarketFunds(accounts, settings, versions, reads, clock, properties.polymarket().balanceTtl(), markets);
    }

    @Bean
    PolymarketHeartbeats polymarketHeartbeats(PolymarketAccounts accounts, PolymarketSettings settings, VenueReads reads, Clock clock,
            OddsgateProperties properties) {
        return new PolymarketHeartbeats(accounts, settings, reads, clock, properties.polymarket().heartbeats().enabled());
    }

    /** The CLOB market channel for the cached markets: tick_size_change into direct:polymarket-market-message. */
    @Bean(destroyMethod = "close")
    VenueChannel polymarketMarketChannel(PolymarketMarkets markets, OddsgateProperties settings, ProducerTemplate producer) {
        // connected to …/ws/market by markets.camel.yaml
        return new VenueChannel("Polymarket market", null, path -> Map.of(), markets::marketSubscription, "PING", settings.fills().websocket().keepaliveMs(),
                frame -> producer.sendBody("direct:polymarket-market-message", frame), markets::forgetAll)
                .changesBy(PolymarketMarkets::marketSubscriptionChanges);
    }

    @Bean
    PolymarketTrades polymarketTrades(PolymarketAccounts accounts, PolymarketSettings settings, VenueReads reads, FillBook book, FillCursors cursors,
            JdbcTemplate jdbc, Clock clock, OddsgateProperties properties) {
        return new PolymarketTrades(accounts, settings, reads, Json.MAPPER, book, cursors, jdbc, clock,
                properties.fills().lookback(), properties.fills().overlap());
    }

    @Bean
    PolymarketOrderEvents polymarketOrderEvents(OrderLedger ledger, CancellationEvents cancellations) {
        return new PolymarketOrderEvents(ledger, Json.MAPPER, cancellations);
    }

    @Bean
    CancellationEvents cancellationEvents() {
        return new CancellationEvents();
    }

    /**
     * Polymarket's user channel, one connection per account (each subscribes with its own API
     * credentials): trade events into {@code direct:polymarket-user-message} with the account's name
     * in {@code oddsgateAccount}; a reconnect polls.
     */
    @Bean(destroyMethod = "close")
    VenueChannels polymarketUserChannel(PolymarketTrades trades, OddsgateProperties settings, ProducerTemplate producer) {
        Map<String, VenueChannel> channels = new LinkedHashMap<>();
        for (String name : trades.accountNames()) {
            // connected to …/ws/user by fills.camel.yaml
            channels.put(name, new VenueChannel("Polymarket user (" + name + ")", null, path -> Map.of(), () -> trades.subscription(name), "PING", settings.fills().websocket().keepaliveMs(),
                    frame -> producer.sendBodyAndHeader("direct:polymarket-user-message", frame, Flow.ACCOUNT, name),
                    () -> producer.sendBody("direct:poll-polymarket-trades", null)).changesBy(trades::subscriptionChanges));
        }
        return new VenueChannels(channels);
    }
}
