package com.oddsgate.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The venue simulators' HTTP server: the Polymarket CLOB under {@code /clob}, Gamma under
 * {@code /gamma} and Kalshi under {@code /kalshi} (its paths then start with {@code /trade-api/v2}), on a port of their own so that "venue down" is a real refused connection. It can
 * be stopped and started again on the same port.
 */
public class SimulatorServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SimulatorServer.class);

    /** A request as the handlers see it: the path is relative to the venue's base URL, without query. */
    public record Request(String method, String path, Map<String, String> query, Map<String, String> headers, byte[] body) {
        boolean is(String m, String p) {
            return method.equals(m) && path.equals(p);
        }

        String query(String name) {
            return query.get(name);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    public record Reply(int status, String body, Map<String, String> headers) {
        public Reply(int status, String body) {
            this(status, body, Map.of());
        }

        static Reply json(int status, String body) {
            return new Reply(status, body);
        }

        Reply withHeaders(Map<String, String> more) {
            Map<String, String> all = new HashMap<>(headers);
            all.putAll(more);
            return new Reply(status, body, all);
        }
    }

    private final String host;
    private final PolymarketSim polymarket;
    private final KalshiSim kalshi;
    private final VenueSockets sockets;
    private final Map<String, Function<Request, Reply>> venues = new HashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Request lastRequest;
    private volatile HttpServer server;
    private ExecutorService executor;
    private int port;
    private final VenueFaults faults = new VenueFaults();
    /** Closes the connections of lost answers once their time is up. */
    private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "venue-sim-faults");
        t.setDaemon(true);
        return t;
    });

    /** @param wsPort the CLOB WebSocket simulator's port (0: any free port) */
    public SimulatorServer(String host, int port, int wsPort, PolymarketSim polymarket, KalshiSim kalshi) {
        this.host = host;
        this.port = port;
        this.sockets = new VenueSockets(polymarket, kalshi, host, wsPort);
        this.polymarket = polymarket;
        this.kalshi = kalshi;
        venues.put("/clob", polymarket::clob);
        venues.put("/gamma", polymarket::gamma);
        venues.put("/data-api", polymarket::dataApi);
        venues.put("/kalshi", kalshi::handle);
    }

    public synchronized SimulatorServer start() throws IOException {
        if (server != null) {
            return this;
        }
        // The JDK server writes headers and body separately; without TCP_NODELAY, Nagle and the
        // client's delayed ACK add ~40 ms to every answer (measured: p50 52 ms at 100 orders/s).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer s = HttpServer.create(new InetSocketAddress(host, port), 256);
        venues.forEach((prefix, handler) -> s.createContext(prefix, ex -> handle(prefix, handler, ex, this)));
        executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "venue-sim");
            t.setDaemon(true);
            return t;
        });
        s.setExecutor(executor);
        s.start();
        port = s.getAddress().getPort();
        server = s;
        sockets.start();
        LOG.info("Venue simulators listening on http://{}:{} (Polymarket CLOB /clob, Gamma /gamma, data API /data-api, Kalshi /kalshi/trade-api/v2)", host, port);
        return this;
    }

    /** Stops listening; connections are refused until {@link #start()} binds the same port again. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
        sockets.close();
    }

    @Override
    public void close() {
        stop();
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://" + host + ":" + port;
    }

    public PolymarketSim polymarket() {
        return polymarket;
    }

    public KalshiSim kalshi() {
        return kalshi;
    }

    /** The faults this server plays between the gateway and the venues (none unless a test asks). */
    public VenueFaults faults() {
        return faults;
    }

    public VenueSockets sockets() {
        return sockets;
    }

    /** How many requests reached any simulated venue: what a relay test counts to prove nothing was forwarded. */
    public int requestCount() {
        return requests.get();
    }

    /** The last request any simulated venue received, headers as received (names lower-cased). */
    public Request lastRequest() {
        return lastRequest;
    }

    private static void handle(String prefix, Function<Request, Reply> handler, HttpExchange ex, SimulatorServer self)
            throws IOException {
        boolean handedOff = false;
        try {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, String> headers = new HashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.isEmpty() ? "" : v.get(0)));
            String rawPath = ex.getRequestURI().getRawPath();
            Request r = new Request(ex.getRequestMethod().toUpperCase(Locale.ROOT), rawPath.substring(prefix.length()),
                    query(ex.getRequestURI().getRawQuery()), headers, body);
            self.requests.incrementAndGet();
            self.lastRequest = r;
            VenueFaults.Kind fault = self.faults.pick(r, !prefix.equals("/kalshi"));
            Reply before = fault == null ? null : refusedInFront(fault, self.faults, prefix.equals("/kalshi"));
            if (before != null) {
                send(ex, before);
                return;
            }
            if (fault == VenueFaults.Kind.SLOW) {
                sleep(self.faults.slowMillis());
            }
            Reply reply;
            try {
                reply = handler.apply(r);
            } catch (RuntimeException e) {
                LOG.warn("simulator failed on {} {}: {}", r.method(), r.path(), e.toString());
                reply = new Reply(500, "{\"error\":\"simulator error\"}");
            }
            if (fault == VenueFaults.Kind.LOST_ANSWER || fault == VenueFaults.Kind.VERSION_SWITCH) {
                if (fault == VenueFaults.Kind.VERSION_SWITCH) {
                    self.polymarket.setVersion(self.polymarket.version() == 2 ? 3 : 2);
                }
                // Taken, never answered: the connection closes once the client has given up reading.
                handedOff = true;
                self.closer.schedule(ex::close, self.faults.lostAnswerMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            if (fault == VenueFaults.Kind.UNKNOWN_STATUS) {
                reply = new Reply(reply.status(), unknownStatus(reply.body()), reply.headers());
            }
            if (fault == VenueFaults.Kind.UNREADABLE_SUCCESS && reply.status() / 100 == 2) {
                reply = new Reply(reply.status(), "<html><body>OK</body></html>", Map.of("Content-Type", "text/html"));
            }
            if (fault == VenueFaults.Kind.SHAPE_DRIFT && reply.status() / 100 == 2) {
                reply = new Reply(reply.status(), "{}", reply.headers());
            }
            if (fault == VenueFaults.Kind.RESET_MID_ANSWER) {
                byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(reply.status(), Math.max(2, out.length));
                OutputStream os = ex.getResponseBody();
                os.write(out, 0, out.length / 2);
                os.flush();
                return; // closing short of the promised length drops the connection
            }
            send(ex, reply);
        } finally {
            if (!handedOff) {
                ex.close();
            }
        }
    }

    private static void send(HttpExchange ex, Reply reply) throws IOException {
        byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", reply.body().startsWith("<") ? "text/html" : "application/json");
        reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        ex.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
        if (out.length > 0) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        }
    }

    /** A fault answered before the venue sees the request, or null when the venue must take it. */
    private static Reply refusedInFront(VenueFaults.Kind fault, VenueFaults faults, boolean kalshi) {
        if (fault == VenueFaults.Kind.RATE_LIMITED && kalshi) {
            // Kalshi's 429 comes without Retry-After (its contract): the client backs off on its own.
            return new Reply(429, "{\"error\":\"too many requests\"}");
        }
        return switch (fault) {
            case CDN_403 -> new Reply(403, "<html><head><title>403 Forbidden</title></head><body>Attention Required!"
                    + " | Cloudflare</body></html>");
            case RATE_LIMITED -> new Reply(429, "{\"error\":\"Too Many Requests\"}", Map.of("Retry-After", faults.retryAfter()));
            case UNAVAILABLE -> new Reply(503, "{\"error\":\"service unavailable\"}");
            default -> null;
        };
    }

    /** Every {@code status} in the answer (top level, nested order objects, batch elements) becomes a word nobody documented. */
    static String unknownStatus(String body) {
        return body.replaceAll("\"status\"\\s*:\\s*\"[^\"]*\"", "\"status\":\"held_for_review\"");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.putIfAbsent(k, v);
        }
        return q;
    }
}
