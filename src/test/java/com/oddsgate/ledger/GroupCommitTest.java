package com.oddsgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Writes of concurrent callers share commits; one that fails (here a duplicate key) is rolled back
 * alone and its caller alone gets the failure; every caller returns only once its write is committed.
 */
class GroupCommitTest {

    @Test
    void concurrentWritesShareCommitsAndAFailingOneFailsAlone() throws Exception {
        DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:group-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                "sa", "");
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.execute("CREATE TABLE t (k VARCHAR(20) PRIMARY KEY)");
        DataSourceTransactionManager tm = new DataSourceTransactionManager(ds);
        try (GroupCommit group = new GroupCommit(tm, 64)) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String key = i == 200 ? "k7" : "k" + i; // k7 written twice: one of the two must fail alone
                results.add(pool.submit(() -> {
                    try {
                        group.run(() -> jdbc.update("INSERT INTO t (k) VALUES (?)", key));
                        // Returned: committed, so visible to anyone now.
                        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM t WHERE k = ?", Integer.class, key)).isEqualTo(1);
                        return "ok";
                    } catch (DuplicateKeyException e) {
                        return "duplicate";
                    }
                }));
            }
            int ok = 0;
            int duplicate = 0;
            for (Future<String> f : results) {
                if (f.get().equals("ok")) {
                    ok++;
                } else {
                    duplicate++;
                }
            }
            pool.shutdown();
            assertThat(duplicate).isEqualTo(1);
            assertThat(ok).isEqualTo(399);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM t", Integer.class)).isEqualTo(399);
            assertThat(group.writes()).isEqualTo(399);
            assertThat(group.commits()).as("fewer commits than writes").isLessThan(group.writes());
        }
    }

    @Test
    void aWriteArrivingWhileTheWritersStopCommitsOnItsOwn() throws Exception {
        DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:group-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                "sa", "");
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.execute("CREATE TABLE t (k VARCHAR(20) PRIMARY KEY)");
        GroupCommit group = new GroupCommit(new DataSourceTransactionManager(ds), 64, 2);
        group.run(() -> jdbc.update("INSERT INTO t (k) VALUES ('before')"));
        group.close();
        group.run(() -> jdbc.update("INSERT INTO t (k) VALUES ('after')")); // returns: committed, not left waiting
        assertThat(jdbc.queryForList("SELECT k FROM t ORDER BY k", String.class)).containsExactly("after", "before");
    }
}
