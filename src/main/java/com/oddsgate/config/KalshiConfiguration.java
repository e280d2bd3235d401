package com.oddsgate.config;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

import org.apache.camel.ProducerTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import com.oddsgate.fills.FillBook;
import com.oddsgate.kalshi.KalshiAccount;
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
import com.oddsgate.ops.GatewayMetrics;
import com.oddsgate.venue.JsonHttp;
import com.oddsgate.venue.VenueChannel;

/**
 * Kalshi: settings, the key (RSA-PSS) with its rate limits, markets, orders, submission and the
 * venue's reads, money, fills and the fill channel.
 */
@Configuration(proxyBeanMethods = false)
public class KalshiConfiguration {

    @Bean
    KalshiSettings kalshiSettings(Environment env) {
        String orderApi = env.getProperty("oddsgate.kalshi.order-api", "events");
        if (!orderApi.equals("events")) {
            throw new IllegalStateException("invalid configuration: oddsgate.kalshi.order-api=" + orderApi
                    + ": Kalshi retired the legacy POST /portfolio/orders (HTTP 410 since mid-2026); only 'events' is supported", null);
        }
        return Settings.check(() -> new KalshiSettings(env.getRequiredProperty("oddsgate.kalshi.base-url"),
                env.getRequiredProperty("oddsgate.kalshi.api-prefix"),
                env.getRequiredProperty("oddsgate.kalshi.self-trade-prevention"),
                env.getRequiredProperty("oddsgate.kalshi.market-cache-ttl", Duration.class)));
    }

    /**
     * The Kalshi key: KALSHI_API_KEY_ID with KALSHI_PRIVATE_KEY_PATH or KALSHI_PRIVATE_KEY_PEM; the
     * default profile's dev key when none is set; none at all (Kalshi orders refused) otherwise.
     */
    @Bean
    KalshiAccount kalshiAccount(Environment env, Clock clock) {
        String keyId = env.getProperty("oddsgate.kalshi.key-id", "");
        String path = env.getProperty("oddsgate.kalshi.private-key-path", "");
        String pem = env.getProperty("oddsgate.kalshi.private-key-pem", "");
        if (keyId.isBlank() && path.isBlank() && pem.isBlank()) {
            if (!env.getProperty("oddsgate.kalshi.dev-account.enabled", Boolean.class, false)) {
                return new KalshiAccount(null);
            }
            keyId = env.getRequiredProperty("oddsgate.kalshi.dev-account.key-id");
            path = env.getRequiredProperty("oddsgate.kalshi.dev-account.private-key-path");
        }
        if (keyId.isBlank()) {
            throw new IllegalStateException("invalid configuration: KALSHI_API_KEY_ID must be set with the Kalshi private key");
        }
        if (pem.isBlank()) {
            if (path.isBlank()) {
                throw new IllegalStateException("invalid configuration: KALSHI_PRIVATE_KEY_PATH or KALSHI_PRIVATE_KEY_PEM must be set");
            }
            try {
                pem = Files.readString(Path.of(path));
            } catch (IOException e) {
                throw new IllegalStateException("invalid configuration: KALSHI_PRIVATE_KEY_PATH: cannot read " + path);
            }
        }
        final String id = keyId;
        final String text = pem;
        return new KalshiAccount(Settings.check(() -> new KalshiSigner(id, KalshiKey.privateKey(text)), "KALSHI_PRIVATE_KEY"),
                kalshiRateLimits(env), clock);
    }

    /** The key's read and write buckets for its tier ({@code oddsgate.kalshi.rate-limit.*}). */
    private static KalshiRateLimits kalshiRateLimits(Environment env) {
        return Settings.check(() -> {
            var tiers = KalshiRateLimits.parseTiers(env.getRequiredProperty("oddsgate.kalshi.rate-limit.tiers"));
            String tier = env.getRequiredProperty("oddsgate.kalshi.rate-limit.tier").trim().toLowerCase(Locale.ROOT);
            if (!tiers.containsKey(tier)) {
                throw new IllegalArgumentException("oddsgate.kalshi.rate-limit.tier '" + tier + "' is not one of " + tiers.keySet());
            }
            return new KalshiRateLimits(tiers.get(tier),
                    env.getRequiredProperty("oddsgate.kalshi.rate-limit.max-wait", Duration.class).toNanos());
        }, "oddsgate.kalshi.rate-limit");
    }

    @Bean
    KalshiMarkets kalshiMarkets(JsonHttp http, KalshiSettings settings, Clock clock) {
        return new KalshiMarkets(http, settings, clock);
    }

    @Bean
    KalshiOrders kalshiOrders(KalshiSettings settings) {
        return new KalshiOrders(settings);
    }

    @Bean
    KalshiSubmission kalshiSubmission(KalshiAccount account, KalshiSettings settings, GatewayMetrics metrics,
            KalshiFunds funds) {
        return new KalshiSubmission(account, settings, new KalshiAnswers(), metrics, funds);
    }

    @Bean
    KalshiVenue kalshiVenue(KalshiAccount account, KalshiSettings settings, JsonHttp http) {
        return new KalshiVenue(account, settings, http);
    }

    @Bean
    KalshiFunds kalshiFunds(KalshiAccount account, KalshiSettings settings,
            JsonHttp http, Clock clock, Environment env) {
        return new KalshiFunds(account, settings, http, clock,
                env.getRequiredProperty("oddsgate.kalshi.balance-ttl", Duration.class),
                new BigDecimal(env.getRequiredProperty("oddsgate.kalshi.fee-multiplier")));
    }

    @Bean
    KalshiFills kalshiFills(KalshiAccount account, KalshiSettings settings, JsonHttp http, FillBook book, Clock clock,
            Environment env) {
        return new KalshiFills(account, settings, http, book, clock,
                env.getRequiredProperty("oddsgate.fills.lookback", Duration.class),
                env.getRequiredProperty("oddsgate.fills.overlap", Duration.class));
    }

    /** Kalshi's fill channel, its handshake signed on every connect; a reconnect polls. */
    @Bean(destroyMethod = "close")
    VenueChannel kalshiFillChannel(KalshiFills fills, Environment env, ProducerTemplate producer) {
        String url = env.getRequiredProperty("oddsgate.kalshi.ws-url");
        String path = URI.create(url).getPath();
        return new VenueChannel("Kalshi fill", url, () -> fills.handshake(path), () -> KalshiFills.SUBSCRIBE, null, 0, frame -> producer.sendBody("direct:kalshi-fill-message", frame),
                () -> producer.sendBody("direct:poll-kalshi-fills", null));
    }
}
