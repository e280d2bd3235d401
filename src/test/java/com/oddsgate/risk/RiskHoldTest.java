package com.oddsgate.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import com.oddsgate.fills.FillQueries;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.Outcome;
import com.oddsgate.order.Side;

/**
 * One account's limits on totals are checked one order at a time; an order whose turn does not
 * come within the hold wait (the one before it hangs) is answered 503, not queued without end.
 */
class RiskHoldTest {

    @Test
    void anOrderWaitingTooLongForItsAccountsChecksIsToldToTryAgain() throws Exception {
        DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:risk-hold-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                "sa", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        PreTradeRisk risk = new PreTradeRisk(jdbc, new FillQueries(jdbc), null, null, t -> null, Clock.systemUTC(),
                new PreTradeRisk.Limits(null, 10, null, null, null, null), Duration.ZERO);
        risk.holdsAtMost(Duration.ofMillis(300));
        DefaultCamelContext camel = new DefaultCamelContext();

        Exchange first = exchange(camel);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        CompletableFuture<Void> hanging = CompletableFuture.runAsync(() -> {
            risk.hold(first); // and then hangs, holding the account's checks
            held.countDown();
            try {
                letGo.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            risk.release(first);
        });
        assertThat(held.await(5, TimeUnit.SECONDS)).isTrue();

        long t0 = System.nanoTime();
        OrderRejectedException busy = catchThrowableOfType(() -> risk.hold(exchange(camel)), OrderRejectedException.class);
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(busy).isNotNull();
        assertThat(busy.status()).isEqualTo(503);
        assertThat(busy.getMessage()).contains("busy with another order", "try again");
        assertThat(waited).as("waited the hold wait, not forever").isBetween(250L, 5_000L);

        letGo.countDown();
        hanging.get(5, TimeUnit.SECONDS);
        Exchange next = exchange(camel);
        risk.hold(next); // free again: taken at once
        assertThat(next.getProperty(PreTradeRisk.HELD)).isNotNull();
        risk.release(next);
    }

    private static Exchange exchange(DefaultCamelContext camel) {
        Exchange e = new DefaultExchange(camel);
        OrderTicket t = EventLimitTest.order("polymarket", Outcome.YES, Side.BUY, "1");
        e.getIn().setBody(t);
        return e;
    }
}
