package com.oddsgate.config;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import com.oddsgate.ledger.H2FileCompaction;
import com.oddsgate.kalshi.KalshiAccounts;
import com.oddsgate.kalshi.KalshiFunds;
import com.oddsgate.ledger.InstanceLease;
import com.oddsgate.ops.Leadership;
import com.oddsgate.polymarket.protocol.PolymarketFunds;
import com.oddsgate.polymarket.protocol.PolymarketHeartbeats;
import com.oddsgate.venue.RateLimits;
import com.oddsgate.venue.VenueChannels;

/**
 * Several gateways on one ledger ({@code cluster} profile, config/application-cluster.yaml): Camel's
 * ZooKeeper cluster service elects a leader; the routes that must run once per desk (timers, fill
 * streams, the file inbox) consume through {@code master:} endpoints ({@code oddsgate.cluster.leader-only})
 * and so run on the leader alone, moving to the next one when it goes. Order intake runs on every
 * instance. Without the profile the gateway is standalone and leads itself.
 */
@Configuration(proxyBeanMethods = false)
public class ClusterConfiguration {

    @Bean
    @ConditionalOnProperty(name = "oddsgate.cluster.enabled", havingValue = "true")
    ZooKeeperClusterService zooKeeperClusterService(InstanceLease lease, Environment env, OddsgateProperties settings) {
        OddsgateProperties.Cluster cluster = settings.cluster();
        String url = env.getProperty("spring.datasource.url", "");
        if (H2FileCompaction.file(url).isPresent() || url.startsWith("jdbc:h2:mem:")) { // an H2 file, explicit or implicit
            throw new IllegalStateException("invalid configuration: oddsgate.cluster.enabled needs a ledger the instances share"
                    + " (the postgres profile); an embedded H2 file belongs to one process", null);
        }
        if (!cluster.leaderOnly().equals("master:" + Leadership.NAMESPACE + ":")) {
            throw new IllegalStateException("invalid configuration: oddsgate.cluster.leader-only must be master:"
                    + Leadership.NAMESPACE + ": when oddsgate.cluster.enabled is true", null);
        }
        ZooKeeperClusterService zk = new ZooKeeperClusterService();
        zk.setId(lease.id());
        zk.setNodes(cluster.zookeeper());
        zk.setBasePath("/oddsgate");
        zk.setSessionTimeout(cluster.sessionTimeout().toMillis());
        zk.setConnectTimeout(cluster.connectTimeout().toMillis());
        return zk;
    }

    /**
     * This instance's role, and what follows it: another instance's orders are taken over on the
     * leader only; the fill streams close the moment this instance stops leading; budgets the venue
     * counts per account (rate limits, money) are split between the live instances at every lease renewal.
     */
    @Bean
    Leadership leadership(ObjectProvider<CamelClusterService> cluster, OddsgateProperties settings, InstanceLease lease,
            RateLimits polymarketRateLimits, KalshiAccounts kalshiAccounts, PolymarketFunds polymarketFunds, KalshiFunds kalshiFunds,
            VenueChannels polymarketUserChannel, VenueChannels kalshiFillChannel, PolymarketHeartbeats heartbeats,
            MeterRegistry registry) throws Exception {
        CamelClusterService service = cluster.getIfAvailable();
        Leadership leadership;
        if (service == null) {
            if (!settings.cluster().leaderOnly().isEmpty()) {
                throw new IllegalStateException("invalid configuration: oddsgate.cluster.leader-only is set but no cluster is"
                        + " (oddsgate.cluster.enabled is false)", null);
            }
            leadership = Leadership.standalone();
        } else {
            leadership = Leadership.of(service);
            lease.guardsId(true); // a second process with this instance id displaces this one
            // The leader beats; its failures stop new orders on every instance.
            heartbeats.sharedThrough(lease::heartbeatsFailing, lease::heartbeatsFailingElsewhere);
        }
        leadership.onLost(polymarketUserChannel::stop).onLost(kalshiFillChannel::stop).onLost(heartbeats::standDown);
        Gauge.builder("oddsgate.leader", leadership, l -> l.leads() ? 1 : 0).tag("instance", lease.id())
                .description("1 while this instance runs the leader-only routes (always, standalone)").register(registry);
        Gauge.builder("oddsgate.instances.live", lease, InstanceLease::live)
                .description("gateway instances whose lease holds on this ledger").register(registry);
        lease.takesOverWhen(leadership::leads).onLiveCount(n -> {
            polymarketRateLimits.share(n);
            kalshiAccounts.all().forEach(k -> k.share(n));
            polymarketFunds.share(n);
            kalshiFunds.share(n);
        });
        lease.renew();
        return leadership;
    }

    /** This instance's role, the elected leader and the members; with every instance's lease. */
    @Bean
    HealthIndicator clusterHealthIndicator(Leadership leadership, InstanceLease lease) {
        // DOWN when another process took this one's instance id: this one no longer acts on orders.
        return () -> (lease.displaced() == null ? Health.up() : Health.down()).withDetails(leadership.describe())
                .withDetails(lease.describe()).build();
    }
}
