package com.oddsgate.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import com.oddsgate.fills.FillQueries;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.Outcome;
import com.oddsgate.order.Side;

/**
 * An amend's replacement passes the limits before its original is cancelled and is recorded only
 * after that cancel: in between it still counts (as an open order of its own), so an order checked
 * in that window cannot take the room the replacement was given.
 */
class AmendWindowTest {

    JdbcTemplate jdbc;

    @BeforeEach
    void ledger() {
        DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:amend-window-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                "sa", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        // The original: 10 YES at 0.30, resting.
        jdbc.update("INSERT INTO orders (id, client_order_id, source, venue, market, token_id, outcome, side, price, size, state,"
                + " created_at, updated_at) VALUES (1, 'orig', 'test', 'polymarket', '0xc', '111', 'YES', 'BUY', 0.30, 10, 'LIVE', ?, ?)",
                now(), now());
    }

    static Timestamp now() {
        return Timestamp.from(Instant.now());
    }

    PreTradeRisk risk(PreTradeRisk.Limits limits) {
        return new PreTradeRisk(jdbc, new FillQueries(jdbc), null, null, t -> null, Clock.systemUTC(), limits, Duration.ZERO);
    }

    /** The replacement (20 at 0.30) passes every limit given, then its original is cancelled at the venue. */
    OrderTicket amendUnderWay(PreTradeRisk risk) {
        OrderTicket replacement = EventLimitTest.order("polymarket", Outcome.YES, Side.BUY, "20");
        replacement.setReplacesOrderId(1L);
        check(risk, replacement);
        risk.passed(replacement, null);
        jdbc.update("UPDATE orders SET state = 'CANCELED' WHERE id = 1");
        return replacement;
    }

    static void check(PreTradeRisk risk, OrderTicket t) {
        risk.openOrders(t);
        risk.position(t);
        risk.dailyNotional(t);
    }

    static String refusal(PreTradeRisk risk, OrderTicket t, Consumer<OrderTicket> limit) {
        OrderRejectedException e = catchThrowableOfType(() -> limit.accept(t), OrderRejectedException.class);
        return e == null ? null : e.getMessage();
    }

    @Test
    void theReplacementCountsAsAnOpenOrderUntilItIsRecordedAndThenAsItself() {
        PreTradeRisk risk = risk(new PreTradeRisk.Limits(null, 1, null, null, null, null));
        OrderTicket replacement = amendUnderWay(risk);
        OrderTicket other = EventLimitTest.order("polymarket", Outcome.YES, Side.BUY, "1");
        assertThat(refusal(risk, other, risk::openOrders)).contains("max open orders 1", "1 are open already");

        // Recorded (RECEIVED, on its way to be signed): counted as itself.
        jdbc.update("INSERT INTO orders (id, client_order_id, source, venue, market, token_id, outcome, side, price, size, state,"
                + " replaces_order_id, created_at, updated_at) VALUES (2, 'repl', 'amend', 'polymarket', '0xc', '111', 'YES', 'BUY',"
                + " 0.30, 20, 'RECEIVED', 1, ?, ?)", now(), now());
        replacement.setOrderId(2L);
        risk.recorded(replacement);
        assertThat(refusal(risk, other, risk::openOrders)).contains("1 are open already");
        // Refused at its venue: it counts no more.
        jdbc.update("UPDATE orders SET state = 'REJECTED' WHERE id = 2");
        assertThat(refusal(risk, other, risk::openOrders)).isNull();
    }

    @Test
    void theReplacementsSizeAndNotionalCountBeforeItIsRecorded() {
        PreTradeRisk risk = risk(new PreTradeRisk.Limits(null, null, new BigDecimal("25"), new BigDecimal("10"), null, null));
        amendUnderWay(risk);
        // 10 more of the same token: 20 (the replacement) + 10 > 25.
        assertThat(refusal(risk, EventLimitTest.order("polymarket", Outcome.YES, Side.BUY, "10"), risk::position))
                .contains("max position 25", "open orders' 20");
        // 20 × 0.30 = 6 more today: the replacement's 6 + 6 > 10 (the cancelled original counts only what it filled: 0).
        assertThat(refusal(risk, EventLimitTest.order("polymarket", Outcome.YES, Side.BUY, "20"), risk::dailyNotional))
                .contains("max daily notional 10", "12 with this order");
        assertThat(refusal(risk, EventLimitTest.order("polymarket", Outcome.YES, Side.BUY, "5"), risk::position)).isNull();
    }

    @Test
    void anAmendThatPlacedNoReplacementLeavesNothingCounted() {
        PreTradeRisk risk = risk(new PreTradeRisk.Limits(null, 1, null, null, null, null));
        OrderTicket replacement = EventLimitTest.order("polymarket", Outcome.YES, Side.BUY, "20");
        replacement.setReplacesOrderId(1L);
        risk.passed(replacement, null);
        // The venue refused the cancel: the original stays LIVE (and counts), the replacement is not placed.
        risk.amendEnded(replacement);
        jdbc.update("UPDATE orders SET state = 'CANCELED' WHERE id = 1"); // cancelled later, by another request
        assertThat(refusal(risk, EventLimitTest.order("polymarket", Outcome.YES, Side.BUY, "1"), risk::openOrders)).isNull();
    }

    void recordReplacement(long id, String size) {
        jdbc.update("INSERT INTO orders (id, client_order_id, source, venue, market, token_id, outcome, side, price, size, state,"
                + " replaces_order_id, created_at, updated_at) VALUES (?, ?, 'amend', 'polymarket', '0xc', '111', 'YES', 'BUY',"
                + " 0.30, ?, 'RECEIVED', 1, ?, ?)", id, "repl-" + id, new BigDecimal(size), now(), now());
    }

    @Test
    void aReplacementRecordedAfterItsPendingEntryIsGoneStillCountsAsItself() {
        PreTradeRisk risk = risk(new PreTradeRisk.Limits(null, 1, null, null, null, null));
        OrderTicket replacement = amendUnderWay(risk);
        risk.amendEnded(replacement); // its entry gone (as after the backstop expiry) while the amend still goes on
        recordReplacement(2, "20");
        replacement.setOrderId(2L);
        risk.recorded(replacement);
        assertThat(refusal(risk, EventLimitTest.order("polymarket", Outcome.YES, Side.BUY, "1"), risk::openOrders))
                .contains("1 are open already");
    }

    @Test
    void twoAmendsOfOneOriginalCountEachAndEndEachTheirOwn() {
        PreTradeRisk risk = risk(new PreTradeRisk.Limits(null, null, new BigDecimal("35"), null, null, null));
        OrderTicket first = amendUnderWay(risk);
        OrderTicket second = EventLimitTest.order("polymarket", Outcome.YES, Side.BUY, "15");
        second.setReplacesOrderId(1L);
        // The second's check sees the first's 20 (not its own): 20 + 15 = 35, at the limit.
        assertThat(refusal(risk, second, risk::position)).isNull();
        risk.passed(second, null);
        assertThat(risk.pendingReplacements()).isEqualTo(2);
        assertThat(refusal(risk, EventLimitTest.order("polymarket", Outcome.YES, Side.BUY, "1"), risk::position))
                .contains("open orders' 35");
        // The first is recorded: the second still pends, by itself.
        recordReplacement(2, "20");
        first.setOrderId(2L);
        risk.recorded(first);
        assertThat(risk.pendingReplacements()).isEqualTo(1);
        assertThat(refusal(risk, EventLimitTest.order("polymarket", Outcome.YES, Side.BUY, "1"), risk::position))
                .contains("open orders' 35");
        risk.amendEnded(second);
        assertThat(risk.pendingReplacements()).isZero();
        assertThat(refusal(risk, EventLimitTest.order("polymarket", Outcome.YES, Side.BUY, "15"), risk::position)).isNull();
    }

    @Test
    void aReplacementThatTurnsOutADuplicatePendsNoMore() {
        PreTradeRisk risk = risk(new PreTradeRisk.Limits(null, 1, null, null, null, null));
        OrderTicket replacement = amendUnderWay(risk);
        replacement.setOrderId(1L);
        replacement.setDuplicate(true);
        risk.recorded(replacement);
        assertThat(risk.pendingReplacements()).isZero();
        assertThat(refusal(risk, EventLimitTest.order("polymarket", Outcome.YES, Side.BUY, "1"), risk::openOrders)).isNull();
    }

    @Test
    void anAmendsOwnDailyCheckCountsWhatItsOriginalFilled() {
        // The original (10 at 0.30) filled 6 today: 1.80 placed that no cancel takes back.
        jdbc.update("UPDATE orders SET state = 'PARTIALLY_FILLED' WHERE id = 1");
        jdbc.update("INSERT INTO order_fills (order_id, filled_size, filled_notional, filled_at) VALUES (1, 6, 1.8, CURRENT_TIMESTAMP)");
        PreTradeRisk risk = risk(new PreTradeRisk.Limits(null, null, null, new BigDecimal("3"), null, null));
        OrderTicket within = EventLimitTest.order("polymarket", Outcome.YES, Side.BUY, "4"); // 1.20: 3.00 in all
        within.setReplacesOrderId(1L);
        assertThat(refusal(risk, within, risk::dailyNotional)).isNull();
        OrderTicket over = EventLimitTest.order("polymarket", Outcome.YES, Side.BUY, "5"); // 1.50: 3.30 in all
        over.setReplacesOrderId(1L);
        assertThat(refusal(risk, over, risk::dailyNotional)).contains("max daily notional 3", "1.8 placed today");
    }
}
