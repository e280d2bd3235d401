package com.oddsgate.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.camel.ProducerTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import com.oddsgate.fills.FillBook;
import com.oddsgate.fills.FillCursors;
import com.oddsgate.kalshi.KalshiAccount;
import com.oddsgate.kalshi.KalshiAccounts;
import com.oddsgate.kalshi.KalshiAnswers;
import com.oddsgate.kalshi.KalshiFills;
import com.oddsgate.kalshi.KalshiFunds;
import com.oddsgate.kalshi.KalshiKey;
import com.oddsgate.kalshi.KalshiMarkets;
import com.oddsgate.kalshi.KalshiOrders;
import com.oddsgate.kalshi.KalshiRateLimits;
import com.oddsgate.kalshi.KalshiSettings;
import com.oddsgate.kalshi.KalshiSigner;
import com.oddsgate.kalshi.KalshiSubmission;
import com.oddsgate.kalshi.KalshiVenue;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.message.Flow;
import com.oddsgate.ops.GatewayMetrics;
import com.oddsgate.venue.VenueReads;
import com.oddsgate.venue.VenueChannel;
import com.oddsgate.venue.VenueChannels;

/**
 * Kalshi: settings, the key (RSA-PSS) with its rate limits, markets, orders, submission and the
 * venue's reads, money, fills and the fill channel.
 */
@Configuration(proxyBeanMethods = false)
public class KalshiConfiguration {

    @Bean
    KalshiSettings kalshiSettings(OddsgateProperties settings) {
        OddsgateProperties.Kalshi kalshi = settings.kalshi();
        String orderApi = kalshi.orderApi();
        if (!orderApi.equals("events")) {
            throw new IllegalStateException("invalid configuration: oddsgate.kalshi.order-api=" + orderApi
                    + ": Kalshi retired the legacy POST /portfolio/orders (HTTP 410 since mid-2026); only 'events' is supported", null);
        }
        return Settings.check(() -> new KalshiSettings(kalshi.baseUrl(), kalshi.apiPrefix(), kalshi.selfTradePrevention(),
                kalshi.marketCacheTtl()));
    }

    /**
     * The Kalshi keys: {@code main} from KALSHI_API_KEY_ID with KALSHI_PRIVATE_KEY_PATH or
     * KALSHI_PRIVATE_KEY_PEM (the default profile's dev key when none is set), then every
     * {@code oddsgate.accounts.kalshi.<name>.*}; each with its own rate-limit buckets. None at all:
     * Kalshi orders are refused.
     */
    @Bean
    KalshiAccounts kalshiAccounts(Environment env, OddsgateProperties settings, Clock clock) {
        OddsgateProperties.Kalshi kalshi = settings.kalshi();
        List<KalshiAccount> accounts = new ArrayList<>();
        String keyId = kalshi.keyId();
        String path = kalshi.privateKeyPath();
        String pem = kalshi.privateKeyPem();
        if (keyId.isBlank() && path.isBlank() && pem.isBlank() && kalshi.devAccount().enabled()) {
            keyId = kalshi.devAccount().keyId();
            path = kalshi.devAccount().privateKeyPath();
        }
        if (!keyId.isBlank() || !path.isBlank() || !pem.isBlank()) {
            accounts.add(key(KalshiAccount.MAIN, keyId, path, pem, "KALSHI_API_KEY_ID", "KALSHI_PRIVATE_KEY_PATH or"
                    + " KALSHI_PRIVATE_KEY_PEM", kalshi.rateLimit(), clock));
        }
        AccountSettings.kalshi(env).forEach((name, k) -> accounts.add(key(name, k.keyId(), k.privateKeyPath(), k.privateKeyPem(),
                "oddsgate.accounts.kalshi." + name + ".key-id", "oddsgate.accounts.kalshi." + name + ".private-key-path or"
                + " .private-key-pem", kalshi.rateLimit(), clock)));
        if (accounts.isEmpty()) {
            accounts.add(new KalshiAccount(null));
        }
        return Settings.check(() -> new KalshiAccounts(accounts), "oddsgate.accounts.kalshi");
    }

    private static KalshiAccount key(String name, String keyId, String path, String pem, String idSetting, String keySetting,
            OddsgateProperties.Kalshi.RateLimit rateLimit, Clock clock) {
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalStateException("invalid configuration: " + idSetting + " must be set with the Kalshi private key");
        }
        String text = pem == null ? "" : pem;
        if (text.isBlank()) {
            if (path == null || path.isBlank()) {
                throw new IllegalStateException("invalid configuration: " + keySetting + " must be set");
            }
            try {
                text = Files.readString(Path.of(path));
            } catch (IOException e) {
                throw new IllegalStateException("invalid configuration: " + keySetting + ": cannot read " + path);
            }
        }
        final String id = keyId;
        final String key = text;
        return new KalshiAccount(name, Settings.check(() -> new KalshiSigner(id, KalshiKey.privateKey(key)),
                KalshiAccount.MAIN.equals(name) ? "KALSHI_PRIVATE_KEY" : keySetting), kalshiRateLimits(rateLimit), clock);
    }

    /** The default key (orders that name none). */
    @Bean
    KalshiAccount kalshiAccount(KalshiAccounts accounts) {
        return accounts.byDefault();
    }

    /** The key's read and write buckets for its tier ({@code oddsgate.kalshi.rate-limit.*}). */
    private static KalshiRateLimits kalshiRateLimits(OddsgateProperties.Kalshi.RateLimit rateLimit) {
        return Settings.check(() -> {
            var tiers = KalshiRateLimits.parseTiers(rateLimit.tiers());
            String tier = rateLimit.tier().trim().toLowerCase(Locale.ROOT);
            if (!tiers.containsKey(tier)) {
                throw new IllegalArgumentException("oddsgate.kalshi.rate-limit.tier '" + tier + "' is not one of " + tiers.keySet());
            }
            return new KalshiRateLimits(tiers.get(tier), rateLimit.maxWait().toNanos());
        }, "oddsgate.kalshi.rate-limit");
    }

    @Bean
    KalshiMarkets kalshiMarkets(VenueReads reads, KalshiSettings settings, Clock clock) {
        return new KalshiMarkets(reads, settings, clock);
    }

    @Bean
    KalshiOrders kalshiOrders(KalshiSettings settings) {
        return new KalshiOrders(settings);
    }

    @Bean
    KalshiSubmission kalshiSubmission(KalshiAccounts accounts, KalshiSettings settings, GatewayMetrics metrics,
            KalshiFunds funds) {
        return new KalshiSubmission(accounts, settings, new KalshiAnswers(), metrics, funds);
    }

    @Bean
    KalshiVenue kalshiVenue(KalshiAccounts accounts, KalshiSettings settings, VenueReads reads, OrderLedger ledger,
            OddsgateProperties oddsgate, Clock clock) {
        // An order Kalshi said it holds stays UNKNOWN while unlisted for twice the re-send window (KalshiVenue.heldOnce).
        return new KalshiVenue(accounts, settings, reads, ledger, oddsgate.recovery().resendWithin().multipliedBy(2), clock);
    }

    @Bean
    KalshiFunds kalshiFunds(KalshiAccounts accounts, KalshiSettings settings,
            VenueReads reads, Clock clock, OddsgateProperties properties) {
        return new KalshiFunds(accounts, settings, reads, clock, properties.kalshi().balanceTtl(),
                properties.kalshi().feeMultiplier());
    }

    @Bean
    KalshiFills kalshiFills(KalshiAccounts accounts, KalshiSettings settings, VenueReads reads, FillBook book, FillCursors cursors, Clock clock,
            OddsgateProperties properties) {
        book.knownByTwoIds(KalshiFills.VENUE);
        return new KalshiFills(accounts, settings, reads, book, cursors, clock, properties.fills().lookback(),
                properties.fills().overlap());
    }

    /**
     * Kalshi's fill channel, one connection per key (its handshake signed with that key on every
     * connect): frames into {@code direct:kalshi-fill-message} with the key's name in
     * {@code oddsgateAccount}; a reconnect polls.
     */
    @Bean(destroyMethod = "close")
    VenueChannels kalshiFillChannel(KalshiFills fills, OddsgateProperties settings, ProducerTemplate producer) {
        List<VenueChannel> channels = new ArrayList<>();
        for (String name : fills.accountNames()) {
            // connected to oddsgate.kalshi.ws-url by fills.camel.yaml; the handshake is signed over its path
            channels.add(new VenueChannel("Kalshi fill (" + name + ")", null, path -> fills.handshake(name, path),
                    () -> KalshiFills.SUBSCRIBE, null, 0,
                    frame -> producer.sendBodyAndHeader("direct:kalshi-fill-message", frame, Flow.ACCOUNT, name),
                    () -> producer.sendBody("direct:poll-kalshi-fills", null)));
        }
        return new VenueChannels(channels);
    }
}
