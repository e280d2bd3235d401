package com.oddsgate.relay;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.vertx.websocket.VertxWebsocketComponent;
import org.apache.camel.component.vertx.websocket.VertxWebsocketConstants;
import org.apache.camel.component.vertx.websocket.VertxWebsocketEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.oddsgate.venue.VenueChannel;

/**
 * WebSocket pass-through for browsers on networks that block the venue. Each browser connection
 * that reaches the camel-vertx-websocket consumer gets its own upstream connection to the CLOB's
 * channel: text frames go both ways unchanged, the venue's keepalive ({@code PING} every ten
 * seconds) is sent on the browser's behalf, and either side closing ends the pair. Upstream is
 * always the configured CLOB WebSocket host.
 */
public class RelayWebSockets {

    private static final Logger LOG = LoggerFactory.getLogger(RelayWebSockets.class);

    /**
     * One browser connection and its upstream. camel-vertx-websocket hands each event to the route
     * on a worker thread without keeping their order (unordered executeBlocking), so a fast
     * browser's CLOSE or first frames can reach {@link #handle} before its OPEN: the bridge is
     * made by whichever event comes first, and it leaves the map only once both its OPEN and its
     * CLOSE have been seen — a CLOSE taken first would otherwise leave a venue connection and a
     * slot of the cap held for ever.
     */
    private final class Bridge {
        final String channel;
        final List<String> pending = new ArrayList<>();
        WebSocket upstream;
        HttpConnection browser;
        /** The browser's side, written to directly: never through a producer, which may block an event loop. */
        ServerWebSocket toBrowser;
        long keepalive = -1;
        /** The pair has ended (either side): nothing more goes either way. */
        boolean closed;
        volatile boolean openSeen;
        boolean closeSeen;
        /** When the first event of this connection was taken: one never opened is forgotten after a while. */
        final long since = System.nanoTime();
        /** Every change to the bridge is made under it (a lock, not a monitor: taken in one method, released in another). */
        final ReentrantLock lock = new ReentrantLock();

        Bridge(String channel) {
            this.channel = channel;
        }
    }

    private final CamelContext camel;
    private final long keepaliveMs;
    private final byte[] token;
    private final int maxConnections;
    private final int maxPendingFrames;
    private final Map<String, Bridge> bridges = new ConcurrentHashMap<>();
    /** Browser connections admitted, by remote address, until their OPEN event names their key. */
    private final Map<String, Admitted> admitted = new ConcurrentHashMap<>();
    private WebSocketClient client;
    /** The venue endpoints the routes name, read once. */
    private final Map<String, URI> endpoints = new ConcurrentHashMap<>();

    /**
     * @param token            the relay token browsers must present ({@code ?token=} or a Bearer header); blank: none
     * @param maxConnections   browser connections open (or opening) at once; more are refused with 503
     * @param maxPendingFrames frames a browser may send before its upstream is connected; more close the pair
     */
    public RelayWebSockets(CamelContext camel, long keepaliveMs, String token,
            int maxConnections, int maxPendingFrames) {
        this.camel = camel;
        this.keepaliveMs = keepaliveMs;
        this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.maxConnections = maxConnections;
        this.maxPendingFrames = maxPendingFrames;
    }

    /**
     * Runs before the WebSocket upgrade (first handler of the relay's Vert.x router): the relay
     * token, when one is configured, and the connection cap. A refused browser gets a plain HTTP
     * answer (401, 503) and never reaches the venue.
     */
    public void admit(RoutingContext ctx) {
        if (token != null && !tokenMatches(ctx)) {
            ctx.response().setStatusCode(401).end("this relay needs its token: ?token=<relay token> or Authorization: Bearer");
            return;
        }
        long now = System.nanoTime();
        purge(now);
        if (open() >= maxConnections) {
            ctx.response().setStatusCode(503).end("the relay holds " + maxConnections + " WebSocket connections already");
            return;
        }
        // A handshake refused after this (a foreign origin) never opens: forget those left over.
        admitted.values().removeIf(a -> now - a.at() > HANDSHAKE_NANOS);
        admitted.put(ctx.request().remoteAddress().toString(), new Admitted(ctx.request().connection(), now));
        ctx.next();
    }

    private static final long HANDSHAKE_NANOS = TimeUnit.SECONDS.toNanos(30);

    private record Admitted(HttpConnection connection, long at) {
    }

    private boolean tokenMatches(RoutingContext ctx) {
        String q = ctx.request().getParam("token");
        String auth = ctx.request().getHeader("Authorization");
        String given = q != null ? q : auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim() : null;
        return given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
    }

    /** The route's step: one browser's channel, bridged to this venue endpoint (relay.camel.yaml names it). */
    public void bridge(Exchange exchange, String endpoint) {
        handle(exchange, endpoints.computeIfAbsent(endpoint, VenueChannel::endpoint));
    }

    /** Browser connections bridged (their OPEN taken) and not yet forgotten, for the cap, health and tests. */
    public int open() {
        int open = 0;
        for (Bridge b : bridges.values()) {
            open += b.openSeen ? 1 : 0;
        }
        return open;
    }

    /** Upstream connections started since this relay began, for tests and operators. */
    public long upstreamConnections() {
        return upstreamConnections.get();
    }

    private final AtomicLong upstreamConnections = new AtomicLong();

    /**
     * Entries neither OPEN nor CLOSE has been taken for, made by a frame, older than a handshake
     * may take: a frame taken after its connection's OPEN and CLOSE (no OPEN will come for it).
     * An entry made by a CLOSE taken first stays: its OPEN is still to come and must find it ended.
     */
    private void purge(long now) {
        bridges.forEach((key, b) -> {
            // Never waits (admit runs on an event loop): one held by an event is in use, not left over.
            if (now - b.since > HANDSHAKE_NANOS && b.lock.tryLock()) {
                try {
                    if (!b.openSeen && !b.closeSeen) {
                        b.closed = true;
                        b.pending.clear();
                        bridges.remove(key, b);
                    }
                } finally {
                    b.lock.unlock();
                }
            }
        });
    }

    private void handle(Exchange exchange, URI venue) {
        String channel = venue.getPath().substring(venue.getPath().lastIndexOf('/') + 1);
        String key = exchange.getIn().getHeader(VertxWebsocketConstants.CONNECTION_KEY, String.class);
        VertxWebsocketEvent event = exchange.getIn().getHeader(VertxWebsocketConstants.EVENT, VertxWebsocketEvent.class);
        if (key == null || event == null) {
            return;
        }
        switch (event) {
            case OPEN -> {
                Object remote = exchange.getIn().getHeader(VertxWebsocketConstants.REMOTE_ADDRESS);
                Admitted browser = remote == null ? null : admitted.remove(remote.toString());
                open(key, channel, venue, exchange.getIn().getBody(ServerWebSocket.class), browser == null ? null : browser.connection());
            }
            case MESSAGE -> forward(key, channel, exchange.getIn().getBody(String.class));
            case CLOSE -> {
                Bridge bridge = locked(key, channel);
                try {
                    bridge.closeSeen = true;
                    close(key, bridge);
                } finally {
                    bridge.lock.unlock();
                }
                purge(System.nanoTime());
            }
            default -> {
                // ERROR: the component sends it to its exception handler, not here; its CLOSE follows
            }
        }
    }

    /**
     * This connection's bridge, made if need be, locked, and still the one in the map (a purge may
     * have removed the one found): every event's change is made under its lock, released by the caller.
     */
    private Bridge locked(String key, String channel) {
        while (true) {
            Bridge b = bridges.computeIfAbsent(key, k -> new Bridge(channel));
            b.lock.lock();
            if (bridges.get(key) == b) {
                return b;
            }
            b.lock.unlock();
        }
    }

    private synchronized WebSocketClient client() {
        if (client == null) {
            Vertx vertx = camel.getComponent("vertx-websocket", VertxWebsocketComponent.class).getVertx();
            // TLS is chosen per connection (wss: endpoints); the host is always verified then.
            client = vertx.createWebSocketClient(new WebSocketClientOptions().setVerifyHost(true).setConnectTimeout(10_000));
        }
        return client;
    }

    private void open(String key, String channel, URI upstream, ServerWebSocket browserSocket, HttpConnection browser) {
        Bridge bridge = locked(key, channel);
        try {
            bridge.openSeen = true;
            bridge.toBrowser = browserSocket;
            bridge.browser = browser;
            if (bridge.closed) {
                // Its CLOSE came first, or it ended before this OPEN (too many early frames): never connect
                // upstream; the browser's side, unknown when it ended, is closed now.
                closeBrowser(bridge);
                close(key, bridge);
                return;
            }
        } finally {
            bridge.lock.unlock();
        }
        upstreamConnections.incrementAndGet();
        boolean tls = "wss".equals(upstream.getScheme());
        int port = upstream.getPort() > 0 ? upstream.getPort() : tls ? 443 : 80;
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(upstream.getHost()).setPort(port)
                .setSsl(tls).setURI(upstream.getRawPath());
        Vertx vertx = camel.getComponent("vertx-websocket", VertxWebsocketComponent.class).getVertx();
        client().connect(options).onSuccess(ws -> {
            bridge.lock.lock();
            try {
                if (bridge.closed) {
                    ws.close();
                    return;
                }
                bridge.upstream = ws;
                bridge.pending.forEach(ws::writeTextMessage);
                bridge.pending.clear();
                bridge.keepalive = vertx.setPeriodic(keepaliveMs, id -> ws.writeTextMessage("PING"));
            } finally {
                bridge.lock.unlock();
            }
            ws.textMessageHandler(text -> send(bridge, text));
            ws.closeHandler(v -> closeLocked(key, bridge));
        }).onFailure(e -> {
            LOG.warn("relay WebSocket {}: upstream {} unreachable: {}", bridge.channel, upstream.getHost(), e.getMessage());
            send(bridge, "{\"error\":\"upstream unreachable\"}");
            closeLocked(key, bridge);
        });
    }

    private void forward(String key, String channel, String text) {
        Bridge bridge = locked(key, channel);
        try {
            if (bridge.closed) {
                return; // the pair has ended: nothing is sent for it any more
            }
            if (bridge.upstream == null && bridge.pending.size() >= maxPendingFrames) {
                // A browser sending faster than the venue connects: the pair ends rather than queue without bound.
                LOG.warn("relay WebSocket {}: {} frames waiting for the venue, closing", bridge.channel, maxPendingFrames);
                send(bridge, "{\"error\":\"too many frames before the venue connected\"}");
                close(key, bridge);
            } else if (bridge.upstream == null) {
                bridge.pending.add(text); // before the venue connected, or before this browser's OPEN was taken
            } else {
                bridge.upstream.writeTextMessage(text);
            }
        } finally {
            bridge.lock.unlock();
        }
    }

    private void send(Bridge bridge, String text) {
        ServerWebSocket browser;
        bridge.lock.lock();
        try {
            browser = bridge.closed ? null : bridge.toBrowser;
        } finally {
            bridge.lock.unlock();
        }
        if (browser == null || browser.isClosed()) {
            return; // the browser has left; its close event ends the bridge
        }
        // Straight to the browser's socket: Camel's producer, finding no browser connected at all in a
        // race with a close, would connect as a client and block the event loop this runs on.
        browser.writeTextMessage(text).onFailure(e -> LOG.debug("relay WebSocket {}: browser gone", bridge.channel));
    }

    /** {@link #close} from the venue's side (its close, or unreachable), taking the bridge's lock. */
    private void closeLocked(String key, Bridge bridge) {
        bridge.lock.lock();
        try {
            close(key, bridge);
        } finally {
            bridge.lock.unlock();
        }
    }

    /**
     * Ends the pair (either side, or the venue unreachable) and forgets it once the browser's OPEN
     * and CLOSE have both been taken: until then a late OPEN must still find it ended. Called with
     * the bridge's lock held.
     */
    private void close(String key, Bridge bridge) {
        if (!bridge.closed) {
            bridge.closed = true;
            bridge.pending.clear();
            if (bridge.keepalive >= 0) {
                camel.getComponent("vertx-websocket", VertxWebsocketComponent.class).getVertx().cancelTimer(bridge.keepalive);
            }
            if (bridge.upstream != null && !bridge.upstream.isClosed()) {
                bridge.upstream.close();
            }
            closeBrowser(bridge); // either side closing ends the pair
        }
        if (bridge.openSeen && bridge.closeSeen) {
            bridges.remove(key, bridge);
        }
    }

    /** The browser's side, where it is known and its CLOSE not yet taken. */
    private static void closeBrowser(Bridge bridge) {
        if (bridge.closeSeen) {
            return;
        }
        if (bridge.browser != null) {
            bridge.browser.close();
        } else if (bridge.toBrowser != null && !bridge.toBrowser.isClosed()) {
            bridge.toBrowser.close();
        }
    }
}
