package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The WebSocket pass-through: frames both ways, the venue's keepalive, origins checked, the relay
 * token required, connections capped.
 */
@org.springframework.test.annotation.DirtiesContext(classMode = org.springframework.test.annotation.DirtiesContext.ClassMode.AFTER_CLASS)
class RelayWebSocketTest extends GatewayTestSupport {

    @org.springframework.test.context.DynamicPropertySource
    static void webSockets(org.springframework.test.context.DynamicPropertyRegistry r) {
        r.add("oddsgate.relay.ws.enabled", () -> "true");
        r.add("oddsgate.relay.token", () -> RELAY_TOKEN);
        r.add("oddsgate.relay.ws.max-connections", () -> "3");
        r.add("oddsgate.relay.ws.max-pending-frames", () -> "2");
    }

    static final String RELAY_TOKEN = "relay-token-for-tests";

    static final String YES = "105682294313117557078598458216806842121027994977630852429513316371145609753027";

    static final class Inbox implements WebSocket.Listener {
        final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    WebSocket open(String channel, String origin, Inbox inbox) throws Exception {
        return open(channel + "?token=" + RELAY_TOKEN, origin, inbox, true);
    }

    WebSocket open(String channelAndQuery, String origin, Inbox inbox, boolean unused) throws Exception {
        return HTTP.newWebSocketBuilder().header("Origin", origin)
                .buildAsync(URI.create("ws://127.0.0.1:" + RELAY_WS_PORT + "/poly/ws/" + channelAndQuery), inbox)
                .get(10, TimeUnit.SECONDS);
    }

    @org.springframework.beans.factory.annotation.Autowired
    com.oddsgate.relay.RelayWebSockets relay;

    @Test
    void withoutTheRelayTokenNoConnectionIsOpened() {
        int requests = SIM.sockets().connections();
        assertThatThrownBy(() -> open("market", "http://localhost:5173", new Inbox(), true)).hasStackTraceContaining("401");
        assertThatThrownBy(() -> open("market?token=wrong", "http://localhost:5173", new Inbox(), true)).hasStackTraceContaining("401");
        assertThat(SIM.sockets().connections()).as("nothing reached the venue").isEqualTo(requests);
    }

    @Test
    void connectionsBeyondTheCapAreRefusedUntilOneCloses() throws Exception {
        org.awaitility.Awaitility.await("the other tests' connections end").atMost(java.time.Duration.ofSeconds(5))
                .until(() -> relay.open() == 0);
        java.util.List<WebSocket> open = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            open.add(open("market", "http://localhost:5173", new Inbox()));
            // The cap counts bridged connections: a handshake is bridged once its OPEN event went through the route.
            int bridged = i + 1;
            org.awaitility.Awaitility.await("connection bridged").atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> relay.open() == bridged);
        }
        assertThatThrownBy(() -> open("market", "http://localhost:5173", new Inbox())).hasStackTraceContaining("503");
        WebSocket first = open.remove(0);
        first.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        first.abort();
        org.awaitility.Awaitility.await("a connection closes").atMost(java.time.Duration.ofSeconds(5)).until(() -> relay.open() < 3);
        open.add(open("market", "http://localhost:5173", new Inbox()));
        for (WebSocket ws : open) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            ws.abort();
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> relay.open() == 0);
    }

    /** One of the component's events for a browser connection, handed to the bridge as the route does. */
    void event(String key, org.apache.camel.component.vertx.websocket.VertxWebsocketEvent event, Object body) {
        org.apache.camel.Exchange e = new org.apache.camel.support.DefaultExchange(camel);
        e.getIn().setHeader(org.apache.camel.component.vertx.websocket.VertxWebsocketConstants.CONNECTION_KEY, key);
        e.getIn().setHeader(org.apache.camel.component.vertx.websocket.VertxWebsocketConstants.EVENT, event);
        e.getIn().setBody(body);
        relay.bridge(e, camel.resolvePropertyPlaceholders("{{oddsgate.polymarket.ws-url}}/ws/market"));
    }

    static io.vertx.core.http.ServerWebSocket browserSocket() {
        io.vertx.core.http.ServerWebSocket ws = org.mockito.Mockito.mock(io.vertx.core.http.ServerWebSocket.class);
        org.mockito.Mockito.when(ws.writeTextMessage(org.mockito.ArgumentMatchers.anyString()))
                .thenReturn(io.vertx.core.Future.succeededFuture());
        org.mockito.Mockito.when(ws.close()).thenReturn(io.vertx.core.Future.succeededFuture());
        return ws;
    }

    // The component hands OPEN, MESSAGE and CLOSE to the route on worker threads without keeping
    // their order: a browser that closes at once can have its CLOSE taken before its OPEN.
    @Test
    void aCloseTakenBeforeItsOpenLeavesNoVenueConnectionAndNoSlotHeld() throws Exception {
        org.awaitility.Awaitility.await("the other tests' connections end").atMost(java.time.Duration.ofSeconds(5))
                .until(() -> relay.open() == 0);
        long connections = relay.upstreamConnections();
        String key = "closed-first-" + System.nanoTime();
        event(key, org.apache.camel.component.vertx.websocket.VertxWebsocketEvent.CLOSE, null);
        event(key, org.apache.camel.component.vertx.websocket.VertxWebsocketEvent.OPEN, browserSocket());
        assertThat(relay.open()).as("no slot of the cap held").isZero();
        assertThat(relay.upstreamConnections()).as("no venue connection for a browser already gone").isEqualTo(connections);
    }

    @Test
    void aBrowserThatSentTooManyFramesBeforeItsOpenIsClosedWhenItsOpenComes() throws Exception {
        String key = "too-many-first-" + System.nanoTime();
        long connections = relay.upstreamConnections();
        for (int i = 0; i <= 2; i++) { // max-pending-frames is 2 here
            event(key, org.apache.camel.component.vertx.websocket.VertxWebsocketEvent.MESSAGE, "{\"n\":" + i + "}");
        }
        io.vertx.core.http.ServerWebSocket browser = browserSocket();
        event(key, org.apache.camel.component.vertx.websocket.VertxWebsocketEvent.OPEN, browser);
        org.mockito.Mockito.verify(browser).close(); // not left open, bridged to nothing
        assertThat(relay.upstreamConnections()).isEqualTo(connections);
        event(key, org.apache.camel.component.vertx.websocket.VertxWebsocketEvent.CLOSE, null);
        assertThat(relay.open()).isZero();
    }

    @Test
    void framesTakenBeforeTheirOpenReachTheVenueOnceItConnects() throws Exception {
        String key = "frame-first-" + System.nanoTime();
        io.vertx.core.http.ServerWebSocket browser = browserSocket();
        event(key, org.apache.camel.component.vertx.websocket.VertxWebsocketEvent.MESSAGE,
                "{\"assets_ids\":[\"" + YES + "\"],\"type\":\"market\"}");
        assertThat(relay.open()).as("not bridged before its OPEN").isZero();
        event(key, org.apache.camel.component.vertx.websocket.VertxWebsocketEvent.OPEN, browser);
        org.mockito.Mockito.verify(browser, org.mockito.Mockito.timeout(10_000))
                .writeTextMessage(org.mockito.ArgumentMatchers.contains("\"event_type\":\"book\""));
        event(key, org.apache.camel.component.vertx.websocket.VertxWebsocketEvent.CLOSE, null);
        // A frame taken after its connection's CLOSE neither reaches the venue nor holds a slot.
        event(key, org.apache.camel.component.vertx.websocket.VertxWebsocketEvent.MESSAGE, "PING");
        assertThat(relay.open()).isZero();
    }

    @Test
    void marketChannelSubscriptionIsAnsweredThroughTheRelay() throws Exception {
        Inbox inbox = new Inbox();
        WebSocket ws = open("market", "http://localhost:5173", inbox);
        ws.sendText("{\"assets_ids\":[\"" + YES + "\"],\"type\":\"market\"}", true).get(5, TimeUnit.SECONDS);
        // The relay's own keepalive PINGs (every 200 ms here) bring PONGs in between: skip them.
        String book = inbox.frames.poll(10, TimeUnit.SECONDS);
        while ("PONG".equals(book)) {
            book = inbox.frames.poll(10, TimeUnit.SECONDS);
        }
        assertThat(book).contains("\"event_type\":\"book\"", YES);
        inbox.frames.clear();
        ws.sendText("PING", true);
        assertThat(inbox.frames.poll(10, TimeUnit.SECONDS)).isEqualTo("PONG");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        ws.abort(); // the TCP connection too: the server need not wait out its closing timeout
    }

    @Test
    void userChannelIsKeptAliveForTheBrowser() throws Exception {
        Inbox inbox = new Inbox();
        WebSocket ws = open("user", "http://localhost:5173", inbox);
        ws.sendText("{\"auth\":{\"apiKey\":\"0dd5a7e0-5eed-4c1a-9d2e-00000000de01\",\"secret\":\"L4qeox9fHaW5J2rDFFzkauTGIGpsd4ePMDyiRevuriA=\","
                + "\"passphrase\":\"dev-passphrase-simulator-only\"},\"markets\":[],\"type\":\"user\"}", true).get(5, TimeUnit.SECONDS);
        int before = SIM.sockets().pings();
        Thread.sleep(1200);
        assertThat(SIM.sockets().pings() - before).as("PINGs sent upstream every 200 ms (test keepalive)").isGreaterThanOrEqualTo(3);
        assertThat(inbox.frames).as("the venue's PONGs reach the browser").contains("PONG");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        ws.abort(); // the TCP connection too: the server need not wait out its closing timeout
    }

    @Test
    void aForeignOriginCannotOpenTheRelay() {
        assertThatThrownBy(() -> open("market", "http://evil.example", new Inbox())).hasStackTraceContaining("403");
    }
}
