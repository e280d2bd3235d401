package com.oddsgate.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import org.apache.camel.CamelContext;
import org.apache.camel.component.vertx.websocket.VertxWebsocketComponent;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.oddsgate.api.DeadLetterViews;
import com.oddsgate.api.FileOrders;
import com.oddsgate.api.FillViews;
import com.oddsgate.api.OrderCancels;
import com.oddsgate.api.OrderRejections;
import com.oddsgate.api.OrderViews;
import com.oddsgate.api.Previews;
import com.oddsgate.api.RestOrders;
import com.oddsgate.fills.FillBook;
import com.oddsgate.kalshi.KalshiAccount;
import com.oddsgate.kalshi.KalshiAnswers;
import com.oddsgate.kalshi.KalshiFunds;
import com.oddsgate.kalshi.KalshiKey;
import com.oddsgate.kalshi.KalshiMarkets;
import com.oddsgate.kalshi.KalshiOrders;
import com.oddsgate.kalshi.KalshiRateLimits;
import com.oddsgate.kalshi.KalshiSettings;
import com.oddsgate.kalshi.KalshiSigner;
import com.oddsgate.kalshi.KalshiSubmission;
import com.oddsgate.kalshi.KalshiVenue;
import com.oddsgate.ledger.DatabaseClock;
import com.oddsgate.ledger.DeadLetters;
import com.oddsgate.ledger.GroupCommit;
import com.oddsgate.ledger.InFlightOrders;
import com.oddsgate.ledger.InstanceLease;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.ledger.RecoveryScan;
import com.oddsgate.message.Json;
import com.oddsgate.ops.GatewayFigures;
import com.oddsgate.ops.GatewayMetrics;
import com.oddsgate.ops.Leadership;
import com.oddsgate.order.OrderNormalizer;
import com.oddsgate.order.OrderValidator;
import com.oddsgate.polymarket.ApiCredentials;
import com.oddsgate.polymarket.OrderVersion;
import com.oddsgate.polymarket.PolymarketAccount;
import com.oddsgate.polymarket.PolymarketAnswers;
import com.oddsgate.polymarket.PolymarketFunds;
import com.oddsgate.polymarket.PolymarketMarkets;
import com.oddsgate.polymarket.PolymarketOrders;
import com.oddsgate.polymarket.PolymarketRecovery;
import com.oddsgate.polymarket.PolymarketSettings;
import com.oddsgate.polymarket.PolymarketSubmission;
import com.oddsgate.polymarket.PolymarketTrades;
import com.oddsgate.polymarket.PolymarketVersions;
import com.oddsgate.polymarket.Wallet;
import com.oddsgate.relay.RelayFilter;
import com.oddsgate.relay.RelayGuard;
import com.oddsgate.relay.RelayPolicy;
import com.oddsgate.relay.RelayWebSockets;
import com.oddsgate.risk.KillSwitch;
import com.oddsgate.sim.KalshiSim;
import com.oddsgate.sim.PolymarketSim;
import com.oddsgate.sim.SimulatorServer;
import com.oddsgate.venue.JsonHttp;
import com.oddsgate.venue.RateLimits;

/**
 * The beans the YAML routes call, by the names they use. Settings are read and checked here, once,
 * at start-up: a bad value stops the gateway with a message naming the setting.
 */
@Configuration(proxyBeanMethods = false)
public class GatewayConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The built-in venue simulators (default profile); started before anything talks to a venue. */
    @Bean(destroyMethod = "stop")
    @ConditionalOnProperty(name = "oddsgate.sim.enabled", havingValue = "true")
    SimulatorServer simulatorServer(Clock clock, @Value("${oddsgate.sim.host}") String host,
            @Value("${oddsgate.sim.port}") int port, @Value("${oddsgate.sim.ws-port}") int wsPort,
            @Value("${oddsgate.sim.polymarket-fixtures}") String polymarket,
            @Value("${oddsgate.sim.kalshi-fixtures}") String kalshi, Environment env) throws IOException {
        PolymarketSim.RateTier tier = switch (env.getProperty("oddsgate.sim.rate-tier", "top")) {
            case "lowest", "standard" -> PolymarketSim.RateTier.LOWEST;
            case "top", "elite" -> PolymarketSim.RateTier.TOP;
            default -> throw new IllegalArgumentException("oddsgate.sim.rate-tier must be lowest or top");
        };
        return new SimulatorServer(host, port, wsPort, new PolymarketSim(clock).loadFixtures(Path.of(polymarket))
                .settleTradesAfter(env.getRequiredProperty("oddsgate.sim.trade-settle-delay", Duration.class)).rateTier(tier),
                new KalshiSim(clock).loadFixtures(Path.of(kalshi))).start();
    }

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

    /** The browser relay's policies, one per venue; the upstreams are the venues' configured base URLs. */
    @Bean
    RelayGuard relayGuard(Environment env, Clock clock, KillSwitch killSwitch) {
        Set<String> origins = set(env, "oddsgate.relay.allowed-origins");
        Set<String> hosts = set(env, "oddsgate.relay.allowed-upstream-hosts");
        String token = env.getProperty("oddsgate.relay.token", "");
        long maxBody = env.getRequiredProperty("oddsgate.relay.max-body-bytes", Long.class);
        double rate = env.getRequiredProperty("oddsgate.relay.rate-per-second", Double.class);
        double burst = env.getRequiredProperty("oddsgate.relay.burst", Double.class);
        return Settings.check(() -> new RelayGuard(
                new RelayPolicy("polymarket", env.getRequiredProperty("oddsgate.polymarket.clob-url"),
                        List.copyOf(set(env, "oddsgate.relay.polymarket-prefixes")), maxBody, origins, token, rate, burst, hosts, clock),
                new RelayPolicy("kalshi", env.getRequiredProperty("oddsgate.kalshi.base-url"),
                        List.copyOf(set(env, "oddsgate.relay.kalshi-prefixes")), maxBody, origins, token, rate, burst, hosts, clock),
                env.getRequiredProperty("oddsgate.kalshi.api-prefix"), () -> killSwitch.current().tripped()));
    }

    @Bean
    RelayWebSockets relayWebSockets(CamelContext camel, Environment env) {
        return new RelayWebSockets(camel, env.getRequiredProperty("oddsgate.polymarket.ws-url"),
                env.getRequiredProperty("oddsgate.relay.ws.host") + ":" + env.getRequiredProperty("oddsgate.relay.ws.port"),
                env.getRequiredProperty("oddsgate.relay.ws.keepalive", Duration.class).toMillis(),
                env.getProperty("oddsgate.relay.token", ""),
                env.getRequiredProperty("oddsgate.relay.ws.max-connections", Integer.class),
                env.getRequiredProperty("oddsgate.relay.ws.max-pending-frames", Integer.class));
    }

    /** The Vert.x instance of the relay's WebSocket server and its upstream connections. */
    @Bean(destroyMethod = "close")
    Vertx relayVertx() {
        return Vertx.vertx();
    }

    /**
     * camel-vertx-websocket with a router whose first handler admits a browser (relay token,
     * connection cap) before Camel's WebSocket upgrade runs.
     */
    @Bean("vertx-websocket")
    VertxWebsocketComponent vertxWebsocketComponent(Vertx relayVertx,
            RelayWebSockets relay) {
        var component = new VertxWebsocketComponent();
        component.setVertx(relayVertx);
        Router router = Router.router(relayVertx);
        router.route("/poly/ws/*").handler(relay::admit);
        component.setRouter(router);
        return component;
    }

    @Bean
    FilterRegistrationBean<RelayFilter> relayFilter(RelayGuard guard) {
        FilterRegistrationBean<RelayFilter> reg = new FilterRegistrationBean<>(new RelayFilter(guard));
        reg.addUrlPatterns("/poly/*", "/kalshi/*");
        return reg;
    }

    private static Set<String> set(Environment env, String property) {
        String[] values = env.getProperty(property, String[].class, new String[0]);
        Set<String> out = new LinkedHashSet<>();
        for (String v : values) {
            if (!v.isBlank()) {
                out.add(v.trim());
            }
        }
        return out;
    }

    @Bean
    OrderCancels orderCancels(OrderLedger ledger) {
        return new OrderCancels(ledger);
    }

    @Bean
    JsonHttp venueHttp(@Value("${oddsgate.venue.connect-timeout}") Duration connect,
            @Value("${oddsgate.venue.read-timeout}") Duration read) {
        return new JsonHttp(connect, read, Json.MAPPER);
    }

    @Bean
    PolymarketSettings polymarketSettings(Environment env) {
        return Settings.check(() -> new PolymarketSettings(env.getRequiredProperty("oddsgate.polymarket.clob-url"),
                env.getRequiredProperty("oddsgate.polymarket.gamma-url"),
                env.getRequiredProperty("oddsgate.polymarket.chain-id", Long.class),
                OrderVersion.of(env.getRequiredProperty("oddsgate.polymarket.order-version", Integer.class)),
                Settings.integer(env, "oddsgate.polymarket.signature-type", "POLYMARKET_SIGNATURE_TYPE"),
                env.getProperty("oddsgate.polymarket.funder", ""), env.getProperty("oddsgate.polymarket.builder-code", ""),
                env.getRequiredProperty("oddsgate.polymarket.market-cache-ttl", Duration.class)));
    }

    /**
     * The trading identity. Without a configured private key the default profile uses its throwaway
     * dev account; with a key but without complete API credentials, they are created or derived (L1).
     */
    @Bean
    PolymarketAccount polymarketAccount(Environment env, PolymarketSettings settings, JsonHttp http, Clock clock,
            ObjectProvider<SimulatorServer> simulators) {
        simulators.ifAvailable(s -> { }); // the built-in venue must be listening before L1 derivation
        String key = env.getProperty("oddsgate.polymarket.private-key", "");
        String apiKey = env.getProperty("oddsgate.polymarket.api-key", "");
        String secret = env.getProperty("oddsgate.polymarket.api-secret", "");
        String passphrase = env.getProperty("oddsgate.polymarket.api-passphrase", "");
        if (key.isBlank()) {
            if (!env.getProperty("oddsgate.polymarket.dev-account.enabled", Boolean.class, false)) {
                throw new IllegalStateException("POLYMARKET_PRIVATE_KEY must be set (no dev account in this profile)");
            }
            key = env.getRequiredProperty("oddsgate.polymarket.dev-account.private-key");
            apiKey = env.getRequiredProperty("oddsgate.polymarket.dev-account.api-key");
            secret = env.getRequiredProperty("oddsgate.polymarket.dev-account.api-secret");
            passphrase = env.getRequiredProperty("oddsgate.polymarket.dev-account.api-passphrase");
        }
        final String privateKey = key;
        Wallet wallet = Settings.check(() -> Wallet.fromPrivateKey(privateKey), "POLYMARKET_PRIVATE_KEY");
        if (apiKey.isBlank() || secret.isBlank() || passphrase.isBlank()) {
            return PolymarketAccount.createOrDerive(wallet, settings, http, clock);
        }
        final String k = apiKey;
        final String s = secret;
        final String p = passphrase;
        return new PolymarketAccount(wallet, Settings.check(() -> new ApiCredentials(k, s, p)));
    }

    @Bean
    OrderNormalizer orderNormalizer() {
        return new OrderNormalizer();
    }

    @Bean
    OrderValidator orderValidator(Clock clock) {
        return new OrderValidator(clock);
    }

    @Bean
    OrderLedger orderLedger(JdbcTemplate jdbc, TransactionTemplate tx, Clock clock, GatewayMetrics metrics,
            ObjectProvider<GroupCommit> groupCommit) {
        OrderLedger ledger = new OrderLedger(jdbc, tx, clock, metrics);
        groupCommit.ifAvailable(ledger::committedBy);
        return ledger;
    }

    /** Order writes of concurrent requests share commits (oddsgate.ledger.group-commit). */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "oddsgate.ledger.group-commit.enabled", havingValue = "true", matchIfMissing = true)
    GroupCommit groupCommit(PlatformTransactionManager transactions, Environment env, MeterRegistry registry) {
        GroupCommit group = new GroupCommit(transactions, env.getRequiredProperty("oddsgate.ledger.group-commit.max-batch", Integer.class),
                env.getRequiredProperty("oddsgate.ledger.group-commit.writers", Integer.class));
        FunctionCounter.builder("oddsgate.ledger.commits", group, GroupCommit::commits)
                .description("ledger group commits").register(registry);
        FunctionCounter.builder("oddsgate.ledger.writes", group, GroupCommit::writes)
                .description("order writes committed in groups (writes / commits: the mean group)").register(registry);
        return group;
    }

    @Bean
    GatewayMetrics gatewayMetrics(MeterRegistry registry) {
        return new GatewayMetrics(registry);
    }

    @Bean
    GatewayFigures gatewayFigures(JdbcTemplate jdbc, DeadLetters deadLetters, GatewayMetrics metrics, Leadership leadership) {
        return new GatewayFigures(jdbc, deadLetters, metrics, leadership);
    }

    @Bean
    DeadLetters deadLetters(JdbcTemplate jdbc, OrderLedger ledger, Clock clock) {
        return new DeadLetters(jdbc, ledger, clock);
    }

    @Bean
    DeadLetterViews deadLetterViews(DeadLetters deadLetters, OrderLedger ledger) {
        return new DeadLetterViews(deadLetters, ledger);
    }

    @Bean
    RecoveryScan recoveryScan(OrderLedger ledger, Clock clock,
            @Value("${oddsgate.recovery.min-age}") Duration minAge, @Value("${oddsgate.recovery.resend-within}") Duration resendWithin,
            ObjectProvider<CamelContext> camel, InstanceLease lease) {
        RecoveryScan scan = new RecoveryScan(ledger, clock, minAge, resendWithin, () -> InFlightOrders.of(camel.getObject()));
        scan.sharedBy(lease);
        return scan;
    }

    /**
     * This instance on a ledger several gateways may share: ODDSGATE_INSTANCE_ID, by default the host
     * name and the data directory (the same across restarts of one deployment). Its lease is taken
     * now, before recovery runs, and renewed by routes/recovery.camel.yaml.
     */
    @Bean
    InstanceLease instanceLease(JdbcTemplate jdbc, OrderLedger ledger, Environment env) {
        String id = env.getProperty("oddsgate.instance-id", "").trim();
        if (id.isEmpty()) {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "localhost";
            }
            id = host + ":" + Path.of(env.getProperty("oddsgate.data-dir", "data")).toAbsolutePath().normalize();
        }
        // Leases by the database's clock: the one every instance on the ledger shares.
        InstanceLease lease = new InstanceLease(jdbc, new DatabaseClock(jdbc), id,
                env.getRequiredProperty("oddsgate.instance-lease", Duration.class));
        lease.renew();
        ledger.ownedBy(lease.id());
        return lease;
    }

    /**
     * Recovery's in-flight exclusion needs Camel to keep its in-flight exchanges browsable; it is
     * switched on here, before any route starts, so that no setting can turn it off.
     */
    @Bean
    CamelContextConfiguration inflightBrowsing() {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                camel.getInflightRepository().setInflightBrowseEnabled(true);
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
            }
        };
    }


    @Bean
    RestOrders restOrders(OrderNormalizer normalizer) {
        return new RestOrders(normalizer);
    }

    @Bean
    FileOrders fileOrders(OrderNormalizer normalizer, OrderLedger ledger) {
        return new FileOrders(normalizer, ledger);
    }

    @Bean
    OrderRejections orderRejections(OrderLedger ledger) {
        return new OrderRejections(ledger);
    }

    @Bean
    OrderViews orderViews(OrderLedger ledger, PolymarketMarkets markets, FillViews fills) {
        return new OrderViews(ledger, markets, fills);
    }

    @Bean
    Previews previews(PolymarketOrders orders, PolymarketSettings settings, PolymarketAccount account,
            KalshiOrders kalshiOrders, KalshiSettings kalshiSettings, KalshiAccount kalshiAccount, Clock clock) {
        return new Previews(orders, settings, account, kalshiOrders, kalshiSettings, kalshiAccount, clock);
    }

    @Bean
    PolymarketMarkets polymarketMarkets(JsonHttp http, PolymarketSettings settings, Clock clock) {
        return new PolymarketMarkets(http, settings, clock);
    }

    @Bean
    PolymarketOrders polymarketOrders(PolymarketAccount account, PolymarketSettings settings,
            PolymarketVersions versions, Clock clock, GatewayMetrics metrics) {
        return new PolymarketOrders(account, settings, versions, clock, metrics);
    }

    @Bean
    PolymarketSubmission polymarketSubmission(PolymarketAccount account, Clock clock, GatewayMetrics metrics,
            PolymarketOrders orders, PolymarketVersions versions, PolymarketMarkets markets,
            RateLimits polymarketRateLimits, PolymarketFunds funds,
            PolymarketRecovery recovery) {
        return new PolymarketSubmission(account, new PolymarketAnswers(), clock, metrics, orders, versions, markets,
                polymarketRateLimits, funds, recovery);
    }

    @Bean
    PolymarketRecovery polymarketRecovery(PolymarketAccount account, PolymarketSettings settings, JsonHttp http,
            Clock clock, PolymarketTrades trades, FillBook book) {
        return new PolymarketRecovery(account, settings, http, clock, trades, book);
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
    FilterRegistrationBean<BearerTokenFilter> bearerTokenFilter(Environment env) {
        String token = env.getProperty("oddsgate.api-token", "");
        if (Settings.realSecretsRequired(env) && (token.isBlank() || token.equals(env.getProperty("oddsgate.dev-api-token")))) {
            throw new IllegalStateException("ODDSGATE_API_TOKEN must be set to a non-default value in this profile"
                    + " and whenever real venue credentials are configured");
        }
        if (token.isBlank()) {
            throw new IllegalStateException("ODDSGATE_API_TOKEN is empty");
        }
        FilterRegistrationBean<BearerTokenFilter> reg = new FilterRegistrationBean<>(new BearerTokenFilter(token,
                env.getRequiredProperty("oddsgate.api-max-body-bytes", Long.class)));
        reg.addUrlPatterns("/api/*");
        reg.setOrder(Ordered.LOWEST_PRECEDENCE - 20); // before the intake limit: a bad token never takes a place
        return reg;
    }

    /** Load shedding: order requests beyond oddsgate.intake.max-in-flight are answered 503 at once (after the token check). */
    @Bean
    FilterRegistrationBean<IntakeLimit> intakeLimit(Environment env, MeterRegistry registry) {
        IntakeLimit limit = new IntakeLimit(env.getRequiredProperty("oddsgate.intake.max-in-flight", Integer.class),
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
