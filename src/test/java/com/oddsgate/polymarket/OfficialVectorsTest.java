package com.oddsgate.polymarket;

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

    static JsonNode vectors() throws IOException {
        Path path = Path.of(System.getProperty("oddsgate.vectors", "../shared/vectors/polymarket.json"));
        assertTrue(Files.isRegularFile(path), "official vectors not found at " + path.toAbsolutePath()
                + " (set -Doddsgate.vectors=...)");
        return new ObjectMapper().readTree(path.toFile());
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
