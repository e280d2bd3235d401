package com.oddsgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import com.oddsgate.fills.Fill;
import com.oddsgate.fills.TradeStatus;
import com.oddsgate.order.Side;

/** routes/fill-groups.camel.yaml on a Camel of its own: streamed frames' fills stored in groups, none lost. */
class FillGroupsRouteTest {

    /** Stands in for the fill book: what each transaction would have stored. */
    public static class Stored {
        final List<List<String>> groups = new CopyOnWriteArrayList<>();

        public void apply(List<Fill> fills, String source) {
            groups.add(fills.stream().map(f -> f.venue() + ":" + f.tradeId() + ":" + source).toList());
        }
    }

    private static CamelContext camel(Stored stored, int size, long ms) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        Properties p = new Properties();
        p.putAll(Map.of("oddsgate.fills.websocket.group-size", Integer.toString(size), "oddsgate.fills.websocket.group-ms",
                Long.toString(ms)));
        camel.getPropertiesComponent().setInitialProperties(p);
        camel.getRegistry().bind("fillBook", stored);
        camel.getRegistry().bind("fillGroups", new FillGroups());
        camel.getExecutorServiceManager().registerThreadPoolProfile(FillGroups.writer());
        camel.addRoutes(new RouteConfigurationBuilder() {
            @Override
            public void configuration() {
                routeConfiguration("fill-errors");
            }
        });
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveMandatoryResource(camel,
                "classpath:routes/fill-groups.camel.yaml"));
        camel.start();
        return camel;
    }

    private static List<Fill> frame(String venue, String... trades) {
        return java.util.Arrays.stream(trades).map(t -> new Fill(venue, t, 0, "0xorder", null, "acct", "market", "token", "YES",
                Side.BUY, new BigDecimal("0.5"), BigDecimal.ONE, "MAKER", TradeStatus.MATCHED, "g", Instant.now())).toList();
    }

    private static void awaitGroups(Stored stored, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (stored.groups.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private static void send(ProducerTemplate producer, String venue, List<Fill> fills) {
        producer.sendBodyAndHeader("direct:streamed-fills", fills, "oddsgateFillVenue", venue);
    }

    @Test
    void framesAreStoredInGroupsPerVenueAndAGracefulStopStoresWhatIsGathered() throws Exception {
        Stored stored = new Stored();
        CamelContext camel = camel(stored, 3, 600_000); // groups close by size only, within this test
        ProducerTemplate producer = camel.createProducerTemplate();
        send(producer, "polymarket", frame("polymarket", "p1", "p2"));
        send(producer, "kalshi", frame("kalshi", "k1"));
        send(producer, "polymarket", List.of()); // a frame with only order events: nothing to store
        send(producer, "polymarket", frame("polymarket", "p3"));
        awaitGroups(stored, 1); // a group is stored by the writer thread
        assertThat(stored.groups).containsExactly(List.of("polymarket:p1:websocket", "polymarket:p2:websocket",
                "polymarket:p3:websocket"));
        send(producer, "polymarket", frame("polymarket", "p4"));
        camel.stop();
        assertThat(stored.groups).hasSize(3).contains(List.of("kalshi:k1:websocket"), List.of("polymarket:p4:websocket"));
    }

    @Test
    void aLoneFillIsStoredWithinTheGroupTime() throws Exception {
        Stored stored = new Stored();
        CamelContext camel = camel(stored, 1000, 50);
        try {
            camel.createProducerTemplate().sendBodyAndHeader("direct:streamed-fills", frame("kalshi", "k9"), "oddsgateFillVenue",
                    "kalshi");
            awaitGroups(stored, 1);
            assertThat(stored.groups).containsExactly(List.of("kalshi:k9:websocket"));
        } finally {
            camel.stop();
        }
    }
}
