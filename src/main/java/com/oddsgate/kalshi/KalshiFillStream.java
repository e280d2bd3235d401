package com.oddsgate.kalshi;

import java.net.URI;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * Kalshi's {@code fill} channel. Plain Vert.x rather than a camel-vertx-websocket endpoint because
 * every connect needs a freshly signed handshake (RSA-PSS over {@code ts + "GET" + path}, checked
 * within seconds), which an endpoint's fixed handshake headers cannot give on a reconnect. Each
 * frame goes to {@code sink} (a Camel route) off the event loop, in order; a gap in {@code seq}
 * or a reconnect asks for a catch-up poll.
 */
public class KalshiFillStream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KalshiFillStream.class);
    static final String SUBSCRIBE = "{\"id\":1,\"cmd\":\"subscribe\",\"params\":{\"channels\":[\"fill\"]}}";

    private final KalshiAccount account;
    private final URI url;
    private final Clock clock;
    private final ObjectMapper json;
    private final Consumer<String> sink;
    private final Runnable catchUp;
    private final AtomicInteger connects = new AtomicInteger();
    private Vertx vertx;
    private HttpClient client;
    private volatile WebSocket socket;
    private volatile long lastSeq = -1;
    private volatile long backoffMillis = 1000;
    private volatile boolean closed;

    public KalshiFillStream(KalshiAccount account, String url, Clock clock, ObjectMapper json, Consumer<String> sink,
            Runnable catchUp) {
        this.account = account;
        this.url = URI.create(url);
        this.clock = clock;
        this.json = json;
        this.sink = sink;
        this.catchUp = catchUp;
    }

    /** Connects (and keeps reconnecting); nothing to do without a Kalshi key. */
    public synchronized void start() {
        if (!account.configured() || vertx != null) {
            return;
        }
        vertx = Vertx.vertx();
        client = vertx.createHttpClient();
        connect();
    }

    /** How many times the channel was (re)connected and subscribed. */
    public int connects() {
        return connects.get();
    }

    public boolean connected() {
        WebSocket ws = socket;
        return ws != null && !ws.isClosed();
    }

    private void connect() {
        if (closed) {
            return;
        }
        WebSocketConnectOptions options = new WebSocketConnectOptions().setAbsoluteURI(url.toString());
        account.headers(clock.millis(), "GET", url.getPath()).forEach(options::addHeader);
        client.webSocket(options).onSuccess(ws -> {
            socket = ws;
            lastSeq = -1;
            backoffMillis = 1000;
            ws.textMessageHandler(this::frame);
            ws.closeHandler(v -> {
                LOG.info("Kalshi fill channel closed; reconnecting");
                retryLater();
            });
            ws.writeTextMessage(SUBSCRIBE);
            connects.incrementAndGet();
            catchUp.run(); // whatever filled while we were not listening
        }).onFailure(e -> {
            LOG.warn("Kalshi fill channel: cannot connect to {} ({}); retrying in {} ms", url, e.getMessage(), backoffMillis);
            retryLater();
        });
    }

    private void retryLater() {
        if (closed) {
            return;
        }
        long delay = backoffMillis;
        backoffMillis = Math.min(30_000, backoffMillis * 2);
        vertx.setTimer(delay, t -> connect());
    }

    private void frame(String text) {
        JsonNode frame;
        try {
            frame = json.readTree(text);
        } catch (Exception e) {
            LOG.warn("Kalshi fill channel: unreadable frame ignored");
            return;
        }
        String type = frame.path("type").asText();
        if (type.equals("error")) {
            LOG.warn("Kalshi fill channel error: {}", frame.path("msg"));
            return;
        }
        if (!type.equals("fill")) {
            return;
        }
        long seq = frame.path("seq").asLong(-1);
        boolean gap = lastSeq >= 0 && seq != lastSeq + 1;
        lastSeq = seq;
        vertx.executeBlocking(() -> {
            sink.accept(text);
            if (gap) {
                LOG.info("Kalshi fill channel: sequence gap before {}; catching up by polling", seq);
                catchUp.run();
            }
            return null;
        }, true);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (vertx != null) {
            vertx.close();
            vertx = null;
        }
    }
}
