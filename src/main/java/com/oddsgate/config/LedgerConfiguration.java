package com.oddsgate.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.oddsgate.fills.FillAudit;
import com.oddsgate.fills.FillBook;
import com.oddsgate.fills.FillCursors;
import com.oddsgate.fills.FillQueries;
import com.oddsgate.fills.FillStream;
import com.oddsgate.fills.PositionCheck;
import com.oddsgate.ledger.DatabaseClock;
import com.oddsgate.ledger.DeadLetters;
import com.oddsgate.ledger.GroupCommit;
import com.oddsgate.ledger.CancelAsks;
import com.oddsgate.ledger.InFlightOrders;
import com.oddsgate.ledger.InstanceLease;
import com.oddsgate.ledger.LedgerFaults;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.ledger.RecoveryScan;
import com.oddsgate.ops.GatewayMetrics;

/**
 * The ledger: orders (with group commit), dead letters, recovery, this instance's lease, fills and
 * positions; and Camel's in-flight browsing that recovery relies on.
 */
@Configuration(proxyBeanMethods = false)
public class LedgerConfiguration {

    @Bean
    OrderLedger orderLedger(JdbcTemplate jdbc, TransactionTemplate tx, Clock clock, GatewayMetrics metrics,
            ObjectProvider<GroupCommit> groupCommit) {
        OrderLedger ledger = new OrderLedger(jdbc, tx, clock, metrics);
        groupCommit.ifAvailable(ledger::committedBy);
        return ledger;
    }

    /** A sparse embedded H2 ledger file is compacted before the pool opens it (oddsgate.ledger.compact-at-start). */
    @Bean
    static BeanPostProcessor compactLedgerAtStart(ObjectProvider<OddsgateProperties> settings) {
        return new CompactLedgerAtStart(() -> settings.getObject().ledger().compactAtStart());
    }

    /** Order writes of concurrent requests share commits (oddsgate.ledger.group-commit). */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "oddsgate.ledger.group-commit.enabled", havingValue = "true", matchIfMissing = true)
    GroupCommit groupCommit(PlatformTransactionManager transactions, OddsgateProperties settings, MeterRegistry registry) {
        OddsgateProperties.Ledger.GroupCommit config = settings.ledger().groupCommit();
        GroupCommit group = new GroupCommit(transactions, config.maxBatch(), config.writers());
        FunctionCounter.builder("oddsgate.ledger.commits", group, GroupCommit::commits)
                .description("ledger group commits").register(registry);
        FunctionCounter.builder("oddsgate.ledger.writes", group, GroupCommit::writes)
                .description("order writes committed in groups (writes / commits: the mean group)").register(registry);
        return group;
    }

    @Bean
    DeadLetters deadLetters(JdbcTemplate jdbc, OrderLedger ledger, Clock clock) {
        return new DeadLetters(jdbc, ledger, clock);
    }

    @Bean
    LedgerFaults ledgerFaults() {
        return new LedgerFaults();
    }

    @Bean
    CancelAsks cancelAsks(OrderLedger ledger, Clock clock, OddsgateProperties settings) {
        return new CancelAsks(ledger, clock, settings.intake().firstSendWithin());
    }

    @Bean
    RecoveryScan recoveryScan(OrderLedger ledger, Clock clock,
            OddsgateProperties settings, ObjectProvider<CamelContext> camel, InstanceLease lease) {
        RecoveryScan scan = new RecoveryScan(ledger, clock, settings.recovery().minAge(), settings.recovery().resendWithin(),
                () -> InFlightOrders.of(camel.getObject()), settings.intake().firstSendWithin());
        scan.sharedBy(lease);
        return scan;
    }

    /**
     * This instance on a ledger several gateways may share: ODDSGATE_INSTANCE_ID, by default the host
     * name and the data directory (the same across restarts of one deployment). Its lease is taken
     * now, before recovery runs, and renewed by routes/recovery.camel.yaml.
     */
    @Bean
    InstanceLease instanceLease(JdbcTemplate jdbc, OrderLedger ledger, OddsgateProperties settings) {
        String id = settings.instanceId().trim();
        if (id.isEmpty()) {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "localhost";
            }
            id = host + ":" + Path.of(settings.dataDir()).toAbsolutePath().normalize();
        }
        Duration leaseFor = settings.instanceLease();
        long renewMs = settings.instanceLeaseRenewMs();
        if (renewMs <= 0 || renewMs * 3 > leaseFor.toMillis()) {
            // An instance stops acting on orders once two thirds of its lease pass without a renewal.
            throw new IllegalStateException("invalid configuration: oddsgate.instance-lease-renew-ms (" + renewMs
                    + ") must be positive and at most a third of oddsgate.instance-lease (" + leaseFor.toMillis() + " ms)", null);
        }
        // Leases by the database's clock: the one every instance on the ledger shares.
        InstanceLease lease = new InstanceLease(jdbc, new DatabaseClock(jdbc), id, leaseFor);
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
    FillBook fillBook(JdbcTemplate jdbc, TransactionTemplate tx, OrderLedger ledger, Clock clock, GatewayMetrics metrics) {
        return new FillBook(jdbc, tx, ledger, clock, metrics);
    }

    /**
     * The streams' fills, stored in groups by one writer (FillStream); a group that cannot be stored
     * asks for its venue's catch-up poll (fills.camel.yaml, fills-catch-up).
     */
    @Bean(destroyMethod = "close")
    FillStream fillStream(FillBook book, OddsgateProperties settings, ProducerTemplate producer) {
        OddsgateProperties.Fills.Websocket ws = settings.fills().websocket();
        return new FillStream(book::apply, ws.groupSize(), ws.queueFrames(), venue -> {
            // The poll's own failures are handled in its route (fill-errors), which says so in a header.
            Exchange done = producer.send("direct:fills-catch-up", e -> e.getIn().setHeader("oddsgateFillVenue", venue));
            String failed = done.getException() != null ? done.getException().getMessage()
                    : done.getMessage().getHeader("OddsgateCatchUpFailed", String.class);
            if (failed != null) {
                throw new IllegalStateException(failed);
            }
        });
    }

    @Bean
    FillAudit fillAudit(JdbcTemplate jdbc, TransactionTemplate tx, OrderLedger ledger) {
        return new FillAudit(jdbc, tx, ledger);
    }

    @Bean
    FillQueries fillQueries(JdbcTemplate jdbc) {
        return new FillQueries(jdbc);
    }

    @Bean
    FillCursors fillCursors(JdbcTemplate jdbc, Clock clock) {
        return new FillCursors(jdbc, clock);
    }

    @Bean
    PositionCheck positionCheck(JdbcTemplate jdbc, FillQueries book, Clock clock, GatewayMetrics metrics) {
        return new PositionCheck(jdbc, book, clock, metrics);
    }
}
