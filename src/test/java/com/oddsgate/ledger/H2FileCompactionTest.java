package com.oddsgate.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class H2FileCompactionTest {

    @TempDir
    Path dir;

    /**
     * A ledger-shaped file as the gateway leaves it: a commit per write, each row written three
     * times. MAX_COMPACT_TIME=0: closing the database compacts nothing (a small file would be compacted
     * whole in the 200 ms H2 gives a close; a gateway's gigabytes are not), so only a compaction can.
     */
    public static String sparseLedger(Path dir, int orders) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("oddsgate") + ";WRITE_DELAY=0;MAX_COMPACT_TIME=0";
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, state VARCHAR(16), signed_payload VARCHAR(4000))");
            s.execute("CREATE INDEX ix_orders_state ON orders (state)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO orders VALUES (?, 'RECEIVED', NULL)");
                    PreparedStatement sign = c.prepareStatement("UPDATE orders SET state = 'PENDING_SUBMIT', signed_payload = ? WHERE id = ?");
                    PreparedStatement live = c.prepareStatement("UPDATE orders SET state = 'LIVE' WHERE id = ?")) {
                for (int i = 0; i < orders; i++) {
                    insert.setLong(1, i);
                    insert.executeUpdate();
                    sign.setString(1, "{\"order\":" + i + ",\"signature\":\"0x" + Long.toHexString(i * 7919L).repeat(12) + "\"}");
                    sign.setLong(2, i);
                    sign.executeUpdate();
                    live.setLong(1, i);
                    live.executeUpdate();
                }
            }
        }
        return url;
    }

    @Test
    void aSparseFileIsCompactedAndKeepsEveryRow() throws Exception {
        String url = sparseLedger(dir, 2_000);
        Path file = dir.resolve("oddsgate.mv.db");
        long before = Files.size(file);

        H2FileCompaction.Result done = H2FileCompaction.compactIfAtLeast(url, "sa", "", 1).orElseThrow();

        assertThat(done.file()).isEqualTo(file);
        assertThat(done.before()).isEqualTo(before);
        assertThat(done.after()).isEqualTo(Files.size(file)).isLessThan(before / 4);
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT COUNT(*), SUM(LENGTH(signed_payload)) FROM orders WHERE state = 'LIVE'")) {
            r.next();
            assertThat(r.getInt(1)).isEqualTo(2_000);
            assertThat(r.getLong(2)).isPositive();
        }
    }

    @Test
    void aLedgerNamedByAnImplicitFileUrlIsCompactedToo() throws Exception {
        String url = sparseLedger(dir, 1_000).replace("jdbc:h2:file:", "jdbc:h2:"); // jdbc:h2:/tmp/…/oddsgate: H2's implicit file mode
        Path file = dir.resolve("oddsgate.mv.db");
        long before = Files.size(file);
        assertThat(H2FileCompaction.compactIfAtLeast(url, "sa", "", 1).orElseThrow().after()).isLessThan(before / 4);
    }

    @Test
    void aFileBelowTheThresholdAnotherDatabaseOrNoFileIsLeftAlone() throws Exception {
        String url = sparseLedger(dir, 50);
        Path file = dir.resolve("oddsgate.mv.db");
        byte[] before = Files.readAllBytes(file);

        assertThat(H2FileCompaction.compactIfAtLeast(url, "sa", "", before.length + 1L)).isEmpty();
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(H2FileCompaction.compactIfAtLeast(url + ";AUTO_SERVER=TRUE", "sa", "", 0)).isEmpty(); // maybe another's open database
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(H2FileCompaction.compactIfAtLeast("jdbc:h2:mem:ledger;DB_CLOSE_DELAY=-1", "sa", "", 0)).isEmpty();
        assertThat(H2FileCompaction.compactIfAtLeast("jdbc:postgresql://127.0.0.1:1/oddsgate", "oddsgate", "secret", 0)).isEmpty();
        // IFEXISTS is not even needed: a missing file is not opened, so no empty database is made.
        assertThat(H2FileCompaction.compactIfAtLeast("jdbc:h2:file:" + dir.resolve("none") + ";WRITE_DELAY=0", "sa", "", 0)).isEmpty();
        assertThat(dir.resolve("none.mv.db")).doesNotExist();
    }

    /** Another gateway compacting the same file (another process holds the lock beside it): this one waits its turn. */
    @Test
    void twoGatewaysStartingAtOnceTakeTurns() throws Exception {
        String url = sparseLedger(dir, 1_000);
        Path file = dir.resolve("oddsgate.mv.db");
        long before = Files.size(file);
        Path locker = dir.resolve("Locker.java");
        Files.writeString(locker, """
                import java.nio.channels.FileChannel;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                public class Locker {
                    public static void main(String[] a) throws Exception {
                        try (FileChannel c = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                                var l = c.lock()) {
                            System.out.println("locked");
                            System.out.flush();
                            System.in.read(); // until the test closes our input
                        }
                    }
                }
                """);
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), locker.toString(),
                file.resolveSibling("oddsgate.mv.db.compact.lock").toString()).redirectErrorStream(true).start();
        try {
            assertThat(new BufferedReader(new InputStreamReader(other.getInputStream())).readLine()).isEqualTo("locked");
            CompletableFuture<Optional<H2FileCompaction.Result>> mine = CompletableFuture.supplyAsync(() -> {
                try {
                    return H2FileCompaction.compactIfAtLeast(url, "sa", "", 1);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1_000);
            assertThat(mine).as("waits while the other holds the lock").isNotDone();
            assertThat(Files.size(file)).isEqualTo(before);
            other.getOutputStream().close(); // the other is done
            assertThat(mine.get(30, TimeUnit.SECONDS)).isPresent();
            assertThat(Files.size(file)).isLessThan(before / 4);
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void theFileOfAnH2UrlIsReadAsH2ReadsIt() {
        assertThat(H2FileCompaction.file("jdbc:h2:file:./data/oddsgate;WRITE_DELAY=0")).contains(Path.of("./data/oddsgate.mv.db"));
        assertThat(H2FileCompaction.file("JDBC:H2:FILE:/var/lib/og/ledger")).contains(Path.of("/var/lib/og/ledger.mv.db"));
        assertThat(H2FileCompaction.file("jdbc:h2:file:~/og;WRITE_DELAY=0"))
                .contains(Path.of(System.getProperty("user.home") + "/og.mv.db"));
        assertThat(H2FileCompaction.file("jdbc:h2:./data/oddsgate;WRITE_DELAY=0")).as("implicit file mode")
                .contains(Path.of("./data/oddsgate.mv.db"));
        assertThat(H2FileCompaction.file("jdbc:h2:/var/lib/og/ledger")).contains(Path.of("/var/lib/og/ledger.mv.db"));
        assertThat(H2FileCompaction.file("jdbc:h2:mem:x")).isEmpty();
        assertThat(H2FileCompaction.file("jdbc:h2:zip:~/db.zip!/og")).isEmpty();
        assertThat(H2FileCompaction.file("jdbc:h2:ssl://host/x")).isEmpty();
        assertThat(H2FileCompaction.file("jdbc:h2:tcp://host/x")).isEmpty();
        assertThat(H2FileCompaction.file(null)).isEmpty();
    }
}
