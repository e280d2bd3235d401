package com.oddsgate.config;

import java.time.Clock;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.JdbcTemplate;

import com.oddsgate.kalshi.KalshiAccounts;
import com.oddsgate.ledger.DeadLetters;
import com.oddsgate.message.Json;
import com.oddsgate.ops.GatewayFigures;
import com.oddsgate.ops.GatewayMetrics;
import com.oddsgate.ops.Leadership;
import com.oddsgate.polymarket.protocol.PolymarketAccounts;
import com.oddsgate.sim.SimulatorServer;
import com.oddsgate.venue.VenueReadRoutes;

/**
 * Shared by everything: the clock, the venues' reads, metrics and figures, and the /api filters
 * (response headers, the bearer token, load shedding). Settings are read and checked at start-up:
 * a bad value stops the gateway with a message naming the setting.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OddsgateProperties.class)
public class GatewayConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** What {@link #accountsOfOpenOrders} found: every account with unfinished orders is configured. */
    record AccountsChecked(int unfinished) {
    }

    /**
     * Start-up check: every order that may still trade, is not resolved yet, or has fills whose trades
     * are not final belongs to a configured
     * account (none recorded: main). An account removed while it has such orders would leave them
     * unwatched (no cancels, lookups or fills), so the gateway does not start and says which.
     */
    @Bean
    AccountsChecked accountsOfOpenOrders(JdbcTemplate jdbc, PolymarketAccounts polymarket, KalshiAccounts kalshi) {
        int[] unfinished = {0};
        // Also orders whose fills may still change (a trade not final yet can still fail): the account's
        // fill polling must go on for them.
        jdbc.query("SELECT venue, COALESCE(account, 'main'), COUNT(*) FROM orders o WHERE state IN ('PENDING_SUBMIT', 'UNKNOWN',"
                + " 'LIVE', 'DELAYED', 'PARTIALLY_FILLED', 'MATCHED') OR EXISTS (SELECT 1 FROM fills f WHERE f.order_id = o.id"
                + " AND f.status IN ('MATCHED', 'MINED', 'RETRYING', 'UNKNOWN')) GROUP BY venue, COALESCE(account, 'main')", rs -> {
                    String venue = rs.getString(1);
                    String account = rs.getString(2);
                    unfinished[0] += rs.getInt(3);
                    boolean known = "kalshi".equals(venue) ? kalshi.has(account) && kalshi.of(account).configured()
                            : !"polymarket".equals(venue) || polymarket.has(account);
                    if (!known) {
                        throw new IllegalStateException("invalid configuration: " + rs.getInt(3) + " " + venue + " orders of account '"
                                + account + "' are open or unresolved, and that account is not configured (configure it again"
                                + " until they are done)", null);
                    }
                });
        return new AccountsChecked(unfinished[0]);
    }

    /**
     * The venues' reads, through venue-reads.camel.yaml (the routes' {@code venueReads} steps too);
     * the built-in simulators, when there are, listen before any is made.
     */
    @Bean
    VenueReadRoutes venueReads(CamelContext camel, ObjectProvider<SimulatorServer> simulators) {
        simulators.ifAvailable(s -> { });
        return new VenueReadRoutes(camel, Json.MAPPER);
    }

    @Bean
    GatewayMetrics gatewayMetrics(MeterRegistry registry) {
        return new GatewayMetrics(registry);
    }

    @Bean
    GatewayFigures gatewayFigures(JdbcTemplate jdbc, DeadLetters deadLetters, GatewayMetrics metrics, Leadership leadership) {
        return new GatewayFigures(jdbc, deadLetters, metrics, leadership);
    }

    /** First of all filters: request-only headers never appear in a response. */
    @Bean
    FilterRegistrationBean<ResponseHeaderHygiene> responseHeaderHygiene() {
        FilterRegistrationBean<ResponseHeaderHygiene> reg = new FilterRegistrationBean<>(new ResponseHeaderHygiene());
        reg.addUrlPatterns("/*");
        reg.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return reg;
    }

    @Bean
    FilterRegistrationBean<BearerTokenFilter> bearerTokenFilter(OddsgateProperties settings) {
        String token = settings.apiToken();
        if (Settings.realSecretsRequired(settings) && (token.isBlank() || token.equals(settings.devApiToken()))) {
            throw new IllegalStateException("ODDSGATE_API_TOKEN must be set to a non-default value in this profile"
                    + " and whenever real venue credentials are configured");
        }
        if (token.isBlank()) {
            throw new IllegalStateException("ODDSGATE_API_TOKEN is empty");
        }
        FilterRegistrationBean<BearerTokenFilter> reg = new FilterRegistrationBean<>(new BearerTokenFilter(token,
                settings.apiMaxBodyBytes()));
        reg.addUrlPatterns("/api/*");
        reg.setOrder(Ordered.LOWEST_PRECEDENCE - 20); // before the intake limit: a bad token never takes a place
        return reg;
    }

    /** Load shedding: order requests beyond oddsgate.intake.max-in-flight are answered 503 at once (after the token check). */
    @Bean
    FilterRegistrationBean<IntakeLimit> intakeLimit(OddsgateProperties settings, MeterRegistry registry) {
        IntakeLimit limit = new IntakeLimit(settings.intake().maxInFlight(),
                Counter.builder("oddsgate.orders.shed").description("order requests refused (503) because too many were in flight")
                        .register(registry));
        Gauge.builder("oddsgate.orders.in.flight", limit, IntakeLimit::inFlight).description("order requests being worked on")
                .register(registry);
        FilterRegistrationBean<IntakeLimit> reg = new FilterRegistrationBean<>(limit);
        reg.addUrlPatterns("/api/*");
        reg.setOrder(Ordered.LOWEST_PRECEDENCE - 10);
        return reg;
    }
}
