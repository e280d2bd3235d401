package com.oddsgate.config;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.oddsgate.fills.FillQueries;
import com.oddsgate.fills.PositionCheck;
import com.oddsgate.kalshi.KalshiAccount;
import com.oddsgate.kalshi.KalshiSettings;
import com.oddsgate.kalshi.RsaPssProviders;
import com.oddsgate.ledger.DeadLetters;
import com.oddsgate.ledger.InstanceLease;
import com.oddsgate.ledger.RecoveryScan;
import com.oddsgate.ops.CachedHealth;
import com.oddsgate.ops.StageTimers;
import com.oddsgate.kalshi.KalshiProbe;
import com.oddsgate.ops.VenueProbes;
import com.oddsgate.polymarket.protocol.PolymarketProbe;
import com.oddsgate.polymarket.signing.EcdsaSigners;
import com.oddsgate.polymarket.protocol.PolymarketAccount;
import com.oddsgate.polymarket.protocol.PolymarketHeartbeats;
import com.oddsgate.polymarket.protocol.PolymarketSettings;
import com.oddsgate.venue.VenueReads;
import com.oddsgate.venue.RateLimits;
import com.oddsgate.venue.VenueChannels;

/**
 * Health: each venue (reachable and authenticated), the dead-letter depth, and start-up recovery.
 * The bean names are the indicator names in {@code /actuator/health}; the readiness group lists
 * them in config/application.yaml, liveness does not (a venue outage must not restart us).
 */
@Configuration(proxyBeanMethods = false)
public class OperationsConfiguration {

    /**
     * Per-stage timers of the order path: the steps named in oddsgate.metrics.stages (application.yaml)
     * are timed, from before the routes are built.
     */
    @Bean
    CamelContextConfiguration stageTimers(OddsgateProperties settings, MeterRegistry registry) {
        StageTimers timers = new StageTimers(settings.metrics().stages(), registry);
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                camel.getCamelContextExtension().addInterceptStrategy(timers.strategy());
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
            }
        };
    }

    @Bean
    HealthIndicator polymarketHealthIndicator(PolymarketSettings settings, PolymarketAccount account, VenueReads reads,
            Clock clock, OddsgateProperties properties) {
        PolymarketProbe probe = new PolymarketProbe(settings, account, reads, clock);
        return new CachedHealth(() -> VenueProbes.health(probe.probe()), reads::running, properties.health().venueCache(), clock);
    }

    @Bean
    HealthIndicator kalshiHealthIndicator(KalshiSettings settings, KalshiAccount account, VenueReads reads, Clock clock,
            OddsgateProperties properties) {
        KalshiProbe probe = new KalshiProbe(settings, account, reads);
        return new CachedHealth(() -> VenueProbes.health(probe.probe()), reads::running, properties.health().venueCache(), clock);
    }

    /** Which secp256k1 implementation signs orders, and why (native, or the pure-Java fallback). */
    @Bean
    HealthIndicator signingHealthIndicator() {
        return () -> Health.up().withDetail("secp256k1", EcdsaSigners.best().name())
                .withDetail("reason", EcdsaSigners.reason())
                .withDetail("rsaPss", RsaPssProviders.name()).build();
    }

    /** Readiness waits for the first recovery pass: orders from before a crash are resolved first. */
    @Bean
    HealthIndicator recoveryHealthIndicator(RecoveryScan scan, InstanceLease lease) {
        return () -> (scan.firstPassDone() ? Health.up()
                : Health.outOfService().withDetail("reason", "start-up recovery has not finished")).withDetails(lease.describe()).build();
    }

    /** UP with the depth; DOWN above the configured bound, because someone has to look. */
    @Bean
    HealthIndicator deadLettersHealthIndicator(DeadLetters deadLetters, OddsgateProperties settings) {
        int max = settings.health().maxDeadLetters();
        return () -> {
            int depth = deadLetters.depth();
            return (depth > max ? Health.down() : Health.up()).withDetail("unreplayed", depth).withDetail("max", max).build();
        };
    }

    /**
     * Fills: UP while fills can be read (polling always runs); the details say whether the user
     * channel streams, how many fills the ledger holds and how many position alerts are open.
     */
    @Bean
    HealthIndicator fillsHealthIndicator(VenueChannels polymarketUserChannel, FillQueries book,
            PositionCheck check, OddsgateProperties settings) {
        boolean streaming = settings.fills().websocket().enabled();
        return () -> Health.up().withDetail("userChannel", !streaming ? "off (polling only)"
                : polymarketUserChannel.connects() == 0 ? "connecting (polling carries fills)"
                : polymarketUserChannel.silent() ? "silent (polling carries fills)" : "streaming")
                .withDetail("fills", book.count()).withDetail("openPositionAlerts", check.openAlerts(null).size()).build();
    }

    /** DOWN while Polymarket heartbeats fail (new orders are refused then); UP when they are off or succeed. */
    @Bean
    HealthIndicator heartbeatsHealthIndicator(PolymarketHeartbeats heartbeats) {
        return () -> (heartbeats.healthy() ? Health.up() : Health.down()).withDetails(heartbeats.describe()).build();
    }

    /** The signer's rate-limit bucket: tier, rate and tokens left (informational). */
    @Bean
    HealthIndicator rateLimitsHealthIndicator(RateLimits polymarketRateLimits, PolymarketAccount account) {
        return () -> Health.up().withDetails(polymarketRateLimits.describe(account.wallet().address())).build();
    }
}
