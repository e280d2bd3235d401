package com.oddsgate.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.utils.Numeric;

import com.oddsgate.message.Json;
import com.oddsgate.order.CanonicalOrder;
import com.oddsgate.order.MarketInfo;
import com.oddsgate.order.OrderType;
import com.oddsgate.order.Outcome;
import com.oddsgate.order.Side;
import com.oddsgate.order.TimeInForce;
import com.oddsgate.polymarket.signing.ApiCredentials;
import com.oddsgate.polymarket.signing.Exchanges;
import com.oddsgate.polymarket.signing.OrderVersion;
import com.oddsgate.polymarket.signing.PolyOrder;
import com.oddsgate.polymarket.protocol.PolymarketAccount;
import com.oddsgate.polymarket.protocol.PolymarketMarkets;
import com.oddsgate.polymarket.protocol.PolymarketOrders;
import com.oddsgate.polymarket.protocol.PolymarketSettings;
import com.oddsgate.polymarket.signing.Wallet;
import com.oddsgate.venue.VenueReads;
import com.oddsgate.venue.VenueReadsOnCamel;

/** The simulator refuses what the venue refuses, with the venue's words. */
class PolymarketSimTest {

    static final String DEV_KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    static SimulatorServer server;
    static PolymarketAccount account;
    static PolymarketSettings settings;
    static PolymarketMarkets markets;
    static PolymarketOrders orders;
    static VenueReadsOnCamel reads;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        server = new SimulatorServer("127.0.0.1", 0, 0,
                new PolymarketSim(Clock.systemUTC()).loadFixtures(Path.of("config/sim/polymarket.json")),
                new KalshiSim(Clock.systemUTC())).start();
        settings = new PolymarketSettings(server.baseUrl() + "/clob", server.baseUrl() + "/gamma", 137, OrderVersion.V2, 0,
                "", "", Duration.ofMinutes(1));
        reads = VenueReadsOnCamel.start(Map.of("oddsgate.polymarket.clob-url", settings.clobUrl(),
                "oddsgate.polymarket.gamma-url", settings.gammaUrl()));
        account = new PolymarketAccount(Wallet.fromPrivateKey(DEV_KEY), new ApiCredentials(
                "0dd5a7e0-5eed-4c1a-9d2e-00000000de01", "L4qeox9fHaW5J2rDFFzkauTGIGpsd4ePMDyiRevuriA=",
                "dev-passphrase-simulator-only"));
        markets = new PolymarketMarkets(reads.reads(), settings, Clock.systemUTC());
        orders = new PolymarketOrders(account, settings, Clock.systemUTC(), null);
    }

    @AfterAll
    static void stop() {
        reads.close();
        server.stop();
    }

    static CanonicalOrder order(Outcome outcome, Side side, String price, String size, TimeInForce tif) {
        return new CanonicalOrder("polymarket", null, null, outcome, side, new BigDecimal(price), new BigDecimal(size),
                OrderType.LIMIT, tif, null, false, false, null);
    }

    static PolymarketOrders.Signed signed(String slug, Outcome outcome, Side side, String price, String size) {
        MarketInfo m = markets.bySlug(slug);
        CanonicalOrder o = order(outcome, side, price, size, TimeInForce.GTC);
        return orders.build(o.withTokenId(m.tokenFor(outcome), outcome), m, null, null);
    }

    static HttpResponse<String> postOrder(String body, ApiCredentials creds) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(settings.clobUrl() + "/order"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        creds.l2Headers(account.wallet().address(), System.currentTimeMillis() / 1000, "POST", "/order", bytes)
                .forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void acceptsAGatewaySignedOrderAndRefusesItsDuplicate() throws Exception {
        PolymarketOrders.Signed s = signed("sim-btc-100k", Outcome.YES, Side.BUY, "0.51", "10");
        HttpResponse<String> r = postOrder(s.body(), account.credentials());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(r.body()).get("orderID").asText()).isEqualTo(s.orderHash());
        HttpResponse<String> again = postOrder(s.body(), account.credentials());
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(again.body()).contains("Duplicated");
    }

    /** The body the gateway signed, one field changed: what a careless client could send. */
    static String changed(String body, java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> change) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode b = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(body);
        change.accept(b);
        return Json.MAPPER.writeValueAsString(b);
    }

    @Test
    void aBodyNotInTheDocumentedShapeIsAnInvalidPayloadNotAnOrder() throws Exception {
        PolymarketOrders.Signed s = signed("sim-btc-100k", Outcome.YES, Side.BUY, "0.53", "10");
        com.fasterxml.jackson.databind.node.ObjectNode order = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(s.body()).get("order");
        assertThat(order.get("salt").isIntegralNumber()).as("the gateway sends the salt as a JSON number").isTrue();
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("salt must be a JSON integer", changed(s.body(), b -> ((com.fasterxml.jackson.databind.node.ObjectNode) b.get("order"))
                .put("salt", order.get("salt").asText())));
        bodies.put("builder must be 32 bytes", changed(s.body(), b -> ((com.fasterxml.jackson.databind.node.ObjectNode) b.get("order")).remove("builder")));
        bodies.put("timestamp must be", changed(s.body(), b -> ((com.fasterxml.jackson.databind.node.ObjectNode) b.get("order")).remove("timestamp")));
        bodies.put("side must be BUY or SELL", changed(s.body(), b -> ((com.fasterxml.jackson.databind.node.ObjectNode) b.get("order")).put("side", "buy")));
        bodies.put("postOnly is only for GTC and GTD", changed(s.body(), b -> b.put("postOnly", true).put("orderType", "FOK")));
        for (Map.Entry<String, String> e : bodies.entrySet()) {
            HttpResponse<String> r = postOrder(e.getValue(), account.credentials());
            assertThat(r.statusCode()).as(e.getKey()).isEqualTo(400);
            assertThat(r.body()).as(e.getKey()).contains("Invalid order payload", e.getKey());
        }
        assertThat(postOrder(s.body(), account.credentials()).statusCode()).as("the body as signed is an order").isEqualTo(200);
    }

    @Test
    void tamperedSignatureIsInvalid() throws Exception {
        PolymarketOrders.Signed s = signed("sim-btc-100k", Outcome.YES, Side.BUY, "0.52", "10");
        String sig = s.signature();
        String flipped = sig.substring(0, 10) + (sig.charAt(10) == 'a' ? 'b' : 'a') + sig.substring(11);
        HttpResponse<String> r = postOrder(s.body().replace(sig, flipped), account.credentials());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("invalid signature");
    }

    @Test
    void negRiskOrderSignedForTheStandardExchangeIsInvalid() throws Exception {
        PolymarketOrders.Signed s = signed("sim-election-a", Outcome.YES, Side.BUY, "0.25", "10");
        assertThat(s.exchange()).isEqualTo(Exchanges.exchangeFor(OrderVersion.V2, 137, true));
        PolyOrder o = s.order();
        String wrong = account.wallet().signDigest(o.digest(137, Exchanges.exchangeFor(OrderVersion.V2, 137, false)));
        HttpResponse<String> r = postOrder(s.body().replace(s.signature(), wrong), account.credentials());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("invalid signature");
        assertThat(postOrder(s.body(), account.credentials()).statusCode()).isEqualTo(200);
    }

    @Test
    void offTickPriceAndSmallSizeAreRefusedByTheVenueToo() throws Exception {
        MarketInfo m = markets.bySlug("sim-btc-100k");
        // 10 shares for 5.05 collateral is a price of 0.505: off the 0.01 grid.
        PolyOrder offTick = resign(signed("sim-btc-100k", Outcome.YES, Side.BUY, "0.50", "10").order(),
                new BigInteger("5050000"), new BigInteger("10000000"));
        HttpResponse<String> r = postOrder(body(offTick, m), account.credentials());
        assertThat(r.body()).contains("breaks minimum tick size rule");
        PolyOrder small = resign(offTick, new BigInteger("2000000"), new BigInteger("4000000"));
        HttpResponse<String> s = postOrder(body(small, m), account.credentials());
        assertThat(s.body()).contains("lower than the minimum: 5");
    }

    @Test
    void wrongHmacOrForeignKeyIsUnauthorized() throws Exception {
        PolymarketOrders.Signed s = signed("sim-btc-100k", Outcome.YES, Side.BUY, "0.53", "10");
        ApiCredentials wrongSecret = new ApiCredentials(account.credentials().apiKey(),
                "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", account.credentials().passphrase());
        HttpResponse<String> r = postOrder(s.body(), wrongSecret);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("Unauthorized/Invalid api key");
    }

    @Test
    void l1CreateThenDeriveGivesTheSameCredentialsBoundToTheWallet() {
        VenueReads http = reads.reads();
        Wallet fresh = Wallet.fromPrivateKey("0x" + "11".repeat(32));
        PolymarketAccount created = PolymarketAccount.createOrDerive(fresh, settings, http, Clock.systemUTC());
        PolymarketAccount derived = PolymarketAccount.createOrDerive(fresh, settings, http, Clock.systemUTC());
        assertThat(derived.credentials().apiKey()).isEqualTo(created.credentials().apiKey());
        // The derived credentials authenticate an L2 call for this wallet.
        VenueReads.Response r = http.get("polymarket-open-orders", Map.of(), "", derived.l2(Clock.systemUTC()));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("next_cursor").asText()).isEqualTo("LTE=");
        VenueReads.Response end = http.get("polymarket-open-orders", Map.of(), "next_cursor=LTE=", derived.l2(Clock.systemUTC()));
        assertThat(end.status()).as("the end cursor is a valid, empty page").isEqualTo(200);
        assertThat(end.json().get("data")).isEmpty();
    }

    private static PolyOrder resign(PolyOrder o, BigInteger maker, BigInteger taker) {
        return new PolyOrder(o.version(), o.salt().add(BigInteger.ONE), o.maker(), o.signer(), o.taker(), o.tokenId(), maker,
                taker, o.expiration(), o.nonce(), o.feeRateBps(), o.side(), o.signatureType(), o.timestamp(), o.metadata(),
                o.builder());
    }

    private static String body(PolyOrder o, MarketInfo m) {
        String sig = account.wallet().signDigest(o.digest(137, Exchanges.exchangeFor(o.version(), 137, m.negRisk())));
        return orders.body(o, sig, TimeInForce.GTC, false);
    }

    @Test
    void safeWalletOrdersNameTheFunderAsMakerAndTheEoaAsSigner() throws Exception {
        String safe = "0x1111111111111111111111111111111111111111";
        PolymarketSettings safeSettings = new PolymarketSettings(settings.clobUrl(), settings.gammaUrl(), 137, OrderVersion.V2,
                2, safe, "", Duration.ofMinutes(1));
        PolymarketOrders safeOrders = new PolymarketOrders(account, safeSettings, Clock.systemUTC(), null);
        MarketInfo m = markets.bySlug("sim-btc-100k");
        CanonicalOrder o = order(Outcome.NO, Side.BUY, "0.40", "5", TimeInForce.GTC);
        PolymarketOrders.Signed s = safeOrders.build(o.withTokenId(m.noTokenId(), Outcome.NO), m, null, null);
        assertThat(s.order().maker()).isEqualTo(safe);
        assertThat(s.order().signer()).isEqualTo(account.wallet().address());
        assertThat(s.body()).contains("\"signatureType\":2");
        // Signed right, but the venue does not know this Safe as the signer's: refused.
        HttpResponse<String> unknown = postOrder(s.body(), account.credentials());
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("invalid signature");
        server.polymarket().registerProxyWallet(safe, account.wallet().address());
        PolymarketOrders.Signed again = safeOrders.build(o.withTokenId(m.noTokenId(), Outcome.NO), m, null, null);
        assertThat(postOrder(again.body(), account.credentials()).statusCode()).isEqualTo(200);
    }

    @Test
    void orderHashIsTheDigestHex() {
        PolymarketOrders.Signed s = signed("sim-longshot", Outcome.NO, Side.SELL, "0.986", "7");
        assertThat(s.orderHash()).isEqualTo(Numeric.toHexString(s.order().digest(137, s.exchange())));
    }
}
