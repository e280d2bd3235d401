package com.oddsgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

import com.oddsgate.ledger.H2FileCompactionTest;

/** The post-processor compacts a sparse H2 ledger before its pool opens, and nothing else. */
class CompactLedgerAtStartTest {

    @TempDir
    Path dir;

    private static HikariDataSource pool(String url) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername("sa");
        pool.setPassword("");
        return pool;
    }

    private static CompactLedgerAtStart compacting(boolean enabled, DataSize above) {
        return new CompactLedgerAtStart(() -> new OddsgateProperties.Ledger.CompactAtStart(enabled, above));
    }

    @Test
    void aSparseLedgerIsCompactedBeforeThePoolOpens() throws Exception {
        String url = H2FileCompactionTest.sparseLedger(dir, 1_000);
        long before = Files.size(dir.resolve("oddsgate.mv.db"));
        try (HikariDataSource pool = pool(url)) {
            assertThat(compacting(true, DataSize.ofBytes(1)).postProcessAfterInitialization(pool, "dataSource")).isSameAs(pool);
            assertThat(Files.size(dir.resolve("oddsgate.mv.db"))).isLessThan(before / 4);
            try (Connection c = pool.getConnection(); ResultSet r = c.createStatement().executeQuery("SELECT COUNT(*) FROM orders")) {
                r.next(); // the pool opens on the compacted file, every row there
                assertThat(r.getInt(1)).isEqualTo(1_000);
            }
        }
    }

    @Test
    void offBelowItsSizeOrWithThePoolOpenTheFileIsLeftAsItIs() throws Exception {
        String url = H2FileCompactionTest.sparseLedger(dir, 300);
        Path file = dir.resolve("oddsgate.mv.db");
        long before = Files.size(file);
        try (HikariDataSource pool = pool(url)) {
            compacting(false, DataSize.ofBytes(1)).postProcessAfterInitialization(pool, "dataSource");
            compacting(true, DataSize.ofBytes(before + 1)).postProcessAfterInitialization(pool, "dataSource");
            assertThat(Files.size(file)).isEqualTo(before);
            try (Connection c = pool.getConnection()) { // open: a compaction now would shut the pool's database
                compacting(true, DataSize.ofBytes(1)).postProcessAfterInitialization(pool, "dataSource");
                assertThat(c.isValid(1)).isTrue();
            }
        }
    }
}
