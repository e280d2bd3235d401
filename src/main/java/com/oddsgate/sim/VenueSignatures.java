package com.oddsgate.sim;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.crypto.StructuredDataEncoder;
import org.web3j.utils.Numeric;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How the simulated CLOB checks what clients sign, written apart from the gateway on purpose (a
 * simulator that verified with the gateway's own classes would share its mistakes): EIP-712 through
 * web3j's {@link StructuredDataEncoder} from JSON typed data, signer recovery through web3j's
 * {@link Sign}, ERC-1271/7739 deposit-wallet signatures unpacked and re-hashed here, and the L2 HMAC
 * with the JDK's {@link Mac}.
 */
public final class VenueSignatures {

    static final long CHAIN_ID = 137;
    static final String EXCHANGE_V2 = "0xE111180000d2663C0091e4f400237545B87B996B";
    static final String NEG_RISK_EXCHANGE_V2 = "0xe2222d279d744050d28e00520010520000310F59";
    static final String EXCHANGE_V3 = "0xe3333700cA9d93003F00f0F71f8515005F6c00Aa";
    static final int POLY_1271 = 3;
    private static final String ORDER_TYPE = "Order(uint256 salt,address maker,address signer,uint256 tokenId,"
            + "uint256 makerAmount,uint256 takerAmount,uint8 side,uint8 signatureType,uint256 timestamp,bytes32 metadata,"
            + "bytes32 builder)";
    private static final String[][] ORDER_FIELDS = {{"salt", "uint256"}, {"maker", "address"}, {"signer", "address"},
        {"tokenId", "uint256"}, {"makerAmount", "uint256"}, {"takerAmount", "uint256"}, {"side", "uint8"},
        {"signatureType", "uint8"}, {"timestamp", "uint256"}, {"metadata", "bytes32"}, {"builder", "bytes32"}};
    private static final String[][] DOMAIN_FIELDS = {{"name", "string"}, {"version", "string"}, {"chainId", "uint256"}};
    private static final String[][] CONTRACT_FIELD = {{"verifyingContract", "address"}};
    private static final String[][] CLOB_AUTH_FIELDS = {{"address", "address"}, {"timestamp", "string"}, {"nonce", "uint256"},
        {"message", "string"}};
    private static final String[][] TYPED_DATA_SIGN_FIELDS = {{"contents", "Order"}, {"name", "string"}, {"version", "string"},
        {"chainId", "uint256"}, {"verifyingContract", "address"}, {"salt", "bytes32"}};
    private static final String ZERO32 = "0x" + "0".repeat(64);
    private static final ObjectMapper JSON = new ObjectMapper();

    private VenueSignatures() {
    }

    /** The exchange an order of this version is signed against (V3 has one exchange for every market). */
    static String exchange(int version, boolean negRisk) {
        return version == 3 ? EXCHANGE_V3 : negRisk ? NEG_RISK_EXCHANGE_V2 : EXCHANGE_V2;
    }

    /** The order's EIP-712 digest (its hash at the venue) as the exchange computes it from the JSON sent. */
    public static byte[] orderHash(int version, JsonNode order, boolean negRisk) {
        ObjectNode typed = typedData(version, negRisk, "Order");
        typed.set("message", orderMessage(order));
        return hash(typed);
    }

    /**
     * Whether {@code order} (V2/V3 JSON) carries a signature of {@code owner}: for types 0-2 the
     * signer's own signature of the order hash; for type 3 the deposit wallet's ERC-1271 check, i.e.
     * the EOA {@code owner} signed the ERC-7739 TypedDataSign wrapping this very order.
     */
    static boolean signedBy(int version, JsonNode order, boolean negRisk, String owner) {
        String signature = order.path("signature").asText("");
        if (order.path("signatureType").asInt() != POLY_1271) {
            return owner.equalsIgnoreCase(recover(orderHash(version, order, negRisk), signature));
        }
        byte[] sig = Numeric.hexStringToByteArray(signature);
        byte[] type = ORDER_TYPE.getBytes(StandardCharsets.UTF_8);
        if (sig.length != 65 + 64 + type.length + 2) {
            return false;
        }
        ObjectNode wrapped = typedData(version, negRisk, "TypedDataSign");
        struct((ObjectNode) wrapped.get("types"), "TypedDataSign", TYPED_DATA_SIGN_FIELDS);
        ObjectNode message = (ObjectNode) wrapped.putObject("message");
        message.set("contents", orderMessage(order));
        message.put("name", "DepositWallet").put("version", "1").put("chainId", CHAIN_ID)
                .put("verifyingContract", order.path("signer").asText()).put("salt", ZERO32);
        // The wallet also checks that what the signature says it wraps is this order, under this exchange.
        byte[] contents = Arrays.copyOfRange(sig, 97, 129);
        byte[] expectedContents;
        byte[] domain;
        try {
            StructuredDataEncoder order712 = new StructuredDataEncoder(json(withMessage(typedData(version, negRisk, "Order"),
                    orderMessage(order))));
            expectedContents = order712.hashMessage("Order", orderMessageMap(order712));
            domain = order712.hashDomain();
        } catch (IOException | RuntimeException e) {
            return false;
        }
        String tail = new String(Arrays.copyOfRange(sig, 129, 129 + type.length), StandardCharsets.UTF_8);
        // The last two bytes give the type string's length (big-endian): the wallet reads the string by it.
        int statedLength = ((sig[sig.length - 2] & 0xff) << 8) | (sig[sig.length - 1] & 0xff);
        return statedLength == type.length && Arrays.equals(contents, expectedContents)
                && Arrays.equals(Arrays.copyOfRange(sig, 65, 97), domain)
                && tail.equals(ORDER_TYPE)
                && owner.equalsIgnoreCase(recover(hash(wrapped), Numeric.toHexString(Arrays.copyOfRange(sig, 0, 65))));
    }

    /** The L1 ClobAuth digest for an address, timestamp and nonce (domain without a verifying contract). */
    static byte[] clobAuthDigest(String address, String timestamp, long nonce) {
        ObjectNode typed = JSON.createObjectNode();
        ObjectNode types = typed.putObject("types");
        struct(types, "EIP712Domain", DOMAIN_FIELDS);
        struct(types, "ClobAuth", CLOB_AUTH_FIELDS);
        typed.put("primaryType", "ClobAuth");
        typed.putObject("domain").put("name", "ClobAuthDomain").put("version", "1").put("chainId", CHAIN_ID);
        typed.putObject("message").put("address", address).put("timestamp", timestamp).put("nonce", nonce)
                .put("message", "This message attests that I control the given wallet");
        return hash(typed);
    }

    /** The L2 signature: url-safe base64 of HMAC-SHA256(url-safe-base64-decoded secret, ts + METHOD + path + body). */
    static String hmac(String secret, String timestamp, String method, String path, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getUrlDecoder().decode(secret), "HmacSHA256"));
            mac.update((timestamp + method + path).getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                mac.update(body);
            }
            return Base64.getUrlEncoder().encodeToString(mac.doFinal());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return "";
        }
    }

    /** The address (lower case, 0x) that signed the digest, or "" when the signature is not one. */
    static String recover(byte[] digest, String signatureHex) {
        try {
            byte[] sig = Numeric.hexStringToByteArray(signatureHex);
            if (sig.length != 65) {
                return "";
            }
            byte v = sig[64] < 27 ? (byte) (sig[64] + 27) : sig[64];
            BigInteger key = Sign.signedMessageHashToKey(digest, new Sign.SignatureData(v, Arrays.copyOfRange(sig, 0, 32),
                    Arrays.copyOfRange(sig, 32, 64)));
            return "0x" + Keys.getAddress(key).toLowerCase(Locale.ROOT);
        } catch (SignatureException | RuntimeException e) {
            return "";
        }
    }

    /** A struct type of the typed data: its fields, in order, from the given tables of {name, type}. */
    private static void struct(ObjectNode types, String name, String[][]... fieldTables) {
        ArrayNode fields = types.putArray(name);
        for (String[][] table : fieldTables) {
            for (String[] f : table) {
                fields.addObject().put("name", f[0]).put("type", f[1]);
            }
        }
    }

    private static ObjectNode typedData(int version, boolean negRisk, String primaryType) {
        ObjectNode typed = JSON.createObjectNode();
        ObjectNode types = typed.putObject("types");
        struct(types, "EIP712Domain", DOMAIN_FIELDS, CONTRACT_FIELD);
        struct(types, "Order", ORDER_FIELDS);
        typed.put("primaryType", primaryType);
        typed.putObject("domain").put("name", "Polymarket CTF Exchange").put("version", Integer.toString(version))
                .put("chainId", CHAIN_ID).put("verifyingContract", exchange(version, negRisk));
        return typed;
    }

    /** The order as the exchange hashes it: side BUY = 0, SELL = 1; numbers as decimal strings. */
    private static ObjectNode orderMessage(JsonNode o) {
        ObjectNode m = JSON.createObjectNode();
        m.put("salt", o.path("salt").asText()).put("maker", o.path("maker").asText()).put("signer", o.path("signer").asText())
                .put("tokenId", o.path("tokenId").asText()).put("makerAmount", o.path("makerAmount").asText())
                .put("takerAmount", o.path("takerAmount").asText()).put("side", "BUY".equals(o.path("side").asText()) ? 0 : 1)
                .put("signatureType", o.path("signatureType").asInt()).put("timestamp", o.path("timestamp").asText("0"))
                .put("metadata", o.path("metadata").asText(ZERO32)).put("builder", o.path("builder").asText(ZERO32));
        return m;
    }

    private static ObjectNode withMessage(ObjectNode typed, ObjectNode message) {
        typed.set("message", message);
        return typed;
    }

    @SuppressWarnings("unchecked")
    private static HashMap<String, Object> orderMessageMap(StructuredDataEncoder encoder) {
        return (HashMap<String, Object>) encoder.jsonMessageObject.getMessage();
    }

    private static byte[] hash(ObjectNode typed) {
        try {
            return new StructuredDataEncoder(json(typed)).hashStructuredData();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("typed data could not be hashed: " + e.getMessage(), e);
        }
    }

    private static String json(ObjectNode n) {
        return n.toString();
    }
}
