package com.oddsgate.venue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One venue WebSocket channel kept open: handshake headers made afresh for every connect (Kalshi
 * signs them), the subscription sent on every (re)connect (and again with a keepalive when it has
 * changed), an optional text keepalive, reconnect with backoff. Frames go to {@code sink} off the event loop, in order; every (re)connect asks for
 * a catch-up ({@code catchUp}), since frames sent while we were away are lost.
 * <p>
 * Plain Vert.x rather than camel-vertx-websocket's client mode, which has no "connected" hook for
 * the subscription, cannot re-sign a handshake, and shares one socket field between its consumer
 * and producer: a send raced with a reconnect and went out on a second socket nobody read (seen in
 * test runs) — the CAMEL-25582 class of problem.
 */
public class VenueChannel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VenueChannel.class);

    private final String name;
    /** Given by the route that starts the channel (the venue's WebSocket endpoint is named there). */
    private volatile URI url;
    private final Function<String, Map<String, String>> handshake;
    private final Supplier<String> subscription;
    private final String ping;
    private final long keepaliveMillis;
    private final Consumer<String> sink;
    private final Runnable catchUp;
    private final AtomicInteger connects = new AtomicInteger();
    private final AtomicInteger catchUps = new AtomicInteger();
    private volatile Vertx vertx;
    private volatile HttpClient client;
    private volatile WebSocket socket;
    private volatile long lastHeard;
    private volatile long backoffMillis = 1000;
    private volatile boolean closed;
    /** Bumped by every start and stop: a callback of an earlier connection does nothing. */
    private volatile int generation;
    private volatile boolean silent;
    private volatile String subscribed;
    private final Object following = new Object();
    private final AtomicBoolean refreshWanted = new AtomicBoolean();
    private BiFunction<String, String, List<String>> changes = (sent, now) -> List.of(now);

    /**
     * @param ping text keepalive sent every {@code keepaliveMillis} (Polymarket's {@code PING}), or
     *             null for none; the answer to it (any frame equal to "PONG") is not passed on
     */
    public VenueChannel(String name, String url, Function<String, Map<String, String>> handshake, Supplier<String> subscription,
            String ping, long keepaliveMillis, Consumer<String> sink, Runnable catchUp) {
        this.name = name;
        this.url = url == null ? null : URI.create(url);
        this.handshake = handshake;
        this.subscription = subscription;
        this.ping = ping;
        this.keepaliveMillis = keepaliveMillis;
        this.sink = sink;
        this.catchUp = catchUp;
    }

    /**
     * How a changed subscription is told to a connected venue: the messages that turn the one sent
     * into the new one (by default the new one whole, as on a connect).
     */
    public VenueChannel changesBy(BiFunction<String, String, List<String>> changes) {
        this.changes = changes;
        return this;
    }

    /** Connects to this endpoint (the route names it), and stays connected. */
    public synchronized void start(String endpoint) {
        url = endpoint(endpoint);
        start();
    }

    /** A WebSocket endpoint as a route names it ({@code {{…ws-url}}/ws/user}): a base written with a trailing slash adds none. */
    public static URI endpoint(String endpoint) {
        URI u = URI.create(endpoint);
        String path = u.getRawPath() == null ? "" : u.getRawPath().replaceAll("/{2,}", "/");
        return URI.create(u.getScheme() + "://" + u.getRawAuthority() + path + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
    }

    public synchronized void start() {
        if (url == null) {
            throw new IllegalStateException(name + " channel: no endpoint to connect to");
        }
        if (vertx != null || closed) {
            return;
        }
        Vertx v = Vertx.vertx();
        generation++;
        vertx = v;
        client = v.createHttpClient();
        if (ping != null) {
            // Off the event loop: the subscription may read the ledger.
            v.setPeriodic(keepaliveMillis, t -> v.executeBlocking(() -> {
                keepalive();
                return null;
            }, false));
        }
        connect();
    }

    /**
     * Closes the channel until {@link #start} is called again: another gateway instance took over
     * the streams. What arrives meanwhile is caught up by that instance, and by this one on its next start.
     */
    public synchronized void stop() {
        Vertx v = vertx;
        if (v != null) {
            generation++;
            vertx = null;
            client = null;
            socket = null;
            v.close();
        }
    }

    /** How often the channel was (re)connected and subscribed. */
    public int connects() {
        return connects.get();
    }

    /** Catch-ups finished (one per connect), so a caller can tell when the gap behind a reconnect is closed. */
    public int catchUps() {
        return catchUps.get();
    }

    /** True while a connected channel has not answered its keepalives (three periods). */
    public boolean silent() {
        return silent;
    }

    public String path() {
        URI u = url;
        return u == null ? null : u.getPath();
    }

    private void connect() {
        HttpClient client = this.client;
        int gen = generation;
        if (closed || client == null) {
            return; // closed, or stopped
        }
        URI url = this.url;
        WebSocketConnectOptions options = new WebSocketConnectOptions().setAbsoluteURI(url.toString());
        handshake.apply(url.getPath()).forEach(options::addHeader);
        client.webSocket(options).onSuccess(ws -> {
            Vertx v = vertx;
            if (v == null || gen != generation) {
                ws.close(); // stopped (and perhaps started again) meanwhile
                return;
            }
            subscribed = null; // nothing sent on this connection yet
            socket = ws;
            lastHeard = System.currentTimeMillis();
            ws.textMessageHandler(text -> frame(text, gen));
            ws.closeHandler(gone -> {
                if (gen != generation) {
                    return; // an earlier connection, closed by a stop
                }
                LOG.info("{} channel closed; reconnecting", name);
                socket = null;
                retryLater(gen);
            });
            // Off the event loop: the subscription may read the ledger, or need the account's API credentials.
            v.executeBlocking(subscription::get, false).onComplete(made -> {
                if (gen != generation || socket != ws) {
                    return; // stopped, or this connection closed and another one made meanwhile
                }
                if (made.failed()) {
                    // Not connected without it: closed, and tried again after the backoff.
                    LOG.warn("{} channel: no subscription to send ({}); reconnecting in {} ms", name, made.cause().getMessage(),
                            backoffMillis);
                    ws.close();
                    return;
                }
                backoffMillis = 1000;
                subscribed = made.result();
                ws.writeTextMessage(subscribed); // carries credentials on some venues: never logged
                connects.incrementAndGet();
                if (refreshWanted.get()) {
                    scheduleFollow(v); // an order recorded while this subscription was being made
                }
                v.executeBlocking(() -> {
                    try {
                        catchUp.run();
                    } finally {
                        catchUps.incrementAndGet();
                    }
                    return null;
                }, false);
            });
        }).onFailure(e -> {
            LOG.warn("{} channel: cannot connect to {}://{}{} ({}); retrying in {} ms", name, url.getScheme(), url.getAuthority(),
                    url.getPath(), e.getMessage(), backoffMillis);
            retryLater(gen);
        });
    }

    private void keepalive() {
        WebSocket ws = socket;
        String sent = subscribed;
        if (ws == null || ws.isClosed() || sent == null) {
            return; // not connected, or its subscription not sent yet
        }
        boolean quiet = System.currentTimeMillis() - lastHeard > 3 * keepaliveMillis;
        if (quiet != silent) {
            silent = quiet;
            if (quiet) {
                LOG.warn("{} channel: no answer to keepalives for {} ms; polling carries the fills", name,
                        System.currentTimeMillis() - lastHeard);
            } else {
                LOG.info("{} channel answers again", name);
            }
        }
        follow();
        ws.writeTextMessage(ping);
    }

    /**
     * Whether this channel follows it (a market's id, as the subscription names it): an order placed
     * there has its frames coming. True while not connected (a connect subscribes afresh); false while
     * a connection's subscription is still being made (it may have been read before the order was recorded).
     */
    public boolean follows(String key) {
        if (socket == null) {
            return true;
        }
        String sent = subscribed;
        return sent != null && sent.contains("\"" + key + "\"");
    }

    /**
     * Whether frames about it (a market's id, as the subscription names it) are arriving now: connected,
     * heard within two keepalive periods, and subscribed to it. False while not connected — unlike {@link #follows}.
     */
    public boolean streaming(String key) {
        WebSocket ws = socket;
        String sent = subscribed;
        // Heard within two keepalive periods (a frame or a PONG); a half-open connection counts until then.
        return ws != null && !ws.isClosed() && System.currentTimeMillis() - lastHeard <= 2 * keepaliveMillis && sent != null
                && sent.contains("\"" + key + "\"");
    }

    /**
     * Sends the subscription's change now, off the event loop, rather than at the next keepalive
     * (up to its period later): an order in a market not followed yet would have its own trade's
     * frame missed, and its fill wait for polling. Orders arriving together make one run.
     */
    public void refresh() {
        Vertx v = vertx;
        if (v != null && socket != null && refreshWanted.compareAndSet(false, true)) {
            scheduleFollow(v);
        }
    }

    private void scheduleFollow(Vertx v) {
        v.executeBlocking(() -> {
            follow();
            return null;
        }, false);
    }

    /**
     * The subscription's change since the one sent, sent (one at a time: a refresh beside a
     * keepalive sends it once) — to the connection it was computed for: one made meanwhile has sent
     * a subscription of its own, read afresh.
     */
    private void follow() {
        synchronized (following) {
            WebSocket ws = socket;
            String sent = subscribed;
            int gen = generation;
            if (ws == null || ws.isClosed() || sent == null) {
                return; // not connected (a connect subscribes afresh), or subscribing: the connect runs this again if wanted
            }
            refreshWanted.set(false); // an order recorded from here on asks again
            String now = subscription.get();
            if (now.equals(sent) || socket != ws || gen != generation) {
                return;
            }
            // Markets to follow changed (an order in a new market, a market with nothing left to trade).
            changes.apply(sent, now).forEach(ws::writeTextMessage);
            subscribed = now;
        }
    }

    private void retryLater(int gen) {
        Vertx v = vertx;
        if (closed || v == null || gen != generation) {
            return; // closed, or stopped
        }
        long delay = backoffMillis;
        backoffMillis = Math.min(30_000, backoffMillis * 2);
        v.setTimer(delay, t -> connect());
    }

    private void frame(String text, int gen) {
        if (gen != generation) {
            return; // an earlier connection's last frames: the instance that leads now reads them
        }
        lastHeard = System.currentTimeMillis();
        if ("PONG".equals(text)) {
            return;
        }
        Vertx v = vertx;
        if (v == null) {
            return; // stopped: the instance that leads now reads it
        }
        v.executeBlocking(() -> {
            sink.accept(text);
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
