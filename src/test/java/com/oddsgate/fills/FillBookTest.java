package com.oddsgate.fills;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.oddsgate.ledger.LedgerListener;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.order.Side;

/** The fill book on its own ledger (H2, the real migrations): exactly once under replay. */
class FillBookTest {

    FillBook book;
    FillQueries reads;
    JdbcTemplate jdbc;

    @BeforeEach
    void ledger() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:fills-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).load().migrate();
        jdbc = new JdbcTemplate(ds);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        book = new FillBook(jdbc, tx, new OrderLedger(jdbc, tx, Clock.systemUTC(), LedgerListener.NONE), Clock.systemUTC(),
                FillBook.Listener.NONE);
        reads = new FillQueries(jdbc);
    }

    /** 10,000 fills over 50 instruments, two accounts, both sides, several makers per trade, some buckets. */
    static List<Fill> fills(long seed, int n) {
        Random r = new Random(seed);
        List<Fill> out = new ArrayList<>();
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 0; out.size() < n; i++) {
            int makers = 1 + r.nextInt(3);
            int buckets = r.nextInt(10) == 0 ? 2 : 1;
            for (int b = 0; b < buckets; b++) {
                for (int m = 0; m < makers && out.size() < n; m++) {
                    out.add(new Fill("polymarket", "trade-" + i + (buckets > 1 ? "-b" + b : ""), b, "0xorder" + (i * 7 + m) % 3000,
                            null, "0xacct" + (m % 2), "market-" + (i % 50), "token-" + (i % 50), "YES",
                            r.nextBoolean() ? Side.BUY : Side.SELL, new BigDecimal(1 + r.nextInt(99)).movePointLeft(2),
                            new BigDecimal(1 + r.nextInt(100000)).movePointLeft(2), "MAKER", TradeStatus.MATCHED,
                            "taker-" + i + "@" + i, t0.plusSeconds(i)));
                }
            }
        }
        return out;
    }

    @Test
    void tenThousandFillsReplayedTwiceGiveIdenticalPositionsAndCounts() {
        List<Fill> fills = fills(42, 10_000);
        FillBook.Applied first = book.apply(fills, "polling");
        assertThat(first.added()).isEqualTo(10_000);
        List<Position> positions = reads.positions(null);
        assertThat(reads.count()).isEqualTo(10_000);

        List<Fill> replay = new ArrayList<>(fills);
        Collections.shuffle(replay, new Random(7));
        FillBook.Applied second = book.apply(replay, "websocket");
        assertThat(second.added()).isZero();
        assertThat(second.repeated()).isEqualTo(10_000);
        assertThat(reads.count()).isEqualTo(10_000);
        assertThat(reads.positions(null)).isEqualTo(positions);

        // Every position is the plain sum of its fills, exact to the last decimal.
        for (Position p : positions) {
            BigDecimal expected = fills.stream().filter(f -> f.account().equals(p.account()) && f.tokenId().equals(p.tokenId()))
                    .map(f -> f.side() == Side.BUY ? f.size() : f.size().negate()).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertThat(p.size()).isEqualByComparingTo(expected);
        }
    }

    @Test
    void aKalshiFillIsTiedByClientOrderIdOnlyToOurOrderInItsMarket() {
        // Our order, its placement answer lost (no venue id): its fills name it by client_order_id.
        jdbc.update("INSERT INTO orders (client_order_id, source, venue, market, side, price, size, state, created_at, updated_at)"
                + " VALUES ('desk-1', 'rest', 'kalshi', 'KXA-1', 'BUY', 0.5, 10, 'UNKNOWN', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        Instant at = Instant.parse("2026-12-07T10:00:00Z");
        // Another key's order under the same id, on another market: not ours.
        Fill elsewhere = new Fill("kalshi", "f-1", 0, "venue-other", "desk-1", "key-b", "KXB-2", "KXB-2", "YES", Side.BUY,
                new BigDecimal("0.40"), new BigDecimal("3"), "TAKER", TradeStatus.CONFIRMED, "f-1", at);
        Fill ours = new Fill("kalshi", "f-2", 0, "venue-ours", "desk-1", "key-a", "KXA-1", "KXA-1", "YES", Side.BUY,
                new BigDecimal("0.50"), new BigDecimal("4"), "TAKER", TradeStatus.CONFIRMED, "f-2", at);
        book.apply(List.of(elsewhere), "polling");
        book.apply(List.of(ours), "polling");
        assertThat(jdbc.queryForObject("SELECT venue_order_id FROM orders WHERE client_order_id = 'desk-1'", String.class))
                .as("the venue id learnt from our own fill only").isEqualTo("venue-ours");
        assertThat(jdbc.queryForObject("SELECT f.filled_size FROM order_fills f JOIN orders o ON o.id = f.order_id WHERE o.client_order_id = 'desk-1'", BigDecimal.class))
                .isEqualByComparingTo("4");
        assertThat(jdbc.queryForObject("SELECT order_id FROM fills WHERE trade_id = 'f-1'", Long.class)).isNull();
        // Once ours has its venue id, another order on the same market under the same id is not ours either.
        Fill sameMarket = new Fill("kalshi", "f-3", 0, "venue-third", "desk-1", "key-c", "KXA-1", "KXA-1", "YES", Side.BUY,
                new BigDecimal("0.50"), new BigDecimal("2"), "TAKER", TradeStatus.CONFIRMED, "f-3", at);
        book.apply(List.of(sameMarket), "polling");
        assertThat(jdbc.queryForObject("SELECT order_id FROM fills WHERE trade_id = 'f-3'", Long.class)).isNull();
        assertThat(jdbc.queryForObject("SELECT f.filled_size FROM order_fills f JOIN orders o ON o.id = f.order_id"
                + " WHERE o.client_order_id = 'desk-1'", BigDecimal.class)).isEqualByComparingTo("4");
    }

    @Test
    void statusOnlyMovesForwardAndAFailedTradeNoLongerCounts() {
        Fill f = fills(1, 1).get(0);
        book.apply(List.of(f), "websocket");
        book.apply(List.of(f.withStatus(TradeStatus.MINED)), "websocket");
        book.apply(List.of(f.withStatus(TradeStatus.MATCHED)), "polling"); // a stale snapshot
        assertThat(reads.list(null, null, null, 10).get(0).status()).isEqualTo(TradeStatus.MINED);
        book.apply(List.of(f.withStatus(TradeStatus.RETRYING)), "websocket");
        book.apply(List.of(f.withStatus(TradeStatus.FAILED)), "websocket");
        book.apply(List.of(f.withStatus(TradeStatus.CONFIRMED)), "websocket"); // FAILED is final
        FillRecord r = reads.list(null, null, null, 10).get(0);
        assertThat(r.status()).isEqualTo(TradeStatus.FAILED);
        assertThat(r.deliveries()).isEqualTo(6);
        assertThat(reads.positions(null)).isEmpty();
        assertThat(reads.count()).isEqualTo(1);
    }

    @Test
    void theStatusGraphHasNoWayBack() {
        assertThat(TradeStatus.MATCHED.canBecome(TradeStatus.MINED)).isTrue();
        assertThat(TradeStatus.MINED.canBecome(TradeStatus.MATCHED)).isFalse();
        assertThat(TradeStatus.RETRYING.canBecome(TradeStatus.MINED)).isTrue();
        assertThat(TradeStatus.CONFIRMED.canBecome(TradeStatus.FAILED)).isFalse();
        assertThat(TradeStatus.FAILED.canBecome(TradeStatus.CONFIRMED)).isFalse();
        assertThat(TradeStatus.parse("TRADE_STATUS_CONFIRMED")).isEqualTo(TradeStatus.CONFIRMED);
    }

    @Test
    void theUniqueKeyHoldsEvenAgainstAnotherWriter() {
        Fill f = fills(3, 1).get(0);
        book.apply(List.of(f), "polling");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> jdbc.update("INSERT INTO fills (venue, trade_id, bucket_index,"
                + " venue_order_id, account, token_id, side, price, size, status, match_group, matched_at, first_source,"
                + " deliveries, created_at, updated_at) SELECT venue, trade_id, bucket_index, venue_order_id, account, token_id,"
                + " side, price, size, status, match_group, matched_at, first_source, deliveries, created_at, updated_at FROM fills"))
                .isInstanceOf(org.springframework.dao.DuplicateKeyException.class);
    }

    /**
     * The order figures are running sums now (kept as fills are stored, fail or are adopted): after
     * batches of new fills, replays, stale and forward statuses, failed trades and orphans adopted
     * later, in any order, each order's filled size, sum and average are exactly what its fills that
     * count add up to, and its state follows.
     */
    @Test
    void orderFiguresAreTheSumsOfTheirFillsThatCountWhateverTheOrderOfDeliveries() {
        int orders = 200;
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            // Orders 150.. are placed later: their fills arrive as orphans first.
            if (i < 150) {
                rows.add(new Object[] {"sum-" + i, "0xorder" + i, i % 4 == 0 ? "NO" : "YES", i % 3 == 0 ? "500" : "1000000"});
            }
        }
        insertOrders(rows);
        Random r = new Random(11);
        List<Fill> deliveries = new ArrayList<>();
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 0; i < 3_000; i++) {
            int order = r.nextInt(orders);
            // Every fill on the YES book: for the NO orders (every fourth) that is the complement.
            Fill f = new Fill("polymarket", "sum-trade-" + i, 0, "0xorder" + order, null, "0xacct", "market", "token",
                    "YES", Side.BUY, new BigDecimal(1 + r.nextInt(99)).movePointLeft(2),
                    new BigDecimal(1 + r.nextInt(10_000)).movePointLeft(2), "MAKER", TradeStatus.MATCHED, "t-" + i, t0.plusSeconds(i));
            deliveries.add(f);
            deliveries.add(f); // a redelivery
            int fate = r.nextInt(10);
            if (fate < 6) {
                deliveries.add(f.withStatus(TradeStatus.MINED));
                deliveries.add(f.withStatus(TradeStatus.CONFIRMED));
            } else if (fate < 8) {
                deliveries.add(f.withStatus(TradeStatus.RETRYING));
                deliveries.add(f.withStatus(TradeStatus.FAILED));
                deliveries.add(f.withStatus(TradeStatus.CONFIRMED)); // too late: FAILED is final
            }
        }
        // One order whose only fill counts first and fails later: back to LIVE.
        insertOrders(List.<Object[]>of(new Object[] {"sum-lone", "0xlone", "YES", "1000000"}));
        Fill lone = new Fill("polymarket", "sum-trade-lone", 0, "0xlone", null, "0xacct", "market", "token", "YES", Side.BUY,
                new BigDecimal("0.5"), new BigDecimal("10"), "MAKER", TradeStatus.MATCHED, "t-lone", t0);
        book.apply(List.of(lone), "websocket");
        deliveries.add(lone.withStatus(TradeStatus.FAILED));
        Collections.shuffle(deliveries, new Random(5));
        int half = deliveries.size() / 2;
        for (int from = 0; from < half; from += 1 + r.nextInt(700)) {
            book.apply(deliveries.subList(from, Math.min(half, from + 1 + r.nextInt(700))), "polling");
        }
        List<Object[]> late = new ArrayList<>();
        for (int i = 150; i < orders; i++) {
            late.add(new Object[] {"sum-" + i, "0xorder" + i, "YES", "1000000"});
        }
        insertOrders(late);
        assertThat(book.adoptOrphans()).isPositive();
        for (int from = 0; from < deliveries.size(); from += 500) {
            book.apply(deliveries.subList(from, Math.min(deliveries.size(), from + 500)), "websocket");
        }
        book.apply(deliveries, "polling"); // everything once more, in one batch

        List<java.util.Map<String, Object>> figures = jdbc.queryForList("SELECT o.id, o.state, o.size, COALESCE(sums.filled_size, 0) AS filled_size,"
                + " COALESCE(sums.filled_notional, 0) AS filled_notional, sums.avg_fill_price, o.outcome,"
                + " (SELECT COALESCE(SUM(f.size), 0) FROM fills f WHERE f.order_id = o.id AND f.status <> 'FAILED') AS s,"
                + " (SELECT COALESCE(SUM(f.size * f.price), 0) FROM fills f WHERE f.order_id = o.id AND f.status <> 'FAILED') AS n,"
                + " (SELECT COUNT(*) FROM fills f WHERE f.order_id = o.id) AS c FROM orders o LEFT JOIN order_fills sums ON sums.order_id = o.id");
        assertThat(figures).hasSize(orders + 1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM fills WHERE order_id IS NULL", Integer.class)).isZero();
        int partly = 0;
        int complements = 0;
        for (java.util.Map<String, Object> o : figures) {
            BigDecimal sum = (BigDecimal) o.get("S");
            BigDecimal notional = (BigDecimal) o.get("N");
            assertThat((BigDecimal) o.get("FILLED_SIZE")).as("order %s", o.get("ID")).isEqualByComparingTo(sum);
            assertThat((BigDecimal) o.get("FILLED_NOTIONAL")).as("order %s", o.get("ID")).isEqualByComparingTo(notional);
            if (sum.signum() == 0) {
                assertThat(o.get("AVG_FILL_PRICE")).isNull();
                assertThat(o.get("STATE")).as("order %s, every fill failed or none", o.get("ID")).isEqualTo("LIVE");
                continue;
            }
            BigDecimal average = notional.divide(sum, 10, java.math.RoundingMode.HALF_EVEN);
            boolean complement = "NO".equals(o.get("OUTCOME"));
            complements += complement ? 1 : 0;
            assertThat((BigDecimal) o.get("AVG_FILL_PRICE")).as("order %s", o.get("ID"))
                    .isEqualByComparingTo(complement ? BigDecimal.ONE.subtract(average) : average);
            boolean filled = ((BigDecimal) o.get("SIZE")).subtract(sum).compareTo(OrderRollUp.DUST) < 0;
            assertThat(o.get("STATE")).as("order %s", o.get("ID")).isEqualTo(filled ? "FILLED" : "PARTIALLY_FILLED");
            partly += filled ? 0 : 1;
        }
        assertThat(partly).isPositive();
        assertThat(complements).isPositive();
        // The lone order's fill failed after counting: back to LIVE (checked above), with a history to show it.
        assertThat(jdbc.queryForList("SELECT o.client_order_id FROM order_events e JOIN orders o ON o.id = e.order_id"
                + " WHERE e.from_state = 'PARTIALLY_FILLED' AND e.to_state = 'LIVE'", String.class)).containsExactly("sum-lone");
    }

    /**
     * Another writer (a gateway that was leader a moment ago) adds a fill to an order between this
     * batch's read and its write: the write is refused, the order read again, and the batch's fill
     * added on top; the order's state follows the sum as written (here: FILLED, not left behind).
     */
    @Test
    void aFillAddedByAnotherWriterInBetweenIsKeptAndTheStateFollowsTheSumWritten() {
        insertOrders(List.<Object[]>of(new Object[] {"race-1", "0xrace", "YES", "10"}));
        long id = jdbc.queryForObject("SELECT id FROM orders WHERE client_order_id = 'race-1'", Long.class);
        JdbcTemplate other = new JdbcTemplate(jdbc.getDataSource());
        boolean[] raced = {false};
        JdbcTemplate racing = new JdbcTemplate(jdbc.getDataSource()) {
            @Override
            public int[] batchUpdate(String sql, List<Object[]> batchArgs) {
                if (!raced[0] && sql.startsWith("UPDATE order_fills SET filled_size")) {
                    raced[0] = true;
                    // Committed on its own connection, as the other gateway's batch would be: the order's first sums.
                    other.update("INSERT INTO order_fills (order_id, filled_size, filled_notional, avg_fill_price, filled_at)"
                            + " VALUES (?, 4, 2, 0.5, CURRENT_TIMESTAMP)", id);
                    other.update("UPDATE orders SET state = 'PARTIALLY_FILLED' WHERE id = ?", id);
                }
                return super.batchUpdate(sql, batchArgs);
            }
        };
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        FillBook racy = new FillBook(racing, tx, new OrderLedger(racing, tx, Clock.systemUTC(), LedgerListener.NONE),
                Clock.systemUTC(), FillBook.Listener.NONE);
        racy.apply(List.of(new Fill("polymarket", "race-trade", 0, "0xrace", null, "0xacct", "market", "token", "YES", Side.BUY,
                new BigDecimal("0.25"), new BigDecimal("6"), "MAKER", TradeStatus.MATCHED, "g", Instant.now())), "polling");
        assertThat(raced[0]).isTrue();
        java.util.Map<String, Object> o = jdbc.queryForMap("SELECT state, filled_size, filled_notional, avg_fill_price FROM "
                + OrderLedger.ORDERS + " WHERE id = ?", id);
        assertThat((BigDecimal) o.get("FILLED_SIZE")).isEqualByComparingTo("10");
        assertThat((BigDecimal) o.get("FILLED_NOTIONAL")).isEqualByComparingTo("3.5");
        assertThat((BigDecimal) o.get("AVG_FILL_PRICE")).isEqualByComparingTo("0.35");
        assertThat(o.get("STATE")).isEqualTo("FILLED");
    }

    /**
     * An order recorded CANCELED on a "no longer open" whose trades came late: fills of part of it
     * keep it CANCELED (the rest was cancelled); fills of its whole size show it filled.
     */
    @Test
    void aCanceledOrderWhoseLateFillsAddUpToItsSizeIsFilledAndOnePartlyFilledStaysCanceled() {
        insertOrders(List.<Object[]>of(new Object[] {"late-1", "0xlate1", "YES", "10"}, new Object[] {"late-2", "0xlate2", "YES", "10"}));
        jdbc.update("UPDATE orders SET state = 'CANCELED' WHERE client_order_id LIKE 'late-%'");
        book.apply(List.of(fill("late-a", "0xlate1", "4"), fill("late-b", "0xlate2", "4")), "polling");
        assertThat(jdbc.queryForList("SELECT state FROM orders WHERE client_order_id LIKE 'late-%' ORDER BY id", String.class))
                .containsExactly("CANCELED", "CANCELED");
        book.apply(List.of(fill("late-c", "0xlate1", "6")), "polling");
        assertThat(jdbc.queryForList("SELECT state FROM orders WHERE client_order_id LIKE 'late-%' ORDER BY id", String.class))
                .containsExactly("FILLED", "CANCELED");
    }

    /** Every fill of an order taken back (its trades FAILED): a resting order rests again, a FOK or FAK failed. */
    @Test
    void anOrderWhoseEveryFillFailedRestsAgainUnlessItWasMarketable() {
        insertOrders(List.<Object[]>of(new Object[] {"gtc-1", "0xgtc1", "YES", "10"}, new Object[] {"fok-1", "0xfok1", "YES", "10"}));
        jdbc.update("UPDATE orders SET order_type = 'LIMIT', time_in_force = 'GTC' WHERE client_order_id = 'gtc-1'");
        jdbc.update("UPDATE orders SET order_type = 'LIMIT', time_in_force = 'FOK' WHERE client_order_id = 'fok-1'");
        Fill gtc = fill("gtc-trade", "0xgtc1", "10");
        Fill fok = fill("fok-trade", "0xfok1", "10");
        book.apply(List.of(gtc, fok), "websocket");
        assertThat(jdbc.queryForList("SELECT state FROM orders WHERE client_order_id IN ('gtc-1', 'fok-1') ORDER BY id", String.class))
                .containsExactly("FILLED", "FILLED");
        book.apply(List.of(gtc.withStatus(TradeStatus.FAILED), fok.withStatus(TradeStatus.FAILED)), "websocket");
        assertThat(jdbc.queryForList("SELECT state FROM orders WHERE client_order_id IN ('gtc-1', 'fok-1') ORDER BY id", String.class))
                .containsExactly("LIVE", "FAILED");
    }

    /**
     * An order answered "matched" whose trades are first seen FAILED counted no fill, so no fill could
     * move it: it sat MATCHED for good. Its trades all failed: a resting order rests again (the open-order
     * sync holds it against the book), a FOK or FAK failed — and a trade of its seen later still counts.
     */
    @Test
    void aMatchedOrderWhoseTradesAreFirstSeenFailedLeavesMatchedAndALaterTradeStillCounts() {
        insertOrders(List.<Object[]>of(new Object[] {"m-gtc", "0xmgtc", "YES", "10"}, new Object[] {"m-fak", "0xmfak", "YES", "10"}));
        jdbc.update("UPDATE orders SET state = 'MATCHED', time_in_force = 'GTC' WHERE client_order_id = 'm-gtc'");
        jdbc.update("UPDATE orders SET state = 'MATCHED', time_in_force = 'FAK' WHERE client_order_id = 'm-fak'");
        book.apply(List.of(fill("m-gtc-a", "0xmgtc", "10").withStatus(TradeStatus.FAILED),
                fill("m-fak-a", "0xmfak", "6").withStatus(TradeStatus.FAILED)), "websocket");
        assertThat(jdbc.queryForList("SELECT state FROM orders WHERE client_order_id IN ('m-gtc', 'm-fak') ORDER BY id", String.class))
                .containsExactly("LIVE", "FAILED");
        // The FAK's second maker's trade, seen after the first one failed: it traded after all.
        book.apply(List.of(fill("m-fak-b", "0xmfak", "4")), "websocket");
        assertThat(jdbc.queryForMap("SELECT state, filled_size FROM orders o JOIN order_fills s ON s.order_id = o.id"
                + " WHERE client_order_id = 'm-fak'")).containsEntry("STATE", "PARTIALLY_FILLED");
    }

    private static Fill fill(String trade, String order, String size) {
        return new Fill("polymarket", trade, 0, order, null, "0xacct", "market", "token", "YES", Side.BUY, new BigDecimal("0.5"),
                new BigDecimal(size), "MAKER", TradeStatus.MATCHED, "g-" + trade, Instant.now());
    }

    /**
     * Kalshi does not document whether a fill frame's trade_id is the REST fill's trade_id or its
     * fill_id (kalshi-2026.json, websocket notes): either way, and whichever source comes first, one fill.
     */
    @Test
    void aKalshiFillSeenOnTheChannelAndPolledIsOneFillWhicheverIdTheFrameCarries() {
        book.knownByTwoIds("kalshi");
        String[][] cases = { // frame's id, which source first
            {"T", "frame"}, {"T", "poll"}, {"F", "frame"}, {"F", "poll"}};
        for (String[] c : cases) {
            String order = "k-order-" + c[0] + "-" + c[1];
            Fill polled = kalshi("T-" + order, "F-" + order, order);
            Fill frame = kalshi((c[0].equals("T") ? "T-" : "F-") + order, null, order);
            List<Fill> first = List.of(c[1].equals("frame") ? frame : polled);
            List<Fill> second = List.of(c[1].equals("frame") ? polled : frame);
            assertThat(book.apply(first, "first").added()).isEqualTo(1);
            assertThat(book.apply(second, "second").added()).as(String.join("/", c)).isZero();
            assertThat(book.apply(List.of(polled, frame), "both").added()).as("again, in one batch").isZero();
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM fills WHERE venue_order_id = ?", Integer.class, order))
                    .as(String.join("/", c)).isEqualTo(1);
        }
        // In one batch, the frame first: one fill too.
        Fill polled = kalshi("T-batch", "F-batch", "k-batch");
        assertThat(book.apply(List.of(kalshi("F-batch", null, "k-batch"), polled), "both").added()).isEqualTo(1);
        assertThat(book.apply(List.of(kalshi("F-batch", null, "k-batch")), "websocket").added()).as("its alias kept").isZero();
        // Another fill of the same order is still another fill.
        assertThat(book.apply(List.of(kalshi("T-other", "F-other", "k-batch")), "polling").added()).isEqualTo(1);
    }

    /**
     * Two writers (an instance's poll, another's stream) store one Kalshi fill under its two ids at
     * once: each read finds nothing, but the second to commit fails on the first's claim of the id
     * and applies its batch again from a fresh read — one fill (review: two rows, counted twice).
     */
    @Test
    void twoWritersStoringOneKalshiFillUnderItsTwoIdsAtOnceStoreItOnce() {
        JdbcTemplate other = new JdbcTemplate(jdbc.getDataSource());
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        FillBook stream = new FillBook(other, tx, new OrderLedger(other, tx, Clock.systemUTC(), LedgerListener.NONE), Clock.systemUTC(),
                FillBook.Listener.NONE);
        stream.knownByTwoIds("kalshi");
        boolean[] raced = {false};
        JdbcTemplate racing = new JdbcTemplate(jdbc.getDataSource()) {
            @Override
            public int[] batchUpdate(String sql, List<Object[]> batchArgs) {
                if (!raced[0] && sql.startsWith("INSERT INTO fills")) {
                    raced[0] = true;
                    // The frame, naming the fill by its fill_id, stored and committed by the other writer (its own thread,
                    // so its own transaction) right now.
                    try {
                        java.util.concurrent.Executors.newSingleThreadExecutor()
                                .submit(() -> stream.apply(List.of(kalshi("F-race", null, "k-race")), "websocket")).get();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                return super.batchUpdate(sql, batchArgs);
            }
        };
        FillBook poll = new FillBook(racing, tx, new OrderLedger(racing, tx, Clock.systemUTC(), LedgerListener.NONE), Clock.systemUTC(),
                FillBook.Listener.NONE);
        poll.knownByTwoIds("kalshi");
        poll.apply(List.of(kalshi("T-race", "F-race", "k-race")), "polling");
        assertThat(raced[0]).isTrue();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM fills WHERE venue_order_id = 'k-race'", Integer.class)).isEqualTo(1);
    }

    private static Fill kalshi(String tradeId, String fillId, String order) {
        return new Fill("kalshi", tradeId, 0, order, null, "key-1", "KX-T", "KX-T", "YES", Side.BUY, new BigDecimal("0.55"),
                new BigDecimal("4"), "TAKER", TradeStatus.CONFIRMED, tradeId, Instant.now(), null, fillId);
    }

    /** A fee a later delivery reports is filled in where the row has none; one the row holds is never replaced. */
    @Test
    void aFeeReportedByALaterDeliveryIsFilledInNeverReplaced() {
        Fill bare = fill("fee-trade", "0xfee", "2");
        book.apply(List.of(bare), "polling");
        assertThat(reads.list(null, null, null, 10).get(0).fee()).isNull();
        Fill withFee = new Fill(bare.venue(), bare.tradeId(), 0, bare.venueOrderId(), null, bare.account(), bare.market(), bare.tokenId(),
                "YES", Side.BUY, bare.price(), bare.size(), "MAKER", TradeStatus.MATCHED, bare.matchGroup(), bare.matchedAt(),
                new BigDecimal("0.0346"));
        book.apply(List.of(withFee), "polling"); // a repeat
        assertThat(reads.list(null, null, null, 10).get(0).fee()).isEqualByComparingTo("0.0346");
        book.apply(List.of(new Fill(bare.venue(), bare.tradeId(), 0, bare.venueOrderId(), null, bare.account(), bare.market(),
                bare.tokenId(), "YES", Side.BUY, bare.price(), bare.size(), "MAKER", TradeStatus.CONFIRMED, bare.matchGroup(),
                bare.matchedAt(), new BigDecimal("9"))), "polling"); // a step forward, another figure
        assertThat(reads.list(null, null, null, 10).get(0).fee()).isEqualByComparingTo("0.0346");
        assertThat(reads.list(null, null, null, 10).get(0).status()).isEqualTo(TradeStatus.CONFIRMED);
    }

    /** An orphan failed by another writer between its adoption's read and its update is adopted later, never counted. */
    @Test
    void anOrphanFailedInBetweenIsNotCountedWhenAdopted() {
        Fill orphan = new Fill("polymarket", "orphan-trade", 0, "0xorphan", null, "0xacct", "market", "token", "YES", Side.BUY,
                new BigDecimal("0.5"), new BigDecimal("3"), "MAKER", TradeStatus.MATCHED, "g", Instant.now());
        book.apply(List.of(orphan), "polling");
        insertOrders(List.<Object[]>of(new Object[] {"orphan-1", "0xorphan", "YES", "100"}));
        JdbcTemplate other = new JdbcTemplate(jdbc.getDataSource());
        boolean[] raced = {false};
        JdbcTemplate racing = new JdbcTemplate(jdbc.getDataSource()) {
            @Override
            public int update(String sql, Object... args) {
                if (!raced[0] && sql.startsWith("UPDATE fills SET order_id")) {
                    raced[0] = true;
                    other.update("UPDATE fills SET status = 'FAILED' WHERE trade_id = 'orphan-trade'");
                }
                return super.update(sql, args);
            }
        };
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        FillBook racy = new FillBook(racing, tx, new OrderLedger(racing, tx, Clock.systemUTC(), LedgerListener.NONE),
                Clock.systemUTC(), FillBook.Listener.NONE);
        racy.adoptOrphans();
        assertThat(raced[0]).isTrue();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM fills WHERE order_id IS NULL", Integer.class)).isEqualTo(1);
        racy.adoptOrphans(); // seen again, as it is now
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM fills WHERE order_id IS NULL", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT COALESCE(filled_size, 0) FROM " + OrderLedger.ORDERS + " WHERE client_order_id = 'orphan-1'",
                BigDecimal.class)).isZero();
    }

    /** A size or price finer than its column is summed as the row stores it, so a fill failed later leaves nothing behind. */
    @Test
    void sumsUseTheStoredScale() {
        insertOrders(List.<Object[]>of(new Object[] {"scale-1", "0xscale", "YES", "1000"}));
        Fill a = new Fill("polymarket", "scale-a", 0, "0xscale", null, "0xacct", "market", "token", "YES", Side.BUY,
                new BigDecimal("0.3333335"), new BigDecimal("1.0000005"), "MAKER", TradeStatus.MATCHED, "g", Instant.now());
        Fill b = new Fill("polymarket", "scale-b", 0, "0xscale", null, "0xacct", "market", "token", "YES", Side.BUY,
                new BigDecimal("0.3333335"), new BigDecimal("1.0000005"), "MAKER", TradeStatus.MATCHED, "g", Instant.now());
        book.apply(List.of(a, b), "polling");
        book.apply(List.of(a.withStatus(TradeStatus.FAILED)), "polling");
        java.util.Map<String, Object> o = jdbc.queryForMap("SELECT sums.filled_size, sums.filled_notional,"
                + " (SELECT SUM(size) FROM fills WHERE order_id = o.id AND status <> 'FAILED') AS s,"
                + " (SELECT SUM(size * price) FROM fills WHERE order_id = o.id AND status <> 'FAILED') AS n"
                + " FROM orders o JOIN order_fills sums ON sums.order_id = o.id WHERE client_order_id = 'scale-1'");
        assertThat((BigDecimal) o.get("FILLED_SIZE")).isEqualByComparingTo((BigDecimal) o.get("S"));
        assertThat((BigDecimal) o.get("FILLED_NOTIONAL")).isEqualByComparingTo((BigDecimal) o.get("N"));
    }

    @Test
    void orderFiguresAreWrittenOnlyIfStillAsRead() {
        insertOrders(List.<Object[]>of(new Object[] {"cas-1", "0xcas", "YES", "100"}));
        long id = jdbc.queryForObject("SELECT id FROM orders WHERE client_order_id = 'cas-1'", Long.class);
        OrderLedger ledger = new OrderLedger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource())),
                Clock.systemUTC(), LedgerListener.NONE);
        BigDecimal ten = BigDecimal.TEN;
        assertThat(ledger.recordFilled(List.of(new OrderLedger.Filled(id, ten, new BigDecimal("5"), new BigDecimal("0.5"),
                BigDecimal.ZERO, BigDecimal.ZERO)))).isEmpty();
        // A second writer that read the order before the first wrote: refused, not added on top.
        assertThat(ledger.recordFilled(List.of(new OrderLedger.Filled(id, ten, new BigDecimal("5"), new BigDecimal("0.5"),
                BigDecimal.ZERO, BigDecimal.ZERO)))).containsExactly(id);
        assertThat(jdbc.queryForObject("SELECT filled_size FROM order_fills WHERE order_id = ?", BigDecimal.class, id))
                .isEqualByComparingTo(ten);
    }

    @Test
    void positionsOfSomeInstrumentsAreTheWholeBooksRowsForThem() {
        book.apply(fills(9, 2_000), "polling");
        List<Position> all = reads.positions("polymarket");
        List<Position> some = reads.positions("polymarket", List.of("token-3", "token-17", "token-none"));
        assertThat(some).isNotEmpty().containsExactlyElementsOf(all.stream()
                .filter(p -> p.tokenId().equals("token-3") || p.tokenId().equals("token-17")).toList());
        assertThat(reads.positions("kalshi", List.of("token-3"))).isEmpty();
    }

    /**
     * A batch is stored {@link FillBook#TRANSACTION} fills per transaction. One cut short after its
     * first transaction (the ledger failed in the second) keeps what was committed, and applied again
     * adds only the rest: the orders' sums and states end as if it had gone through at once.
     */
    @Test
    void aBatchCutShortBetweenItsTransactionsIsWholeWhenAppliedAgain() {
        List<Object[]> orders = new ArrayList<>();
        for (int o = 0; o < 20; o++) {
            orders.add(new Object[] {"cut-" + o, "0xcut" + o, "YES", "100"});
        }
        insertOrders(orders);
        List<Fill> fills = new ArrayList<>();
        for (int i = 0; i < FillBook.TRANSACTION * 2 + 100; i++) {
            fills.add(new Fill("polymarket", "cut-trade-" + i, 0, "0xcut" + (i % 20), null, "0xacct", "market", "token", "YES",
                    Side.BUY, new BigDecimal("0.40"), BigDecimal.ONE, "MAKER", TradeStatus.MATCHED, "g" + i, Instant.now()));
        }
        int[] inserts = {0};
        JdbcTemplate failing = new JdbcTemplate(jdbc.getDataSource()) {
            @Override
            public int[] batchUpdate(String sql, List<Object[]> batchArgs) {
                if (sql.startsWith("INSERT INTO fills") && ++inserts[0] == 2) {
                    throw new org.springframework.dao.DataAccessResourceFailureException("ledger gone");
                }
                return super.batchUpdate(sql, batchArgs);
            }
        };
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        FillBook cut = new FillBook(failing, tx, new OrderLedger(failing, tx, Clock.systemUTC(), LedgerListener.NONE),
                Clock.systemUTC(), FillBook.Listener.NONE);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cut.apply(fills, "polling"))
                .isInstanceOf(org.springframework.dao.DataAccessResourceFailureException.class);
        assertThat(reads.count()).isEqualTo(FillBook.TRANSACTION);

        FillBook.Applied again = book.apply(fills, "polling");
        assertThat(again.added()).isEqualTo(fills.size() - FillBook.TRANSACTION);
        assertThat(again.repeated()).isEqualTo(FillBook.TRANSACTION);
        assertThat(reads.count()).isEqualTo(fills.size());
        List<java.util.Map<String, Object>> figures = jdbc.queryForList("SELECT state, filled_size, filled_notional, avg_fill_price"
                + " FROM " + OrderLedger.ORDERS + " WHERE client_order_id LIKE 'cut-%'");
        assertThat(figures).hasSize(20).allSatisfy(o -> {
            assertThat((BigDecimal) o.get("FILLED_SIZE")).isEqualByComparingTo(String.valueOf(fills.size() / 20));
            assertThat((BigDecimal) o.get("FILLED_NOTIONAL")).isEqualByComparingTo(new BigDecimal("0.40").multiply(
                    BigDecimal.valueOf(fills.size() / 20)));
            assertThat((BigDecimal) o.get("AVG_FILL_PRICE")).isEqualByComparingTo("0.40");
            assertThat(o.get("STATE")).isEqualTo("PARTIALLY_FILLED");
        });
    }

    /**
     * Two writers adding an order's first fills at once: the second one's insert of the order's sums
     * meets the first one's row — on PostgreSQL as a unique-key error that also ends its transaction
     * (the row was not committed yet when it looked). Its part is read and applied again, adding on
     * top; no fill is taken for one that does not fit.
     */
    @Test
    void aDuplicateKeyOnAnOrdersFirstSumsIsReadAgainNotQuarantined() {
        insertOrders(List.<Object[]>of(new Object[] {"dup-1", "0xdup", "YES", "10"}));
        long id = jdbc.queryForObject("SELECT id FROM orders WHERE client_order_id = 'dup-1'", Long.class);
        // Another data source on the same database: its write commits on its own, outside this thread's transaction.
        JdbcDataSource otherSource = new JdbcDataSource();
        otherSource.setURL(((JdbcDataSource) jdbc.getDataSource()).getURL());
        JdbcTemplate other = new JdbcTemplate(otherSource);
        boolean[] raced = {false};
        JdbcTemplate racing = new JdbcTemplate(jdbc.getDataSource()) {
            @Override
            public int[] batchUpdate(String sql, List<Object[]> batchArgs) {
                if (!raced[0] && sql.startsWith("INSERT INTO order_fills")) {
                    raced[0] = true;
                    other.update("INSERT INTO order_fills (order_id, filled_size, filled_notional, avg_fill_price, filled_at)"
                            + " VALUES (?, 4, 2, 0.5, CURRENT_TIMESTAMP)", id);
                    throw new org.springframework.dao.DuplicateKeyException("duplicate key value violates unique constraint");
                }
                return super.batchUpdate(sql, batchArgs);
            }
        };
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        FillBook racy = new FillBook(racing, tx, new OrderLedger(racing, tx, Clock.systemUTC(), LedgerListener.NONE),
                Clock.systemUTC(), FillBook.Listener.NONE);
        FillBook.Applied applied = racy.apply(List.of(new Fill("polymarket", "dup-trade", 0, "0xdup", null, "0xacct", "market", "token",
                "YES", Side.BUY, new BigDecimal("0.25"), new BigDecimal("6"), "MAKER", TradeStatus.MATCHED, "g", Instant.now())),
                "polling");
        assertThat(raced[0]).isTrue();
        assertThat(applied.added()).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM dead_letters", Integer.class)).isZero();
        java.util.Map<String, Object> o = jdbc.queryForMap("SELECT state, filled_size, filled_notional FROM " + OrderLedger.ORDERS
                + " WHERE id = ?", id);
        assertThat((BigDecimal) o.get("FILLED_SIZE")).isEqualByComparingTo("10");
        assertThat((BigDecimal) o.get("FILLED_NOTIONAL")).isEqualByComparingTo("3.5");
        assertThat(o.get("STATE")).isEqualTo("FILLED");
    }

    private void insertOrders(List<Object[]> rows) {
        jdbc.batchUpdate("INSERT INTO orders (client_order_id, source, venue, market, token_id, outcome, side, price, size,"
                + " state, order_hash, created_at, updated_at) VALUES (?, 'rest', 'polymarket', 'market', 'token', ?, 'BUY',"
                + " 0.5, ?, 'LIVE', ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                rows.stream().map(o -> new Object[] {o[0], o[2], new BigDecimal((String) o[3]), o[1]}).toList());
    }
}
