package com.oddsgate.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Kalshi simulator against the venue's documented numbers, driven by requests signed here with
 * the JDK alone (nothing of the gateway): fees as the contract's fill shows them, collateral that
 * counts the fee and the prices filled at, resting orders that expire at their expiration_time.
 */
class KalshiSimTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "sim-test-key";

    final AtomicLong now = new AtomicLong(Instant.parse("2026-12-01T12:00:00Z").toEpochMilli());
    final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };
    KalshiSim sim;
    KeyPair key;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        key = g.generateKeyPair();
        Path fixtures = dir.resolve("kalshi.json");
        // A book that sells 4 YES at 0.55 and 6 more at 0.58.
        Files.writeString(fixtures, "{\"timestampWindowMs\":30000,\"markets\":[{\"ticker\":\"SIM-FEE\",\"title\":\"fees\","
                + "\"asks\":[[\"0.55\",\"4\"],[\"0.58\",\"6\"]],\"bids\":[[\"0.40\",\"10\"]]}]}");
        sim = new KalshiSim(clock).loadFixtures(fixtures);
        sim.addKey(KEY, "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
    }

    SimulatorServer.Reply call(String method, String path, String query, String body) throws Exception {
        String ts = Long.toString(now.get());
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        s.initSign(key.getPrivate());
        s.update((ts + method + path).getBytes(StandardCharsets.UTF_8));
        Map<String, String> headers = new HashMap<>();
        headers.put("kalshi-access-key", KEY);
        headers.put("kalshi-access-timestamp", ts);
        headers.put("kalshi-access-signature", Base64.getEncoder().encodeToString(s.sign()));
        Map<String, String> q = new HashMap<>();
        if (query != null) {
            for (String kv : query.split("&")) {
                q.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        return sim.handle(new SimulatorServer.Request(method, path, q, headers, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)));
    }

    SimulatorServer.Reply create(String clientOrderId, String side, String price, String count, String tif, String extra) throws Exception {
        return call("POST", "/trade-api/v2/portfolio/events/orders", null, "{\"ticker\":\"SIM-FEE\",\"client_order_id\":\"" + clientOrderId
                + "\",\"side\":\"" + side + "\",\"count\":\"" + count + "\",\"price\":\"" + price + "\",\"time_in_force\":\"" + tif
                + "\",\"self_trade_prevention_type\":\"taker_at_cross\"" + (extra == null ? "" : "," + extra) + "}");
    }

    JsonNode order(String orderId) throws Exception {
        return JSON.readTree(call("GET", "/trade-api/v2/portfolio/orders/" + orderId, null, null).body()).get("order");
    }

    @Test
    void aTakerPaysThePricesItFillsAtAndTheFeeTheContractShows() throws Exception {
        sim.setBalance(KEY, new BigDecimal("100"));
        SimulatorServer.Reply r = create("fee-1", "bid", "0.60", "4", "fill_or_kill", null);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode a = JSON.readTree(r.body());
        // The contract's fill: 4 at 0.55, fee_cost 0.0692, average_fee_paid 0.0173.
        assertThat(a.get("average_fill_price").asText()).isEqualTo("0.5500");
        assertThat(a.get("average_fee_paid").asText()).isEqualTo("0.0173");
        JsonNode fill = JSON.readTree(call("GET", "/trade-api/v2/portfolio/fills", null, null).body()).get("fills").get(0);
        assertThat(fill.get("fee_cost").asText()).isEqualTo("0.0692");
        assertThat(sim.balanceOf(KEY)).as("4 × 0.55 + 0.0692, not 4 × the limit 0.60").isEqualByComparingTo("97.7308");
    }

    @Test
    void aBalanceThatCoversThePriceButNotTheFeeIsInsufficient() throws Exception {
        sim.setBalance(KEY, new BigDecimal("2.20"));
        SimulatorServer.Reply r = create("fee-2", "bid", "0.55", "4", "fill_or_kill", null);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("insufficient_balance");
        sim.setBalance(KEY, new BigDecimal("2.2692"));
        assertThat(create("fee-3", "bid", "0.55", "4", "fill_or_kill", null).status()).isEqualTo(201);
        assertThat(sim.balanceOf(KEY)).isEqualByComparingTo("0");
    }

    @Test
    void aRestingOrderEndsAtItsExpirationTimeAndItsReserveComesBack() throws Exception {
        sim.setBalance(KEY, new BigDecimal("10"));
        long in60s = now.get() / 1000 + 60;
        SimulatorServer.Reply past = create("exp-0", "bid", "0.30", "5", "good_till_canceled", "\"expiration_time\":" + (now.get() / 1000 - 1));
        assertThat(past.status()).as(past.body()).isEqualTo(400);
        SimulatorServer.Reply r = create("exp-1", "bid", "0.30", "5", "good_till_canceled", "\"expiration_time\":" + in60s);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String id = JSON.readTree(r.body()).get("order_id").asText();
        assertThat(order(id).get("status").asText()).isEqualTo("resting");
        assertThat(sim.balanceOf(KEY)).isEqualByComparingTo("8.50");

        now.addAndGet(61_000);

        assertThat(order(id).get("status").asText()).as("expired").isEqualTo("canceled");
        assertThat(JSON.readTree(call("GET", "/trade-api/v2/portfolio/orders", "status=resting", null).body()).get("orders")).isEmpty();
        assertThat(sim.balanceOf(KEY)).isEqualByComparingTo("10");
    }
}
