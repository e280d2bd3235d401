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
 * one after the other, so twelve simultaneous orders against "at most 3 open" place exactly 3.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RiskConcurrencyTest extends GatewayTestSupport {

    @DynamicPropertySource
    static void ownLedger(DynamicPropertyRegistry r) {
        ownLedgerAndFolders(r, "risk-concurrency");
    }

    @Test
    void simultaneousOrdersCannotAllPassTheOpenOrdersLimit() throws Exception {
        assertThat(limits("{\"maxOpenOrders\":3,\"maxDailyNotional\":\"100\"}").status()).isEqualTo(200);
        int n = 12;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Answer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                String body = order("sim-btc-100k", "YES", "BUY", "0.2" + (i % 9), "5", "\"clientOrderId\":\"rc-" + i + "\"");
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
                    assertThat(a.body()).contains("max open orders 3");
                    refused++;
                }
            }
            assertThat(placed).as("orders placed against at most 3 open").isEqualTo(3);
            assertThat(refused).isEqualTo(n - 3);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM orders WHERE state = 'LIVE'", Integer.class)).isEqualTo(3);
        } finally {
            pool.shutdownNow();
            limits("{}");
        }
    }
}
