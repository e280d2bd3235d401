package com.oddsgate.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import com.oddsgate.fills.FillQueries;
import com.oddsgate.ledger.GroupCommit;
import com.oddsgate.ledger.LedgerListener;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.order.CanonicalOrder;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.Outcome;
import com.oddsgate.order.Side;

/**
 * Two gateways on one ledger (each its own PreTradeRisk, as two processes would have): twelve orders
 * arriving together, half at each, against "at most 3 open" or a position of at most 12 (orders of
 * 5). Each instance alone counts only the orders it admitted itself, so both admit up to the limit;
 * sharing the ledger ({@code oddsgate.cluster.enabled}), they check one account's orders one at a
 * time between them and count each other's admitted orders, so exactly the limit passes.
 */
class RiskAcrossInstancesTest {

    JdbcTemplate jdbc;
    OrderLedger ledger;
    GroupCommit group;
    /** Each test's orders are of a venue of their own: on a shared PostgreSQL ledger other tests' orders stay out of the counts. */
    String venue = "polymarket";
    DefaultCamelContext camel = new DefaultCamelContext();
    ExecutorService pool = Executors.newFixedThreadPool(12);

    @BeforeEach
    void ledger() throws Exception {
        use(new DriverManagerDataSource("jdbc:h2:mem:risk-across-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", ""));
    }

    private void use(DataSource ds) throws Exception {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(ds);
        ledger = new OrderLedger(jdbc, new TransactionTemplate(transactions), Clock.systemUTC(), LedgerListener.NONE);
        if (group != null) {
            group.close();
        }
        group = new GroupCommit(transactions, 64, 2); // as the gateway writes: orders admitted together share transactions
        ledger.committedBy(group);
    }

    @AfterEach
    void stop() throws Exception {
        pool.shutdownNow();
        group.close();
    }

    @Test
    void twoGatewaysTogetherAdmitNoMoreOpenOrdersThanTheLimit() throws Exception {
        PreTradeRisk.Limits threeOpen = new PreTradeRisk.Limits(null, 3, null, null, null, null);
        assertThat(race(threeOpen, false, "a-")).as("each instance alone: its own three").isEqualTo(6);
        assertThat(race(threeOpen, true, "b-")).as("sharing the ledger").isEqualTo(3);
    }

    @Test
    void twoGatewaysTogetherAdmitNoMorePositionThanTheLimit() throws Exception {
        PreTradeRisk.Limits position12 = new PreTradeRisk.Limits(null, null, new BigDecimal("12"), null, null, null);
        assertThat(race(position12, true, "p-")).as("orders of 5 against a position of 12").isEqualTo(2);
    }

    @Test
    void twoGatewaysTogetherPlaceNoMoreNotionalInADayThanTheLimit() throws Exception {
        PreTradeRisk.Limits daily = new PreTradeRisk.Limits(null, null, null, new BigDecimal("4.5"), null, null);
        assertThat(race(daily, true, "n-")).as("orders of 0.30 × 5 against 4.5 a day").isEqualTo(3);
    }

    /**
     * Checks that outlast their lease (a stalled ledger, a pause): another instance may take the lease
     * and count without the order meanwhile, so the order is refused when it would be admitted, and
     * what the other admitted stands.
     */
    @Test
    void anOrderWhoseChecksOutlastedTheirLeaseIsRefusedNotAdmitted() {
        PreTradeRisk.Limits oneOpen = new PreTradeRisk.Limits(null, 1, null, null, null, null);
        PreTradeRisk slow = instance(oneOpen, true);
        PreTradeRisk other = instance(oneOpen, true);
        OrderTicket late = ticket(insert("late"));
        Exchange lateExchange = exchange(late);
        slow.hold(lateExchange);
        slow.openOrders(late); // passes: nothing open

        jdbc.update("UPDATE risk_holds SET held_until = CURRENT_TIMESTAMP - INTERVAL '1' SECOND WHERE hold_key = '*'"); // ran out
        OrderTicket quick = ticket(insert("quick"));
        Exchange quickExchange = exchange(quick);
        other.hold(quickExchange);
        other.openOrders(quick); // passes too: the late order is not admitted yet
        other.passed(quick, quickExchange);
        other.release(quickExchange);

        OrderRejectedException refused = catchThrowableOfType(() -> slow.passed(late, lateExchange), OrderRejectedException.class);
        slow.release(lateExchange);
        assertThat(refused).isNotNull();
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.getMessage()).contains("longer than their 10 s lease", "nothing was sent");
        assertThat(jdbc.queryForList("SELECT client_order_id FROM orders WHERE venue = ? AND state = 'RECEIVED' AND risk_admitted_at IS NOT NULL", String.class,
                venue)).containsExactly(venue + "-quick");
    }

    /** The same on PostgreSQL (the ledger several instances share), when {@code .ci/run} started one. */
    @Test
    @EnabledIfEnvironmentVariable(named = "ODDSGATE_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+")
    void onPostgresToo() throws Exception {
        use(new DriverManagerDataSource(System.getenv("ODDSGATE_TEST_POSTGRES_URL"), "oddsgate", "oddsgate"));
        venue = "ra-" + System.nanoTime();
        assertThat(race(new PreTradeRisk.Limits(null, 3, null, null, null, null), true, "o-")).isEqualTo(3);
        assertThat(race(new PreTradeRisk.Limits(null, null, new BigDecimal("12"), null, null, null), true, "p-")).isEqualTo(2);
        assertThat(race(new PreTradeRisk.Limits(null, null, null, new BigDecimal("4.5"), null, null), true, "n-")).isEqualTo(3);
        aLeaseLeftByADeadInstanceRunsOutAndALateReleaseFreesNothingOfAnother();
        jdbc.update("UPDATE orders SET state = 'REJECTED' WHERE venue = ?", venue);
        anOrderWhoseChecksOutlastedTheirLeaseIsRefusedNotAdmitted();
        jdbc.update("UPDATE orders SET state = 'REJECTED' WHERE venue = ?", venue); // nothing left RECEIVED in the shared database
    }

    /** An instance that dies holding an account's lease holds the others' orders until the lease runs out, no longer. */
    @Test
    void aLeaseLeftByADeadInstanceRunsOutAndALateReleaseFreesNothingOfAnother() throws Exception {
        PreTradeRisk.Limits threeOpen = new PreTradeRisk.Limits(null, 3, null, null, null, null);
        PreTradeRisk dead = instance(threeOpen, true);
        PreTradeRisk other = instance(threeOpen, true);
        PreTradeRisk third = instance(threeOpen, true);
        other.holdsAtMost(Duration.ofMillis(300));
        third.holdsAtMost(Duration.ofMillis(300));

        Exchange held = exchange(ticket(insert("d-1")));
        dead.hold(held); // and never gets to release
        OrderRejectedException busy = catchThrowableOfType(() -> other.hold(exchange(ticket(insert("d-2")))), OrderRejectedException.class);
        assertThat(busy).isNotNull();
        assertThat(busy.status()).isEqualTo(503);

        jdbc.update("UPDATE risk_holds SET held_until = CURRENT_TIMESTAMP - INTERVAL '1' SECOND WHERE hold_key = '*'"); // ran out
        Exchange taken = exchange(ticket(insert("d-3")));
        other.hold(taken);
        dead.release(held); // late: the lease is the other's now
        assertThat(catchThrowableOfType(() -> third.hold(exchange(ticket(insert("d-4")))), OrderRejectedException.class))
                .as("still held by the instance that took it").isNotNull();
        other.release(taken);
        Exchange free = exchange(ticket(insert("d-5")));
        third.hold(free);
        third.release(free);
    }

    /** Limits per account: one account's lease held, another account's orders are checked at once; the same account's wait. */
    @Test
    void aLeaseHoldsOnlyItsOwnAccountsOrders() {
        PreTradeRisk.Accounts perAccount = new PreTradeRisk.Accounts() {
            @Override
            public String fillsId(String venue, String account) {
                return null;
            }

            @Override
            public boolean isDefault(String venue, String account) {
                return false;
            }
        };
        PreTradeRisk.Limits oneOpen = new PreTradeRisk.Limits(null, 1, null, null, null, null);
        PreTradeRisk first = instance(oneOpen, true, perAccount);
        PreTradeRisk second = instance(oneOpen, true, perAccount);
        second.holdsAtMost(Duration.ofMillis(300));

        Exchange deskA = exchange(ticket(insert("acct-a1"), "desk-a"));
        first.hold(deskA);
        Exchange deskB = exchange(ticket(insert("acct-b1"), "desk-b"));
        second.hold(deskB); // another account: not held up
        second.release(deskB);
        OrderRejectedException busy = catchThrowableOfType(() -> second.hold(exchange(ticket(insert("acct-a2"), "desk-a"))),
                OrderRejectedException.class);
        assertThat(busy).as("desk-a's lease is held by the first instance").isNotNull();
        assertThat(busy.status()).isEqualTo(503);
        first.release(deskA);
    }

    /** Twelve orders at once, alternately at two instances, each checked as routes/risk.camel.yaml does; how many passed. */
    private int race(PreTradeRisk.Limits limits, boolean shared, String prefix) throws Exception {
        PreTradeRisk a = instance(limits, shared);
        PreTradeRisk b = instance(limits, shared);
        // What is counted here is how many pass, not the wait's bound (tested above with 300 ms): twelve
        // orders in one account's line on a busy host's PostgreSQL (a CI run's) took over the 5 s default.
        a.holdsAtMost(Duration.ofSeconds(30));
        b.holdsAtMost(Duration.ofSeconds(30));
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> passed = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            PreTradeRisk risk = i % 2 == 0 ? a : b;
            OrderTicket ticket = ticket(insert(prefix + i));
            passed.add(pool.submit(() -> {
                go.await();
                Exchange e = exchange(ticket);
                try {
                    risk.hold(e);
                    risk.openOrders(ticket);
                    risk.position(ticket);
                    risk.dailyNotional(ticket);
                    risk.passed(ticket, e);
                    return true;
                } catch (OrderRejectedException refused) {
                    assertThat(refused.status()).as(refused.getMessage()).isEqualTo(400);
                    return false;
                } finally {
                    risk.release(e);
                }
            }));
        }
        go.countDown();
        int n = 0;
        for (Future<Boolean> f : passed) {
            n += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
        }
        // Every admitted order still RECEIVED (its signed intent not recorded yet): the window between the two.
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM orders WHERE state = 'RECEIVED' AND client_order_id LIKE ?", Integer.class,
                venue + "-" + prefix + "%")).isEqualTo(12);
        jdbc.update("UPDATE orders SET state = 'REJECTED' WHERE client_order_id LIKE ?", venue + "-" + prefix + "%"); // out of the next race
        return n;
    }

    private PreTradeRisk instance(PreTradeRisk.Limits limits, boolean shared) {
        return instance(limits, shared, PreTradeRisk.Accounts.TOGETHER);
    }

    private PreTradeRisk instance(PreTradeRisk.Limits limits, boolean shared, PreTradeRisk.Accounts accounts) {
        PreTradeRisk risk = new PreTradeRisk(jdbc, new FillQueries(jdbc), null, null, accounts, t -> null, Clock.systemUTC(), limits,
                Duration.ZERO);
        risk.admitsThrough(ledger);
        if (shared) {
            risk.sharesLedger();
        }
        return risk;
    }

    private long insert(String name) {
        String clientOrderId = venue + "-" + name;
        // As recorded on arrival (its token resolved only once it passes, OrderLedger.recordInstrument).
        jdbc.update("INSERT INTO orders (client_order_id, source, venue, side, price, size, state, created_at, updated_at)"
                + " VALUES (?, 'rest', ?, 'BUY', 0.30, 5, 'RECEIVED', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", clientOrderId, venue);
        return jdbc.queryForObject("SELECT id FROM orders WHERE client_order_id = ?", Long.class, clientOrderId);
    }

    private OrderTicket ticket(long id) {
        OrderTicket t = EventLimitTest.order(venue, Outcome.YES, Side.BUY, "5");
        t.setOrderId(id);
        return t;
    }

    private OrderTicket ticket(long id, String account) {
        OrderTicket t = ticket(id);
        CanonicalOrder o = t.getOrder();
        t.setOrder(new CanonicalOrder(o.venue(), o.market(), o.tokenId(), o.outcome(), o.side(), o.price(), o.size(), o.type(),
                o.timeInForce(), o.expiration(), o.postOnly(), o.reduceOnly(), o.clientOrderId(), account));
        return t;
    }

    private Exchange exchange(OrderTicket t) {
        Exchange e = new DefaultExchange(camel);
        e.getIn().setBody(t);
        return e;
    }
}
