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
}
