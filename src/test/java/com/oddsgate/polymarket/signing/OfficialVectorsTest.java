package com.oddsgate.polymarket.signing;

import com.oddsgate.polymarket.protocol.Amounts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.web3j.utils.Numeric;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.oddsgate.order.Side;

/**
 * Every known-answer vector produced by Polymarket's official client, reproduced byte for byte.
 */
class OfficialVectorsTest {

    /** The vectors copied under src/test/resources/vectors (or another file: -Doddsgate.vectors=...). */
    static JsonNode vectors() throws IOException {
        return vectors("polymarket.json");
    }

    static JsonNode vectors(String name) throws IOException {
        String other = System.getProperty("oddsgate.vectors");
        if (other != null && name.equals("polymarket.json")) {
            Path path = Path.of(other);
            assertTrue(Files.isRegularFile(path), "official vectors not found at " + path.toAbsolutePath());
            return new ObjectMapper().readTree(path.toFile());
        }
        try (java.io.InputStream in = OfficialVectorsTest.class.getResourceAsStream("/vectors/" + name)) {
            assertTrue(in != null, "vectors/" + name + " missing from the test resources");
            return new ObjectMapper().readTree(in);
        }
    }

    @TestFactory
    Stream<DynamicTest> orders() throws IOException {
        JsonNode v = vectors();
        Wallet wallet = Wallet.fromPrivateKey(v.at("/key/privateKey").asText());
        assertEquals(v.at("/key/address").asText(), wallet.address());
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : v.get("orders")) {
            OrderVersion version = OrderVersion.of(c.get("version").asInt());
            long chainId = c.get("chainId").asLong();
            boolean negRisk = c.path("negRisk").asBoolean(false);
            String name = "V" + version.number() + " chain " + chainId + (negRisk ? " neg-risk " : " ")
                    + c.at("/order/side").asText();
            tests.add(DynamicTest.dynamicTest(name, () -> {
                assertEquals(c.get("exchange").asText(), Exchanges.exchangeFor(version, chainId, negRisk),
                        "exchange chosen for version/chain/negRisk");
                PolyOrder order = fromJson(version, c.get("order"));
                byte[] digest = order.digest(chainId, c.get("exchange").asText());
                assertEquals(c.get("digest").asText(), Numeric.toHexString(digest));
                assertEquals(c.get("signature").asText(), wallet.signDigest(digest));
                assertEquals(wallet.address(), Wallet.recover(digest, c.get("signature").asText()));
            }));
        }
        return tests.stream();
    }

    /**
     * Signature type 3 (deposit wallet, ERC-7739-wrapped), byte for byte. The signature carries the
     * struct hash it signed; in the two BUY vectors that hash is the order's with side = 1 (SELL),
     * although their JSON says BUY: the vectors' generator handed the official builder the numeric
     * side enum (0), which its {@code side === "BUY" ? 0 : 1} turns into 1. The exchange hashes the
     * order as sent ("BUY" = 0), so the gateway signs BUY as 0 (as the type 0 vectors of the same
     * client do); these tests reproduce each vector exactly from the struct it signed, and the SELL
     * vector exactly from its JSON.
     */
    @TestFactory
    Stream<DynamicTest> depositWalletOrders() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : vectors("polymarket-poly1271.json").get("vectors")) {
            OrderVersion version = OrderVersion.of(c.get("orderVersion").asInt());
            long chainId = c.get("chainId").asLong();
            String exchange = c.get("exchange").asText();
            tests.add(DynamicTest.dynamicTest("type 3 V" + version.number() + " " + c.at("/order/side").asText() + " " + exchange, () -> {
                Wallet eoa = Wallet.fromPrivateKey(c.get("eoaPrivateKey").asText());
                assertEquals(c.get("eoaAddress").asText(), eoa.address());
                PolyOrder asSent = fromJson(version, c.get("order"));
                assertEquals(DepositWalletSignature.SIGNATURE_TYPE, asSent.signatureType());
                String signature = c.get("signature").asText();
                String signedContents = "0x" + signature.substring(2 + 130 + 64, 2 + 130 + 128);
                PolyOrder signed = asSent.side() == Side.SELL ? asSent : withSide(asSent, Side.SELL);
                assertEquals(signedContents, Numeric.toHexString(signed.structHash()), "the struct the vector signed");
                assertEquals(c.get("orderHash").asText(), Numeric.toHexString(signed.digest(chainId, exchange)));
                assertEquals(signature, DepositWalletSignature.sign(signed, chainId, exchange, eoa));
                // The wallet's check: the EOA recovers from the wrapped digest.
                assertEquals(eoa.address(), Wallet.recover(DepositWalletSignature.digest(signed, chainId, exchange),
                        signature.substring(0, 2 + 130)));
                if (asSent.side() == Side.BUY) {
                    // What the gateway sends for this BUY: the same layout over the order as the exchange hashes it.
                    String ours = DepositWalletSignature.sign(asSent, chainId, exchange, eoa);
                    assertEquals(signature.length(), ours.length());
                    assertEquals(signature.substring(2 + 130, 2 + 194), ours.substring(2 + 130, 2 + 194), "exchange domain");
                    assertEquals(Numeric.toHexString(asSent.structHash()), "0x" + ours.substring(2 + 194, 2 + 258));
                    assertEquals(signature.substring(2 + 258), ours.substring(2 + 258), "type string and length");
                }
            }));
        }
        return tests.stream();
    }

    private static PolyOrder withSide(PolyOrder o, Side side) {
        return new PolyOrder(o.version(), o.salt(), o.maker(), o.signer(), o.taker(), o.tokenId(), o.makerAmount(),
                o.takerAmount(), o.expiration(), o.nonce(), o.feeRateBps(), side, o.signatureType(), o.timestamp(),
                o.metadata(), o.builder());
    }

    @TestFactory
    Stream<DynamicTest> clobAuth() throws IOException {
        JsonNode v = vectors();
        Wallet wallet = Wallet.fromPrivateKey(v.at("/key/privateKey").asText());
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : v.at("/clobAuth/cases")) {
            tests.add(DynamicTest.dynamicTest("ClobAuth chain " + c.get("chainId").asLong(), () -> assertEquals(
                    c.get("signature").asText(),
                    ClobAuth.sign(wallet, c.get("chainId").asLong(), c.get("timestamp").asText(), c.get("nonce").asLong()))));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> hmac() throws IOException {
        JsonNode v = vectors();
        ApiCredentials creds = new ApiCredentials("00000000-0000-0000-0000-000000000000", v.at("/hmac/secret").asText(), "p");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : v.at("/hmac/cases")) {
            byte[] body = c.get("body").isNull() ? null : c.get("body").asText().getBytes(StandardCharsets.UTF_8);
            tests.add(DynamicTest.dynamicTest("HMAC " + c.get("method").asText() + " " + c.get("path").asText(),
                    () -> assertEquals(c.get("signature").asText(),
                            creds.hmac(c.get("timestamp").asText(), c.get("method").asText(), c.get("path").asText(), body))));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> limitOrderAmounts() throws IOException {
        JsonNode v = vectors();
        List<DynamicTest> tests = new ArrayList<>();
        v.at("/limitOrderAmounts/roundingConfig").fields().forEachRemaining(e -> tests.add(DynamicTest.dynamicTest(
                "rounding for tick " + e.getKey(), () -> assertEquals(
                        new Amounts.Rounding(e.getValue().get("price").asInt(), e.getValue().get("size").asInt(),
                                e.getValue().get("amount").asInt()),
                        Amounts.roundingFor(new BigDecimal(e.getKey()))))));
        for (JsonNode c : v.at("/limitOrderAmounts/cases")) {
            for (Side side : Side.values()) {
                JsonNode expected = c.get(side.name());
                if (expected == null) {
                    continue;
                }
                tests.add(DynamicTest.dynamicTest("amounts " + side + " " + c.get("size").asText() + " @ "
                        + c.get("price").asText() + " tick " + c.get("tick").asText(), () -> {
                            Amounts.Raw raw = Amounts.limit(side, new BigDecimal(c.get("price").asText()),
                                    new BigDecimal(c.get("size").asText()), new BigDecimal(c.get("tick").asText()));
                            assertEquals(new BigInteger(expected.get("makerAmount").asText()), raw.makerAmount());
                            assertEquals(new BigInteger(expected.get("takerAmount").asText()), raw.takerAmount());
                        }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> exchangeAddresses() throws IOException {
        JsonNode a = vectors().get("addresses");
        return Stream.of(
                check(a.at("/polygon137/exchangeV1"), OrderVersion.V1, Exchanges.POLYGON, false),
                check(a.at("/polygon137/negRiskExchangeV1"), OrderVersion.V1, Exchanges.POLYGON, true),
                check(a.at("/polygon137/exchangeV2"), OrderVersion.V2, Exchanges.POLYGON, false),
                check(a.at("/polygon137/negRiskExchangeV2"), OrderVersion.V2, Exchanges.POLYGON, true),
                check(a.at("/polygon137/exchangeV3"), OrderVersion.V3, Exchanges.POLYGON, false),
                check(a.at("/polygon137/exchangeV3"), OrderVersion.V3, Exchanges.POLYGON, true),
                check(a.at("/amoy80002/exchangeV1"), OrderVersion.V1, Exchanges.AMOY, false),
                check(a.at("/amoy80002/exchangeV3"), OrderVersion.V3, Exchanges.AMOY, false));
    }

    private static DynamicTest check(JsonNode expected, OrderVersion v, long chain, boolean negRisk) {
        return DynamicTest.dynamicTest(v + " chain " + chain + " negRisk " + negRisk,
                () -> assertEquals(expected.asText(), Exchanges.exchangeFor(v, chain, negRisk)));
    }

    static PolyOrder fromJson(OrderVersion version, JsonNode o) {
        return new PolyOrder(version, new BigInteger(o.get("salt").asText()), o.get("maker").asText(),
                o.get("signer").asText(), o.path("taker").asText(PolyOrder.ZERO_ADDRESS),
                new BigInteger(o.get("tokenId").asText()), new BigInteger(o.get("makerAmount").asText()),
                new BigInteger(o.get("takerAmount").asText()), big(o, "expiration"), big(o, "nonce"), big(o, "feeRateBps"),
                Side.valueOf(o.get("side").asText()), o.get("signatureType").asInt(), big(o, "timestamp"),
                o.path("metadata").asText(PolyOrder.ZERO_BYTES32), o.path("builder").asText(PolyOrder.ZERO_BYTES32));
    }

    private static BigInteger big(JsonNode o, String field) {
        return o.has(field) ? new BigInteger(o.get(field).asText()) : BigInteger.ZERO;
    }
}
