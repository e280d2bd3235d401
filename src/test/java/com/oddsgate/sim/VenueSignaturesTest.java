package com.oddsgate.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.web3j.utils.Numeric;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The simulator's own signature checks (web3j's encoder and recovery, the JDK's HMAC; nothing from the
 * gateway) against the official client's vectors: if the gateway and the simulator agreed on a wrong
 * idea, these would not pass.
 */
class VenueSignaturesTest {

    static JsonNode vectors(String name) throws IOException {
        try (InputStream in = VenueSignaturesTest.class.getResourceAsStream("/vectors/" + name)) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void orderHashesAndSignersOfEveryV2AndV3VectorAreRecognised() throws IOException {
        JsonNode v = vectors("polymarket.json");
        String signer = v.at("/key/address").asText();
        int checked = 0;
        for (JsonNode c : v.get("orders")) {
            int version = c.get("version").asInt();
            if (version == 1 || c.get("chainId").asLong() != VenueSignatures.CHAIN_ID) {
                continue; // the simulated exchange runs V2/V3 on Polygon
            }
            boolean negRisk = c.path("negRisk").asBoolean(false);
            assertThat(VenueSignatures.exchange(version, negRisk)).isEqualToIgnoringCase(c.get("exchange").asText());
            ObjectNode order = (ObjectNode) c.get("order").deepCopy();
            order.put("signature", c.get("signature").asText());
            assertThat(Numeric.toHexString(VenueSignatures.orderHash(version, order, negRisk))).isEqualTo(c.get("digest").asText());
            assertThat(VenueSignatures.signedBy(version, order, negRisk, signer)).isTrue();
            assertThat(VenueSignatures.signedBy(version == 2 ? 3 : 2, order, negRisk, signer)).as("another version").isFalse();
            order.put("makerAmount", "1");
            assertThat(VenueSignatures.signedBy(version, order, negRisk, signer)).as("a changed amount").isFalse();
            checked++;
        }
        assertThat(checked).isPositive();
    }

    @Test
    void depositWalletSignaturesAreCheckedAsTheWalletWould() throws IOException {
        for (JsonNode c : vectors("polymarket-poly1271.json").get("vectors")) {
            int version = c.get("orderVersion").asInt();
            boolean negRisk = c.get("exchange").asText().equalsIgnoreCase(VenueSignatures.NEG_RISK_EXCHANGE_V2);
            ObjectNode order = (ObjectNode) c.get("order").deepCopy();
            order.put("signature", c.get("signature").asText());
            // The vectors' BUY rows signed the struct with side 1 (see OfficialVectorsTest): as sent, they do not verify.
            boolean signedAsSent = order.get("side").asText().equals("SELL");
            String eoa = c.get("eoaAddress").asText();
            assertThat(VenueSignatures.signedBy(version, order, negRisk, eoa)).isEqualTo(signedAsSent);
            order.put("side", "SELL");
            assertThat(VenueSignatures.signedBy(version, order, negRisk, eoa)).as("the struct the vector signed").isTrue();
            assertThat(Numeric.toHexString(VenueSignatures.orderHash(version, order, negRisk))).isEqualTo(c.get("orderHash").asText());
            assertThat(VenueSignatures.signedBy(version, order, negRisk, "0x0000000000000000000000000000000000000001"))
                    .as("not the wallet's owner").isFalse();
            String signature = c.get("signature").asText();
            ObjectNode misstated = order.deepCopy();
            misstated.put("signature", signature.substring(0, signature.length() - 4) + "00bb");
            assertThat(VenueSignatures.signedBy(version, misstated, negRisk, eoa)).as("a wrong stated type length").isFalse();
            order.put("signer", "0x000000000000000000000000000000000000dEaD").put("maker", "0x000000000000000000000000000000000000dEaD");
            assertThat(VenueSignatures.signedBy(version, order, negRisk, eoa)).as("signed for another wallet").isFalse();
        }
    }

    @Test
    void clobAuthAndHmacVectors() throws IOException {
        JsonNode v = vectors("polymarket.json");
        String address = v.at("/key/address").asText();
        for (JsonNode c : v.at("/clobAuth/cases")) {
            if (c.get("chainId").asLong() != VenueSignatures.CHAIN_ID) {
                continue;
            }
            byte[] digest = VenueSignatures.clobAuthDigest(address, c.get("timestamp").asText(), c.get("nonce").asLong());
            assertThat(VenueSignatures.recover(digest, c.get("signature").asText())).isEqualTo(address.toLowerCase(Locale.ROOT));
        }
        String secret = v.at("/hmac/secret").asText();
        for (JsonNode c : v.at("/hmac/cases")) {
            byte[] body = c.get("body").isNull() ? null : c.get("body").asText().getBytes(StandardCharsets.UTF_8);
            assertThat(VenueSignatures.hmac(secret, c.get("timestamp").asText(), c.get("method").asText(), c.get("path").asText(), body))
                    .isEqualTo(c.get("signature").asText());
        }
    }
}
