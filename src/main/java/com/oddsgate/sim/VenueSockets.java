package com.oddsgate.sim;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The venues' WebSocket channels, simulated. Kalshi's {@code /trade-api/ws/v2} checks the signed
 * handshake (RSA-PSS over {@code ts + "GET" + path}) and, after {@code subscribe} to {@code fill},
 * sends each of the key's fills as {@code {"type":"fill","sid","msg"}}. The CLOB's channels: {@code /ws/market} answers a subscription
 * ({@code {"assets_ids":[…],"type":"market"}}) with a {@code book} event per known asset;
 * {@code /ws/user} requires the API credentials in its subscription and closes on bad ones, then
 * sends the subscriber's {@code trade} events for the markets it named (all when none). Both
 * answer the text {@code PING} with {@code PONG}, as the venue's keepalive expects.
 */
public class VenueSockets implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(VenueSockets.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PolymarketSim clob;
    private final String host;
    private int port;
    private Vertx vertx;
    private HttpServer server;
    private final AtomicInteger pings = new AtomicInteger();
    /** A user-channel subscriber: whose trades it gets, and for which markets (all when none are named). */
    private record Subscriber(String apiKey, Set<String> markets) {
    }

    private final Map<ServerWebSocket, Subscriber> userSockets = new ConcurrentHashMap<>();
    /** Market-channel subscribers and the outcome tokens each follows. */
    private final Map<ServerWebSocket, Set<String>> marketSockets = new ConcurrentHashMap<>();
    private final AtomicInteger subscriptions = new AtomicInteger();

    public VenueSockets(PolymarketSim clob, KalshiSim kalshi, String host, int port) {
        this.clob = clob;
        this.kalshi = kalshi;
        this.host = host;
        this.port = port;
        clob.tradeListener(this::publishTrade);
        clob.orderListener(this::publishOrderEvent);
        clob.marketListener(this::publishMarketEvent);
        kalshi.fillListener(this::publishKalshiFill);
    }

    static final String KALSHI_PATH = "/trade-api/ws/v2";

    /** A Kalshi fill-channel subscriber. */
    private record KalshiSubscriber(String keyId) {
    }

    private final KalshiSim kalshi;
    private final Map<ServerWebSocket, KalshiSubscriber> kalshiSockets = new ConcurrentHashMap<>();
    private final AtomicInteger kalshiSubscriptions = new AtomicInteger();
    private final AtomicInteger dropKalshiFills = new AtomicInteger();

    /** How many Kalshi fill-channel subscriptions were accepted. */
    public int kalshiSubscriptions() {
        return kalshiSubscriptions.get();
    }

    /** The next {@code n} Kalshi fill frames are lost on the way (nothing in the frames shows it: no seq). */
    public void dropKalshiFills(int n) {
        dropKalshiFills.set(n);
    }

    void publishKalshiFill(String keyId, ObjectNode msg) {
        boolean drop = dropKalshiFills.get() > 0 && dropKalshiFills.getAndDecrement() > 0;
        kalshiSockets.forEach((ws, sub) -> {
            if (sub.keyId().equals(keyId) && !drop) {
                ws.writeTextMessage(JSON.createObjectNode().put("type", "fill").put("sid", 1).set("msg", msg).toString());
            }
        });
    }

    private void acceptKalshi(ServerWebSocket ws) {
        String keyId = kalshi.authenticateHandshake(ws.headers()::get, KALSHI_PATH);
        if (keyId == null) {
            ws.reject(401);
            return;
        }
        ws.closeHandler(v -> kalshiSockets.remove(ws));
        ws.textMessageHandler(text -> {
            try {
                JsonNode cmd = JSON.readTree(text);
                if ("subscribe".equals(cmd.path("cmd").asText())
                        && cmd.path("params").path("channels").toString().contains("\"fill\"")) {
                    kalshiSockets.put(ws, new KalshiSubscriber(keyId));
                    kalshiSubscriptions.incrementAndGet();
                    ws.writeTextMessage(JSON.createObjectNode().put("id", cmd.path("id").asInt()).put("type", "subscribed")
                            .set("msg", JSON.createObjectNode().put("channel", "fill").put("sid", 1)).toString());
                } else {
                    ws.writeTextMessage("{\"type\":\"error\",\"msg\":{\"code\":8,\"msg\":\"Unknown command\"}}");
                }
            } catch (Exception e) {
                ws.writeTextMessage("{\"type\":\"error\",\"msg\":{\"code\":1,\"msg\":\"Unable to process message\"}}");
            }
        });
    }

    public synchronized VenueSockets start() {
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
            try {
                // Closed before answering: a start right after binds the same port.
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.warn("simulator WebSocket server did not close in time: {}", e.toString());
            }
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

    /** How many user-channel subscriptions were accepted (a client re-subscribes after each reconnect). */
    private final AtomicInteger operations = new AtomicInteger();

    private final AtomicInteger marketOperations = new AtomicInteger();

    /** How many subscription changes ({@code operation} messages) market-channel clients sent. */
    public int marketOperations() {
        return marketOperations.get();
    }

    /** How many subscription changes ({@code operation} messages) user-channel clients sent. */
    public int subscriptionOperations() {
        return operations.get();
    }

    public int subscriptions() {
        return subscriptions.get();
    }

    /** The markets the user-channel subscribers follow now (empty: all). */
    public Set<String> subscribedMarkets() {
        Set<String> out = new TreeSet<>();
        userSockets.values().forEach(s -> out.addAll(s.markets()));
        return out;
    }

    /** The outcome tokens market-channel subscribers follow now. */
    public Set<String> subscribedAssets() {
        Set<String> out = new TreeSet<>();
        marketSockets.values().forEach(out::addAll);
        return out;
    }

    /** A market event (e.g. {@code tick_size_change}) to every market-channel subscriber of its asset. */
    private void publishMarketEvent(String event) {
        String asset;
        try {
            asset = JSON.readTree(event).path("asset_id").asText();
        } catch (Exception e) {
            return;
        }
        marketSockets.forEach((ws, assets) -> {
            if (assets.contains(asset) && !ws.isClosed()) {
                ws.writeTextMessage(event);
            }
        });
    }

    /** Drops every user-channel connection, as a venue restart or a network cut would. */
    public void disconnectUsers() {
        userSockets.keySet().forEach(ws -> ws.close((short) 1001, "going away"));
        userSockets.clear();
    }

    private final AtomicInteger dropPolymarketTrades = new AtomicInteger();

    private final AtomicInteger dropPolymarketOrderEvents = new AtomicInteger();

    /** The next {@code n} Polymarket {@code order} events (PLACEMENT, UPDATE, CANCELLATION) are lost on the way. */
    public void dropPolymarketOrderEvents(int n) {
        dropPolymarketOrderEvents.set(n);
    }

    /** The next {@code n} Polymarket trade frames are lost on the way (the trades stay at the venue, /data/trades lists them). */
    public void dropPolymarketTrades(int n) {
        dropPolymarketTrades.set(n);
    }

    /**
     * A {@code trade} event to every user-channel subscriber who took part in the trade and follows
     * its market, each addressed to its receiver ({@code owner}, {@code trader_side}).
     */
    void publishTrade(ObjectNode trade) {
        if (dropPolymarketTrades.get() > 0 && dropPolymarketTrades.getAndDecrement() > 0) {
            return;
        }
        Set<String> owners = PolymarketSim.participants(trade);
        String market = trade.path("market").asText();
        userSockets.forEach((ws, sub) -> {
            if (owners.contains(sub.apiKey()) && (sub.markets().isEmpty() || sub.markets().contains(market))) {
                ws.writeTextMessage(PolymarketSim.addressedTo(trade, sub.apiKey(), true).toString());
            }
        });
    }

    /** An {@code order} event to its owner's user-channel connections that follow its market. */
    void publishOrderEvent(ObjectNode event) {
        if (dropPolymarketOrderEvents.get() > 0 && dropPolymarketOrderEvents.getAndDecrement() > 0) {
            return;
        }
        String market = event.path("market").asText();
        String text = event.toString();
        userSockets.forEach((ws, sub) -> {
            if (sub.apiKey().equals(event.path("owner").asText()) && (sub.markets().isEmpty() || sub.markets().contains(market))) {
                ws.writeTextMessage(text);
            }
        });
    }

    /** How many keepalive PINGs the venue side has received. */
    public int pings() {
        return pings.get();
    }

    private final AtomicInteger connections = new AtomicInteger();

    /** How many WebSocket connections any channel accepted so far. */
    public int connections() {
        return connections.get();
    }

    private void accept(ServerWebSocket ws) {
        connections.incrementAndGet();
        String path = ws.path();
        if (path.equals(KALSHI_PATH)) {
            acceptKalshi(ws);
            return;
        }
        if (!path.equals("/ws/market") && !path.equals("/ws/user")) {
            ws.reject(404);
            return;
        }
        boolean user = path.equals("/ws/user");
        ws.closeHandler(v -> {
            userSockets.remove(ws);
            marketSockets.remove(ws);
        });
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
            if (user && msg.has("operation")) {
                // A change of an authenticated subscription: {"operation":"subscribe"|"unsubscribe","markets":[…]}.
                Subscriber sub = userSockets.get(ws);
                if (sub == null) {
                    ws.close((short) 4001, "subscribe with auth first");
                    return;
                }
                boolean add = msg.path("operation").asText().equals("subscribe");
                msg.path("markets").forEach(m -> {
                    if (add) {
                        sub.markets().add(m.asText());
                    } else {
                        sub.markets().remove(m.asText());
                    }
                });
                operations.incrementAndGet();
                return;
            }
            if (!user && msg.has("operation")) {
                // A change of the market channel's assets on an open connection: {"operation":…,"assets_ids":[…]}.
                Set<String> assets = marketSockets.get(ws);
                if (assets == null) {
                    ws.writeTextMessage("INVALID OPERATION");
                    return;
                }
                boolean add = msg.path("operation").asText().equals("subscribe");
                for (JsonNode asset : msg.path("assets_ids")) {
                    if (!add) {
                        assets.remove(asset.asText());
                    } else if (assets.add(asset.asText())) {
                        String book = clob.bookEvent(asset.asText());
                        if (book != null) {
                            ws.writeTextMessage(book);
                        }
                    }
                }
                marketOperations.incrementAndGet();
                return;
            }
            if (user) {
                JsonNode auth = msg.path("auth");
                if (!clob.credentialsValid(auth.path("apiKey").asText(), auth.path("secret").asText(),
                        auth.path("passphrase").asText())) {
                    ws.close((short) 4001, "invalid auth");
                    return;
                }
                Set<String> markets = ConcurrentHashMap.newKeySet();
                msg.path("markets").forEach(m -> markets.add(m.asText()));
                userSockets.put(ws, new Subscriber(auth.path("apiKey").asText(), markets));
                subscriptions.incrementAndGet();
            } else {
                Set<String> assets = ConcurrentHashMap.newKeySet();
                msg.path("assets_ids").forEach(a -> assets.add(a.asText()));
                marketSockets.put(ws, assets);
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
