package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Limits hold when orders arrive together: an order that passed the limits counts as open from
 * that moment (not only once its signed intent is recorded), and the checks of one account are made
 * one after the other, so twelve simultaneous orders against "at most 3 open" place exactly 3, and
 * against a position of at most 12 (orders of 5) exactly 2.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RiskConcurrencyTest extends GatewayTestSupport {

    @DynamicPropertySource
    static void ownLedger(DynamicPropertyRegistry r) {
        ownLedgerAndFolders(r, "risk-concurrency");
    }

    @Test
    void simultaneousOrdersCannotAllPassTheOpenOrdersLimit() throws Exception {
        race("{\"maxOpenOrders\":3,\"maxDailyNotional\":\"100\"}", "rc-", "max open orders 3", 3);
    }

    /** Orders named by market slug: their token is resolved after they are recorded, and still counts once they pass. */
    @Test
    void simultaneousOrdersCannotAllPassThePositionLimit() throws Exception {
        race("{\"maxPosition\":\"12\"}", "rp-", "max position 12", 2);
    }

    private void race(String limits, String prefix, String limit, int expected) throws Exception {
        limits("{}");
        assertThat(delete("/api/orders?all=true").status()).as("no order left open by the other test").isEqualTo(200);
        assertThat(limits(limits).status()).isEqualTo(200);
        int n = 12;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Answer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                String body = order("sim-btc-100k", "YES", "BUY", "0.2" + (i % 9), "5", "\"clientOrderId\":\"" + prefix + i + "\"");
                answers.add(pool.submit(() -> {
                    go.await();
                    return post("/api/orders", body);
                }));
            }
            go.countDown();
            int placed = 0;
            int refused = 0;
            for (Future<Answer> f : answers) {
                Answer a = f.get(60, TimeUnit.SECONDS);
                if (a.status() == 201) {
                    placed++;
                } else {
                    assertThat(a.status()).as(a.body()).isEqualTo(400);
                    assertThat(a.body()).contains(limit);
                    refused++;
                }
            }
            assertThat(placed).as("orders placed against " + limit).isEqualTo(expected);
            assertThat(refused).isEqualTo(n - expected);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM orders WHERE state = 'LIVE' AND client_order_id LIKE ?", Integer.class,
                    prefix + "%")).isEqualTo(expected);
        } finally {
            pool.shutdownNow();
            limits("{}");
        }
    }
}
