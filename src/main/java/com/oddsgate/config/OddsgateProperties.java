package com.oddsgate.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Every {@code oddsgate.*} setting, typed and bound once at start-up (config/application.yaml holds
 * the defaults and says what each one does). The configuration processor turns these records into
 * the metadata IDEs complete {@code application.yaml} from. A value that cannot be read stops the
 * start-up with one line naming the setting ({@link SettingsFailureAnalyzer}), never echoing it.
 * Records that hold secrets print them masked.
 *
 * @param apiToken Bearer token for /api; the dev value is refused with real credentials and in the live profile.
 * @param devApiToken The default profile's documented API token.
 * @param apiMaxBodyBytes Largest /api request body.
 * @param devAdminPassword The default profile's documented admin password.
 * @param requireApiToken Refuse the dev API token and admin password even without venue credentials (the live profile).
 * @param dataDir Where the H2 ledger lives; also part of the default instance id.
 * @param routesDir External YAML routes, loaded at start.
 * @param inbox File drop: order files are read from here.
 * @param outbox File drop: acknowledgements are written here.
 * @param fileMinAgeMs A dropped file is read only once it has not changed for this long.
 * @param fileMaxBytes A dropped file larger than this is refused whole (acknowledged, moved to .error), never read.
 * @param instanceId This gateway's id on a shared ledger; empty: host name and data directory.
 */
@ConfigurationProperties("oddsgate")
public record OddsgateProperties(
        @DefaultValue("") String apiToken,
        @DefaultValue("") String devApiToken,
        @DefaultValue("1048576") long apiMaxBodyBytes,
        @DefaultValue Intake intake,
        @DefaultValue Admin admin,
        @DefaultValue("") String devAdminPassword,
        @DefaultValue("false") boolean requireApiToken,
        @DefaultValue("./data") String dataDir,
        @DefaultValue("config/routes") String routesDir,
        @DefaultValue("./inbox") String inbox,
        @DefaultValue("./outbox") String outbox,
        @DefaultValue("500") long filePollDelayMs,
        @DefaultValue("2000") long fileMinAgeMs,
        @DefaultValue("16777216") long fileMaxBytes,
        @DefaultValue Retry retry,
        @DefaultValue Risk risk,
        @DefaultValue Events events,
        @DefaultValue KillSwitch killSwitch,
        @DefaultValue("") String instanceId,
        @DefaultValue("30s") Duration instanceLease,
        @DefaultValue("10000") long instanceLeaseRenewMs,
        @DefaultValue Cluster cluster,
        @DefaultValue Recovery recovery,
        @DefaultValue Ledger ledger,
        @DefaultValue Metrics metrics,
        @DefaultValue Fills fills,
        @DefaultValue Markets markets,
        @DefaultValue Positions positions,
        @DefaultValue Health health,
        @DefaultValue Sim sim,
        @DefaultValue Polymarket polymarket,
        @DefaultValue Kalshi kalshi,
        @DefaultValue Relay relay) {

    @Override
    public String toString() {
        return "OddsgateProperties[secrets masked; see the parts]";
    }

    /** Order requests worked on at once; more are answered 503 with Retry-After before anything is recorded. */
    public record Intake(@DefaultValue("256") int maxInFlight, @DefaultValue("60s") Duration firstSendWithin) {
        public Intake {
            positive(maxInFlight, "oddsgate.intake.max-in-flight");
            positive(firstSendWithin.toMillis(), "oddsgate.intake.first-send-within");
        }
    }

    /** Hawtio and Jolokia's user. */
    public record Admin(@DefaultValue("") String user, @DefaultValue("") String password) {
        @Override
        public String toString() {
            return "Admin[user=" + user + ", password=****]";
        }
    }

    /** Redelivery of venue calls that failed for transport reasons (routes/errors.camel.yaml). */
    public record Retry(@DefaultValue("3") int maxRedeliveries, @DefaultValue("500") long delayMs,
            @DefaultValue("2") double backoffMultiplier, @DefaultValue("10000") long maxDelayMs) {
        public Retry {
            // Camel reads -1 as "redeliver forever": a cancel or a kill switch would then wait forever for an
            // unreachable venue, so it is refused here.
            if (maxRedeliveries < 0 || delayMs < 0 || maxDelayMs < 0 || backoffMultiplier < 1) {
                throw invalid("oddsgate.retry: max-redeliveries, delay-ms and max-delay-ms must not be negative (no"
                        + " redelivering forever), backoff-multiplier at least 1");
            }
        }
    }

    /** Pre-trade limits per account; empty: off. */
    public record Risk(BigDecimal maxOrderNotional, Integer maxOpenOrders, BigDecimal maxPosition,
            BigDecimal maxDailyNotional, BigDecimal priceBand, BigDecimal maxEventPosition,
            @DefaultValue("1s") Duration refresh, @DefaultValue("5s") Duration holdWait) {
    }

    /** Events listed on both venues (config/events.yaml). */
    public record Events(@DefaultValue("config/events.yaml") String file, @DefaultValue("5000") long reloadMs,
            @DefaultValue("24h") Duration closeTolerance, @DefaultValue("0.5") double titleSimilarity,
            @DefaultValue("1h") Duration recheck) {
        public Events {
            if (!(titleSimilarity >= 0 && titleSimilarity <= 1)) {
                throw invalid("oddsgate.events.title-similarity must be between 0 and 1");
            }
        }
    }

    public record KillSwitch(@DefaultValue("1s") Duration refresh, @DefaultValue("15s") Duration settle,
            @DefaultValue("5000") long sweepPeriodMs, @DefaultValue("2s") Duration ledgerWait) {
    }

    /** Leader election (the cluster profile). */
    public record Cluster(@DefaultValue("false") boolean enabled, @DefaultValue("") String leaderOnly,
            @DefaultValue("127.0.0.1:2181") String zookeeper, @DefaultValue("5s") Duration sessionTimeout,
            @DefaultValue("5s") Duration connectTimeout) {
    }

    /** Orders left PENDING_SUBMIT/UNKNOWN, resolved by order hash at start-up and then periodically. */
    public record Recovery(@DefaultValue("2000") long initialDelayMs, @DefaultValue("30000") long periodMs,
            @DefaultValue("60s") Duration minAge, @DefaultValue("5m") Duration resendWithin,
            @DefaultValue("200") int pageSize) {
        public Recovery {
            positive(pageSize, "oddsgate.recovery.page-size");
        }
    }

    public record Ledger(@DefaultValue GroupCommit groupCommit, @DefaultValue CompactAtStart compactAtStart) {
        /** An embedded H2 ledger file at least {@code above} big is compacted before the gateway opens it. */
        public record CompactAtStart(@DefaultValue("true") boolean enabled, @DefaultValue("256MB") DataSize above) {
        }

        public record GroupCommit(@DefaultValue("true") boolean enabled, @DefaultValue("64") int maxBatch,
                @DefaultValue("4") int writers) {
            public GroupCommit {
                if (enabled) {
                    positive(maxBatch, "oddsgate.ledger.group-commit.max-batch");
                    positive(writers, "oddsgate.ledger.group-commit.writers");
                }
            }
        }
    }

    /** Route step id → stage, timed into oddsgate_order_stage_seconds. */
    public record Metrics(Map<String, String> stages) {
        public Metrics {
            stages = stages == null ? Map.of() : Map.copyOf(stages);
        }
    }

    public record Fills(@DefaultValue Websocket websocket, @DefaultValue Polling polling,
            @DefaultValue("7d") Duration lookback, @DefaultValue("5m") Duration overlap, @DefaultValue Audit audit) {
        /** The orders' running filled sums checked against their fills (routes/fills.camel.yaml, fills-audit-timer). */
        public record Audit(@DefaultValue("true") boolean enabled, @DefaultValue("60000") long initialDelayMs,
                @DefaultValue("3600000") long periodMs) {
        }

        /**
         * The streams' fills are stored in groups (fills.FillStream): at most {@code groupSize} fills
         * per group (the fill book stores 500 per transaction), at most {@code queueFrames} frames
         * waiting (then the frames wait).
         */
        public record Websocket(@DefaultValue("true") boolean enabled, @DefaultValue("10000") long keepaliveMs,
                @DefaultValue("1000") int groupSize, @DefaultValue("10000") int queueFrames) {
        }

        public record Polling(@DefaultValue("true") boolean enabled, @DefaultValue("1000") long initialDelayMs,
                @DefaultValue("15000") long periodMs) {
        }
    }

    /** The CLOB market channel for the cached markets (tick size changes). */
    public record Markets(@DefaultValue Websocket websocket) {
        public record Websocket(@DefaultValue("true") boolean enabled) {
        }
    }

    public record Positions(@DefaultValue Check check) {
        public record Check(@DefaultValue("true") boolean enabled, @DefaultValue("5000") long initialDelayMs,
                @DefaultValue("60000") long periodMs) {
        }
    }

    public record Health(@DefaultValue("10s") Duration venueCache, @DefaultValue("100") int maxDeadLetters) {
    }

    /** The built-in simulators (the default profile). */
    public record Sim(@DefaultValue("true") boolean enabled, @DefaultValue("127.0.0.1") String host,
            @DefaultValue("8081") int port, @DefaultValue("8083") int wsPort,
            @DefaultValue("config/sim/polymarket.json") String polymarketFixtures,
            @DefaultValue("config/sim/kalshi.json") String kalshiFixtures,
            @DefaultValue("2s") Duration tradeSettleDelay, @DefaultValue("top") String rateTier) {
        public Sim {
            if (enabled && !List.of("top", "elite", "lowest", "standard").contains(rateTier)) {
                throw invalid("oddsgate.sim.rate-tier must be lowest or top");
            }
        }
    }

    public record Polymarket(String clobUrl, String gammaUrl, String wsUrl, String dataUrl,
            @DefaultValue("137") long chainId, @DefaultValue("2") int orderVersion,
            @DefaultValue("true") boolean versionDiscovery, @DefaultValue("10m") Duration versionTtl,
            @DefaultValue RateLimit rateLimit, @DefaultValue("true") boolean fundsCheck,
            @DefaultValue("2s") Duration balanceTtl, @DefaultValue Heartbeats heartbeats,
            @DefaultValue OpenOrdersSync openOrdersSync,
            @DefaultValue("") String privateKey, @DefaultValue("") String apiKey, @DefaultValue("") String apiSecret,
            @DefaultValue("") String apiPassphrase, @DefaultValue("") String funder,
                // Read as text so that a wrong value is named as POLYMARKET_SIGNATURE_TYPE (Settings.integer).
            @DefaultValue("0") String signatureType, @DefaultValue("") String builderCode,
            @DefaultValue("5m") Duration marketCacheTtl, @DefaultValue DevAccount devAccount,
            @DefaultValue("2s") Duration amendCancellationWait, @DefaultValue("refuse") String amendWithoutUserChannel) {

        public Polymarket {
            if (!List.of("refuse", "trades").contains(amendWithoutUserChannel)) {
                throw invalid("oddsgate.polymarket.amend-without-user-channel must be refuse or trades");
            }
            required(clobUrl, "oddsgate.polymarket.clob-url");
            required(gammaUrl, "oddsgate.polymarket.gamma-url");
            required(wsUrl, "oddsgate.polymarket.ws-url");
            required(dataUrl, "oddsgate.polymarket.data-url");
        }

        @Override
        public String toString() {
            return "Polymarket[clobUrl=" + clobUrl + ", secrets masked]";
        }

        /** Per-signer token buckets: the starting tier, name=orders/s:burst:cancels/s:burst per tier, the wait bound. */
        public record RateLimit(@DefaultValue("standard") String tier, String tiers, @DefaultValue("10s") Duration maxWait) {
        }

        /** The dead-man switch POST /v1/heartbeats, off unless enabled. */
        public record Heartbeats(@DefaultValue("false") boolean enabled, @DefaultValue("5s") Duration period) {
        }

        /** Open orders re-read from the venues and reconciled with the ledger. */
        public record OpenOrdersSync(@DefaultValue("true") boolean enabled, @DefaultValue("60s") Duration period) {
        }

        /** A throwaway wallet the simulator knows, used only while no private key is set. */
        public record DevAccount(@DefaultValue("true") boolean enabled, @DefaultValue("") String privateKey,
                @DefaultValue("") String apiKey, @DefaultValue("") String apiSecret,
                @DefaultValue("") String apiPassphrase) {
            @Override
            public String toString() {
                return "DevAccount[enabled=" + enabled + ", secrets masked]";
            }
        }
    }

    public record Kalshi(String baseUrl, @DefaultValue("/trade-api/v2") String apiPrefix, String wsUrl,
            @DefaultValue("events") String orderApi, @DefaultValue("taker_at_cross") String selfTradePrevention,
            @DefaultValue("5m") Duration marketCacheTtl, @DefaultValue RateLimit rateLimit,
            @DefaultValue("true") boolean fundsCheck, @DefaultValue("2s") Duration balanceTtl,
            @DefaultValue("0.07") BigDecimal feeMultiplier, @DefaultValue("") String keyId,
            @DefaultValue("") String privateKeyPath, @DefaultValue("") String privateKeyPem,
            @DefaultValue DevAccount devAccount) {

        public Kalshi {
            required(baseUrl, "oddsgate.kalshi.base-url");
            required(wsUrl, "oddsgate.kalshi.ws-url");
        }

        @Override
        public String toString() {
            return "Kalshi[baseUrl=" + baseUrl + ", secrets masked]";
        }

        /** Token buckets per API key: the key's tier and name=read/s:read bucket:write/s:write bucket per tier. */
        public record RateLimit(@DefaultValue("basic") String tier, String tiers, @DefaultValue("10s") Duration maxWait) {
        }

        /** A throwaway key the simulator knows, used only while no Kalshi key is set. */
        public record DevAccount(@DefaultValue("true") boolean enabled, @DefaultValue("") String keyId,
                @DefaultValue("") String privateKeyPath) {
        }
    }

    /** The browser relay. */
    public record Relay(List<String> allowedOrigins, @DefaultValue("") String token,
            @DefaultValue("65536") long maxBodyBytes, @DefaultValue("20") double ratePerSecond,
            @DefaultValue("40") double burst, List<String> allowedUpstreamHosts, List<String> polymarketPrefixes,
            List<String> kalshiPrefixes, @DefaultValue Ws ws) {

        public Relay {
            allowedOrigins = clean(allowedOrigins);
            allowedUpstreamHosts = clean(allowedUpstreamHosts);
            polymarketPrefixes = clean(polymarketPrefixes);
            kalshiPrefixes = clean(kalshiPrefixes);
        }

        @Override
        public String toString() {
            return "Relay[token masked]";
        }

        public record Ws(@DefaultValue("true") boolean enabled, @DefaultValue("127.0.0.1") String host,
                @DefaultValue("8082") int port, @DefaultValue("10s") Duration keepalive,
                @DefaultValue("200") int maxConnections, @DefaultValue("100") int maxPendingFrames,
                @DefaultValue("") String allowedOriginPattern) {
        }

        private static List<String> clean(List<String> values) {
            return values == null ? List.of() : values.stream().map(String::trim).filter(v -> !v.isEmpty()).toList();
        }
    }

    static IllegalStateException invalid(String why) {
        return new IllegalStateException("invalid configuration: " + why);
    }

    private static void positive(long value, String setting) {
        if (value <= 0) {
            throw invalid(setting + " must be positive");
        }
    }

    private static void required(String value, String setting) {
        if (value == null || value.isBlank()) {
            throw invalid(setting + " must be set");
        }
    }
}
