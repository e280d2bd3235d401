package com.oddsgate.sim;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;

/**
 * The CLOB's WebSocket channels, simulated: {@code /ws/market} answers a subscription
 * ({@code {"assets_ids":[…],"type":"market"}}) with a {@code book} event per known asset;
 * {@code /ws/user} requires the API credentials in its subscription and closes on bad ones. Both
 * answer the text {@code PING} with {@code PONG}, as the venue's keepalive expects.
 */
public class PolymarketSocketSim implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PolymarketSocketSim.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PolymarketSim clob;
    private final String host;
    private int port;
    private Vertx vertx;
    private HttpServer server;
    private final AtomicInteger pings = new AtomicInteger();
    private final Map<ServerWebSocket, String> userSockets = new ConcurrentHashMap<>();

    public PolymarketSocketSim(PolymarketSim clob, String host, int port) {
        this.clob = clob;
        this.host = host;
        this.port = port;
    }

    public synchronized PolymarketSocketSim start() {
        if (server != null) {
            return this;
        }
        vertx = Vertx.vertx();
        try {
            server = vertx.createHttpServer().webSocketHandler(this::accept).listen(port, host)
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("simulator WebSocket server could not listen on " + host + ":" + port, e);
        }
        port = server.actualPort();
        LOG.info("Polymarket WebSocket simulator on ws://{}:{}/ws/market and /ws/user", host, port);
        return this;
    }

    @Override
    public synchronized void close() {
        if (vertx != null) {
            vertx.close();
            vertx = null;
            server = null;
        }
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "ws://" + host + ":" + port;
    }

    /** How many keepalive PINGs the venue side has received. */
    public int pings() {
        return pings.get();
    }

    private void accept(ServerWebSocket ws) {
        String path = ws.path();
        if (!path.equals("/ws/market") && !path.equals("/ws/user")) {
            ws.reject(404);
            return;
        }
        boolean user = path.equals("/ws/user");
        ws.closeHandler(v -> userSockets.remove(ws));
        ws.textMessageHandler(text -> {
            if (text.equals("PING")) {
                pings.incrementAndGet();
                ws.writeTextMessage("PONG");
                return;
            }
            JsonNode msg;
            try {
                msg = JSON.readTree(text);
            } catch (Exception e) {
                ws.writeTextMessage("INVALID OPERATION");
                return;
            }
            if (user) {
                JsonNode auth = msg.path("auth");
                if (!clob.credentialsValid(auth.path("apiKey").asText(), auth.path("secret").asText(),
                        auth.path("passphrase").asText())) {
                    ws.close((short) 4001, "invalid auth");
                    return;
                }
                userSockets.put(ws, auth.path("apiKey").asText());
            } else {
                for (JsonNode asset : msg.path("assets_ids")) {
                    String book = clob.bookEvent(asset.asText());
                    if (book != null) {
                        ws.writeTextMessage(book);
                    }
                }
            }
        });
    }
}
