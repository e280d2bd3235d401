package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.camel.EndpointInject;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.oddsgate.ledger.OrderRecord;

/**
 * The recovery pass as its route runs it: the {@code sql:} source (query in recovery.camel.yaml)
 * reads unresolved orders a page at a time until a page is empty, and every due order reaches the
 * per-order step once, in id order. The per-order step and the page reads are advised by id onto
 * mock endpoints; the pass is awaited with a NotifyBuilder.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class RecoveryRouteTest extends GatewayTestSupport {

    @DynamicPropertySource
    static void ownLedger(DynamicPropertyRegistry r) {
        ownLedgerAndFolders(r, "recovery-route");
        r.add("oddsgate.recovery.page-size", () -> "3");
        r.add("oddsgate.recovery.initial-delay-ms", () -> "3600000"); // only the pass this test runs
    }

    @EndpointInject("mock:recovered")
    MockEndpoint recovered;

    @EndpointInject("mock:pages")
    MockEndpoint pages;

    @Test
    void aPassReadsEveryUnresolvedOrderPageByPageThroughTheSqlSource() throws Exception {
        AdviceWith.adviceWith(camel, "recover-unresolved", a -> {
            a.weaveById("recover-one").replace().to("mock:recovered");
            a.weaveById("find-unresolved").after().to("mock:pages");
        });
        Timestamp earlier = Timestamp.from(Instant.now().minus(Duration.ofHours(1)));
        String[] states = {"PENDING_SUBMIT", "UNKNOWN", "LIVE", "PENDING_SUBMIT", "UNKNOWN", "FILLED", "UNKNOWN", "PENDING_SUBMIT",
            "PENDING_SUBMIT"};
        for (int i = 0; i < states.length; i++) {
            jdbc.update("INSERT INTO orders (id, client_order_id, source, venue, state, created_at, updated_at)"
                    + " VALUES (?, ?, 'rest', 'kalshi', ?, ?, ?)", 900_001 + i, "recovery-route-" + i, states[i], earlier, earlier);
        }
        recovered.expectedMessageCount(7);
        pages.expectedMessageCount(4); // 3 + 3 + 1 rows, then the empty page that ends the pass
        NotifyBuilder passDone = new NotifyBuilder(camel).fromRoute("recover-unresolved").whenDone(1).create();

        producer.sendBody("direct:recover-unresolved", null);

        assertThat(passDone.matches(10, TimeUnit.SECONDS)).as("the pass ended").isTrue();
        MockEndpoint.assertIsSatisfied(recovered, pages);
        List<Long> ids = recovered.getReceivedExchanges().stream().map(e -> e.getIn().getBody(OrderRecord.class).id()).toList();
        assertThat(ids).containsExactly(900_001L, 900_002L, 900_004L, 900_005L, 900_007L, 900_008L, 900_009L);
        assertThat(pages.getReceivedExchanges().get(0).getIn().getBody(List.class)).hasSize(3);
        assertThat(pages.getReceivedExchanges().get(3).getIn().getBody(List.class)).isEmpty();
    }
}
