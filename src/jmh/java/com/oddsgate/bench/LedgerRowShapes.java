package com.oddsgate.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Locale;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;

/**
 * One order's ledger writes as the gateway makes them on H2 (received, intent, outcome: three
 * commits, an event each), on the gateway's schema, in one of three row shapes: {@code text} (the
 * schema as it is: raw request and signed payload in the order's row, TEXT), {@code varchar} (those
 * columns VARCHAR), {@code narrow} (both in an insert-only table of their own, the order's row
 * without them). Prints CPU and wall time per order on this thread and the file's size per order.
 * Run: {@code mvn -q -Pbench -DskipTests compile exec:exec -Dbench.main=com.oddsgate.bench.LedgerRowShapes
 * -Dbench.args="text 15000"}.
 */
public final class LedgerRowShapes {

    private static final String RAW = "{\"venue\":\"polymarket\",\"market\":\"sim-btc-100k\",\"outcome\":\"YES\",\"side\":\"BUY\","
            + "\"price\":\"0.16\",\"size\":\"5\",\"clientOrderId\":\"load-%d-abcdefgh\",\"type\":\"LIMIT\",\"timeInForce\":\"GTC\"}";
    private static final String SIGNED = "{\"order\":{\"salt\":%d,\"maker\":\"0x9a3f0c7e1b2d4e5f6a7b8c9d0e1f2a3b4c5d6e7f\","
            + "\"signer\":\"0x9a3f0c7e1b2d4e5f6a7b8c9d0e1f2a3b4c5d6e7f\",\"taker\":\"0x0000000000000000000000000000000000000000\","
            + "\"tokenId\":\"71321045679252212594626385532706912750332728571942532289631379312455583992563\",\"makerAmount\":\"800000\","
            + "\"takerAmount\":\"5000000\",\"side\":\"BUY\",\"expiration\":\"0\",\"timestamp\":\"1765000000000\",\"metadata\":\"0x"
            + "0".repeat(64) + "\",\"builder\":\"0x" + "0".repeat(64) + "\",\"signatureType\":0,\"signature\":\"0x" + "3c5f8a1d".repeat(16)
            + "1b\"},\"owner\":\"3f2e1d0c-b9a8-4765-8432-10fedcba9876\",\"orderType\":\"GTC\",\"postOnly\":false}";
    private static final String ANSWER = "{\"success\":true,\"errorMsg\":\"\",\"orderID\":\"0x%064x\",\"transactionsHashes\":[],"
            + "\"status\":\"live\",\"takingAmount\":\"\",\"makingAmount\":\"\"}";

    private LedgerRowShapes() {
    }

    public static void main(String[] args) throws Exception {
        String shape = args.length > 0 ? args[0] : "text";
        int orders = args.length > 1 ? Integer.parseInt(args[1]) : 15000;
        Path dir = Files.createTempDirectory("oddsgate-row-shapes");
        String url = "jdbc:h2:file:" + dir.resolve("ledger") + ";WRITE_DELAY=0";
        Flyway.configure().dataSource(url, "sa", "").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE order_payloads (order_id BIGINT NOT NULL, kind VARCHAR(8) NOT NULL, body TEXT,"
                        + " PRIMARY KEY (order_id, kind))");
                if (shape.equals("varchar")) {
                    st.execute("ALTER TABLE orders ALTER COLUMN signed_payload SET DATA TYPE VARCHAR(1000000)");
                    st.execute("ALTER TABLE orders ALTER COLUMN raw_request SET DATA TYPE VARCHAR(1000000)");
                    st.execute("ALTER TABLE order_events ALTER COLUMN venue_answer SET DATA TYPE VARCHAR(1000000)");
                }
            }
            c.setAutoCommit(false);
            Writes w = new Writes(c, shape.equals("narrow"));
            int warm = orders / 3;
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long cpu0 = 0;
            long t0 = 0;
            for (int i = 0; i < warm + orders; i++) {
                if (i == warm) {
                    cpu0 = mx.getCurrentThreadCpuTime();
                    t0 = System.nanoTime();
                }
                w.order(i);
            }
            long cpu = mx.getCurrentThreadCpuTime() - cpu0;
            long wall = System.nanoTime() - t0;
            long bytes;
            try (Stream<Path> files = Files.list(dir)) {
                bytes = files.mapToLong(p -> p.toFile().length()).sum();
            }
            System.out.printf(Locale.ROOT, "%s: %d orders, CPU %.1f us/order, wall %.1f us/order, file %.1f kB/order%n", shape, orders,
                    cpu / 1e3 / orders, wall / 1e3 / orders, bytes / 1024.0 / (warm + orders));
        }
    }

    /** The gateway's statements (OrderLedger's recordReceived, recordIntent, recordOutcome). */
    private static final class Writes {
        final Connection c;
        final boolean narrow;
        final PreparedStatement insert;
        final PreparedStatement event;
        final PreparedStatement intent;
        final PreparedStatement outcome;
        final PreparedStatement payload;

        Writes(Connection c, boolean narrow) throws SQLException {
            this.c = c;
            this.narrow = narrow;
            insert = c.prepareStatement("INSERT INTO orders (client_order_id, source, venue, market, token_id, outcome, side, price,"
                    + " size, order_type, time_in_force, expiration, post_only, state, raw_request, created_at, updated_at, reduce_only,"
                    + " owner, account) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", new String[] {"id"});
            event = c.prepareStatement("INSERT INTO order_events (order_id, at, from_state, to_state, source, detail, venue_answer)"
                    + " VALUES (?,?,?,?,?,?,?)");
            intent = c.prepareStatement("UPDATE orders SET state = ?, market = ?, token_id = ?, outcome = ?, order_hash = ?,"
                    + " signed_payload = ?, updated_at = ?, account = ? WHERE id = ? AND state = ?");
            outcome = c.prepareStatement("UPDATE orders SET state = ?, reason = ?, venue_order_id = COALESCE(?, venue_order_id),"
                    + " updated_at = ?, missing_since = NULL WHERE id = ? AND state = ?");
            payload = c.prepareStatement("INSERT INTO order_payloads (order_id, kind, body) VALUES (?,?,?)");
        }

        void order(int i) throws SQLException {
            Timestamp now = new Timestamp(System.currentTimeMillis());
            String raw = String.format(Locale.ROOT, RAW, i);
            Object[] row = {"load-" + i, "rest", "polymarket", "sim-btc-100k", null, "YES", "BUY", new BigDecimal("0.16"),
                new BigDecimal("5"), "LIMIT", "GTC", null, false, "RECEIVED", narrow ? null : raw, now, now, false, "gw-1", "main"};
            for (int k = 0; k < row.length; k++) {
                insert.setObject(k + 1, row[k]);
            }
            insert.executeUpdate();
            long id;
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
            event(id, now, null, "RECEIVED", "rest", null, null);
            payload(id, "raw", raw);
            c.commit();

            String hash = String.format(Locale.ROOT, "0x%064x", i);
            String signed = String.format(Locale.ROOT, SIGNED, i);
            Object[] set = {"PENDING_SUBMIT", "sim-btc-100k", "71321045679252212594626385532706912750332728571942532289631379312455583992563",
                "YES", hash, narrow ? null : signed, now, "main", id, "RECEIVED"};
            for (int k = 0; k < set.length; k++) {
                intent.setObject(k + 1, set[k]);
            }
            check(intent.executeUpdate());
            event(id, now, "RECEIVED", "PENDING_SUBMIT", "gateway", "signed; order hash " + hash, null);
            payload(id, "signed", signed);
            c.commit();

            Object[] out = {"LIVE", "venue status live", hash, now, id, "PENDING_SUBMIT"};
            for (int k = 0; k < out.length; k++) {
                outcome.setObject(k + 1, out[k]);
            }
            check(outcome.executeUpdate());
            event(id, now, "PENDING_SUBMIT", "LIVE", "polymarket", "venue status live", String.format(Locale.ROOT, ANSWER, i));
            c.commit();
        }

        void payload(long id, String kind, String body) throws SQLException {
            if (narrow) {
                payload.setLong(1, id);
                payload.setString(2, kind);
                payload.setString(3, body);
                payload.executeUpdate();
            }
        }

        void event(long id, Timestamp at, String from, String to, String source, String detail, String answer) throws SQLException {
            Object[] e = {id, at, from, to, source, detail, answer};
            for (int k = 0; k < e.length; k++) {
                event.setObject(k + 1, e[k]);
            }
            event.executeUpdate();
        }

        static void check(int updated) {
            if (updated != 1) {
                throw new IllegalStateException("expected one row, updated " + updated);
            }
        }
    }
}
