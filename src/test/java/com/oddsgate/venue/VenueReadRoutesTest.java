package com.oddsgate.venue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;

/**
 * The venue-read routes as the gateway runs them, against a venue stand-in on loopback: what reaches
 * the venue (method, path, query, the signed headers and nothing of the caller's), and how its
 * answers come back (an answer as it came; 425, 429, 5xx and no connection as retryable).
 */
class VenueReadRoutesTest {

    record Seen(String method, String path, String query, Headers headers, String body) {
    }

    static HttpServer venue;
    static VenueReadsOnCamel routes;
    static final List<Seen> SEEN = new CopyOnWriteArrayList<>();
    static volatile int status = 200;
    static volatile String answer = "{\"ok\":true}";
    static volatile String retryAfter;

    @BeforeAll
    static void start() throws Exception {
        venue = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        venue.createContext("/", x -> {
            SEEN.add(new Seen(x.getRequestMethod(), x.getRequestURI().getRawPath(), x.getRequestURI().getRawQuery(),
                    x.getRequestHeaders(), new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            if (retryAfter != null) {
                x.getResponseHeaders().add("Retry-After", retryAfter);
            }
            byte[] b = answer.getBytes(StandardCharsets.UTF_8);
            x.sendResponseHeaders(status, b.length);
            x.getResponseBody().write(b);
            x.close();
        });
        venue.start();
        String host = "http://127.0.0.1:" + venue.getAddress().getPort();
        routes = VenueReadsOnCamel.start(Map.of("oddsgate.polymarket.clob-url", host + "/clob", "oddsgate.polymarket.data-url",
                host + "/data-api", "oddsgate.kalshi.base-url", host + "/kalshi"));
    }

    @AfterAll
    static void stop() {
        routes.close();
        venue.stop(0);
    }

    @BeforeEach
    void reset() {
        SEEN.clear();
        status = 200;
        answer = "{\"ok\":true}";
        retryAfter = null;
    }

    @Test
    void theRouteNamesMethodAndPathAndTheSignatureCoversThePathAsSent() {
        List<String> signed = new CopyOnWriteArrayList<>();
        VenueReads.Auth auth = (method, path, body) -> {
            signed.add(method + " " + path);
            return Map.of("KALSHI-ACCESS-SIGNATURE", "sig-of-" + path);
        };
        VenueReads.Response r = routes.reads().get("kalshi-order", Map.of("orderId", "ee2f6a54-1b2c-4d5e-8f90-123456789abc"),
                "", auth);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().path("ok").asBoolean()).isTrue();
        assertThat(signed).containsExactly("GET /portfolio/orders/ee2f6a54-1b2c-4d5e-8f90-123456789abc");
        Seen s = SEEN.get(0);
        assertThat(s.method()).isEqualTo("GET");
        assertThat(s.path()).isEqualTo("/kalshi/trade-api/v2/portfolio/orders/ee2f6a54-1b2c-4d5e-8f90-123456789abc");
        assertThat(s.query()).isNull();
        assertThat(s.headers().getFirst("KALSHI-ACCESS-SIGNATURE")).isEqualTo("sig-of-/portfolio/orders/ee2f6a54-1b2c-4d5e-8f90-123456789abc");
    }

    @Test
    void theQueryGoesAsEncodedAndNothingOfTheCallersBecomesAHeader() {
        routes.reads().get("polymarket-open-orders", Map.of(), "next_cursor=MA%3D%3D", VenueReads.Auth.NONE);
        routes.reads().get("polymarket-market-by-token", Map.of("token", "71321045679252212594626385532706912750332728571942532289631379312455583992563"),
                "", VenueReads.Auth.NONE);
        assertThat(SEEN.get(0).path()).isEqualTo("/clob/data/orders");
        assertThat(SEEN.get(0).query()).isEqualTo("next_cursor=MA%3D%3D");
        assertThat(SEEN.get(1).path()).isEqualTo("/clob/markets-by-token/71321045679252212594626385532706912750332728571942532289631379312455583992563");
        for (Seen s : SEEN) {
            assertThat(s.headers().keySet()).as("only HTTP's own headers reach the venue")
                    .allSatisfy(h -> assertThat(h.toLowerCase()).isIn("host", "user-agent", "connection", "accept-encoding", "content-length"));
        }
    }

    @Test
    void aPostCarriesItsJsonBodyAndTheHeadersSignedOverIt() {
        byte[] body = "{\"heartbeat_id\":\"hb-7\"}".getBytes(StandardCharsets.UTF_8);
        VenueReads.Auth auth = (method, path, b) -> Map.of("POLY_SIGNATURE", method + " " + path + " " + new String(b, StandardCharsets.UTF_8));
        routes.reads().call("polymarket-heartbeat", Map.of(), "", auth, body);
        Seen s = SEEN.get(0);
        assertThat(s.method()).isEqualTo("POST");
        assertThat(s.path()).isEqualTo("/clob/v1/heartbeats");
        assertThat(s.body()).isEqualTo("{\"heartbeat_id\":\"hb-7\"}");
        assertThat(s.headers().getFirst("Content-Type")).startsWith("application/json");
        assertThat(s.headers().getFirst("POLY_SIGNATURE")).isEqualTo("POST /v1/heartbeats {\"heartbeat_id\":\"hb-7\"}");
    }

    @Test
    void aRefusalIsAnAnswerAndABodyThatIsNotJsonStaysReadable() {
        status = 404;
        answer = "<html>not here</html>";
        VenueReads.Response r = routes.reads().get("polymarket-order", Map.of("orderHash", "0xabc"), "", VenueReads.Auth.NONE);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.ok()).isFalse();
        assertThat(r.json()).isNull();
        assertThat(r.body()).isEqualTo("<html>not here</html>");
    }

    @Test
    void unavailableAndRateLimitedAreRetryableWithTheVenuesRetryAfter() {
        status = 429;
        retryAfter = "2";
        assertThatThrownBy(() -> routes.reads().get("kalshi-balance", Map.of(), "", VenueReads.Auth.NONE))
                .isInstanceOfSatisfying(RetryableVenueException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.retryAfterMillis()).isEqualTo(2000L);
                    assertThat(e.getMessage()).contains("kalshi-balance", "GET /portfolio/balance", "429");
                });
        status = 503;
        retryAfter = null;
        assertThatThrownBy(() -> routes.reads().get("polymarket-positions", Map.of(), "user=0x1", VenueReads.Auth.NONE))
                .isInstanceOfSatisfying(RetryableVenueException.class, e -> assertThat(e.status()).isEqualTo(503));
        assertThat(SEEN).as("no retry behind the caller's back").hasSize(2);
    }

    @Test
    void noConnectionIsRetryable() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        try (VenueReadsOnCamel nowhere = VenueReadsOnCamel.start(Map.of("oddsgate.polymarket.clob-url", "http://127.0.0.1:" + closed))) {
            assertThatThrownBy(() -> nowhere.reads().get("polymarket-time", Map.of(), "", VenueReads.Auth.NONE))
                    .isInstanceOfSatisfying(RetryableVenueException.class, e -> {
                        assertThat(e.status()).isZero();
                        assertThat(e.getMessage()).contains("polymarket-time", "GET /time", "failed");
                    });
        }
    }

    @Test
    void anIdThatWouldChangeThePathIsRefusedBeforeAnythingIsSent() {
        for (String bad : List.of("../portfolio/balance", "a/b", "..", "x?y=1", "a b", "")) {
            assertThatThrownBy(() -> routes.reads().get("kalshi-market", Map.of("ticker", bad), "", VenueReads.Auth.NONE))
                    .as(bad).isInstanceOf(VenueReads.NotAnId.class).hasMessageContaining("ticker");
        }
        assertThat(SEEN).isEmpty();
    }

    @Test
    void aReadWhoseRouteIsStoppedIsNoAnswerAtOnce() throws Exception {
        routes.camel().getRouteController().stopRoute("polymarket-version");
        try {
            long started = System.nanoTime();
            assertThatThrownBy(() -> routes.reads().get("polymarket-version", Map.of(), "", VenueReads.Auth.NONE))
                    .isInstanceOf(RetryableVenueException.class).hasMessageContaining("not running");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not Camel's 30 s wait for a consumer")
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(SEEN).isEmpty();
        } finally {
            routes.camel().getRouteController().startRoute("polymarket-version");
        }
    }

    @Test
    void beforeTheRoutesRunAReadFailsAtOnceInsteadOfWaiting() throws Exception {
        VenueReadRoutes early = new VenueReadRoutes(new DefaultCamelContext(), null);
        assertThatThrownBy(() -> early.get("polymarket-time", Map.of(), "", VenueReads.Auth.NONE))
                .isInstanceOf(RetryableVenueException.class).hasMessageContaining("once the routes run");
    }
}
