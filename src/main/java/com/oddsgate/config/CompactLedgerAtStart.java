package com.oddsgate.config;

import java.util.Optional;
import java.util.function.Supplier;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;

import com.oddsgate.ledger.H2FileCompaction;

/**
 * Before anything opens the ledger's connection pool (the pool opens on its first connection, after
 * this), an embedded H2 ledger file of at least {@code oddsgate.ledger.compact-at-start.above} is
 * compacted: H2 does not compact it while the gateway runs (README, "Ledger"). A failure is logged
 * and the gateway starts on the file as it is — a large file is slow, not wrong.
 */
final class CompactLedgerAtStart implements BeanPostProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(CompactLedgerAtStart.class);

    /** Read when the pool is seen, not before: a post-processor is made before the settings are bound. */
    private final Supplier<OddsgateProperties.Ledger.CompactAtStart> settings;

    CompactLedgerAtStart(Supplier<OddsgateProperties.Ledger.CompactAtStart> settings) {
        this.settings = settings;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool && !pool.isRunning() && H2FileCompaction.file(pool.getJdbcUrl()).isPresent()) {
            OddsgateProperties.Ledger.CompactAtStart config = settings.get();
            if (config.enabled()) {
                compact(pool, config.above().toBytes());
            }
        }
        return bean;
    }

    private static void compact(HikariDataSource pool, long above) {
        try {
            Optional<H2FileCompaction.Result> done = H2FileCompaction.compactIfAtLeast(pool.getJdbcUrl(), pool.getUsername(),
                    pool.getPassword(), above);
            done.ifPresent(r -> {
                if (r.after() < r.before()) {
                    LOG.info("ledger file {} compacted at start: {} MB -> {} MB in {} ms", r.file(), r.before() / 1_000_000,
                            r.after() / 1_000_000, r.took().toMillis());
                } else {
                    // H2 keeps a failure of the rewrite itself (a full disk) to its .trace.db file and closes normally.
                    LOG.warn("ledger file {} ({} MB) could not be compacted at start (H2's .trace.db file beside it says why);"
                            + " starting on it as it is", r.file(), r.before() / 1_000_000);
                }
            });
        } catch (Exception e) {
            // The message names the file and H2's reason; the URL (which may carry a password) is not logged.
            LOG.warn("ledger file not compacted at start ({}); starting on it as it is", e.getMessage());
        }
    }
}
