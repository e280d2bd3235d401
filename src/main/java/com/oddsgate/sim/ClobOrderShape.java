package com.oddsgate.sim;

import java.math.BigInteger;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The simulator's check of a {@code POST /order} body against the documented V2 shape (venue facts:
 * {@code {deferExec, postOnly, order:{salt:<int>, maker, signer, tokenId:"<dec>", makerAmount:"<int>",
 * takerAmount:"<int>", side:"BUY|SELL", signatureType:<int>, timestamp:"<ms>", expiration:"<s>",
 * metadata, builder, signature}, owner, orderType}}). The venue refuses a body it cannot read as an
 * order; a lenient simulator would let a gateway that sends a string salt or drops a signed field
 * pass every test. Written apart from the gateway's own order classes.
 */
final class ClobOrderShape {

    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final Pattern BYTES32 = Pattern.compile("0x[0-9a-fA-F]{64}");
    private static final Pattern HEX = Pattern.compile("0x([0-9a-fA-F]{2})+");
    private static final Pattern UNSIGNED = Pattern.compile("0|[1-9][0-9]*");
    /** A unix time (seconds or milliseconds) that fits a long. */
    private static final Pattern TIME = Pattern.compile("0|[1-9][0-9]{0,17}");
    private static final Set<String> ORDER_TYPES = Set.of("GTC", "GTD", "FOK", "FAK");
    private static final BigInteger SALT_BOUND = BigInteger.TWO.pow(53);

    private ClobOrderShape() {
    }

    /** What is wrong with the body's shape, or null when it reads as a V2 order. */
    static String problem(JsonNode body) {
        JsonNode o = body.path("order");
        if (!o.isObject()) {
            return "order is missing";
        }
        if (!body.path("owner").isTextual() || body.path("owner").asText().isEmpty()) {
            return "owner must be the API key";
        }
        String type = body.path("orderType").asText("");
        if (!body.path("orderType").isTextual() || !ORDER_TYPES.contains(type)) {
            return "orderType must be one of GTC, GTD, FOK, FAK";
        }
        for (String flag : new String[] {"postOnly", "deferExec"}) {
            if (body.has(flag) && !body.get(flag).isBoolean()) {
                return flag + " must be a boolean";
            }
        }
        if (body.path("postOnly").asBoolean(false) && !(type.equals("GTC") || type.equals("GTD"))) {
            return "postOnly is only for GTC and GTD orders";
        }
        JsonNode salt = o.path("salt");
        if (!salt.isIntegralNumber() || salt.bigIntegerValue().signum() < 0 || salt.bigIntegerValue().compareTo(SALT_BOUND) >= 0) {
            return "salt must be a JSON integer below 2^53";
        }
        for (String f : new String[] {"maker", "signer"}) {
            if (!matches(o, f, ADDRESS)) {
                return f + " must be an address";
            }
        }
        for (String f : new String[] {"tokenId", "makerAmount", "takerAmount"}) {
            if (!matches(o, f, UNSIGNED)) {
                return f + " must be a decimal integer string";
            }
        }
        for (String f : new String[] {"timestamp", "expiration"}) {
            if (!matches(o, f, TIME)) {
                return f + " must be a unix time as a decimal string";
            }
        }
        String side = o.path("side").asText("");
        if (!o.path("side").isTextual() || !(side.equals("BUY") || side.equals("SELL"))) {
            return "side must be BUY or SELL";
        }
        if (!o.path("signatureType").isInt() || o.path("signatureType").asInt() < 0 || o.path("signatureType").asInt() > 3) {
            return "signatureType must be 0, 1, 2 or 3";
        }
        for (String f : new String[] {"metadata", "builder"}) {
            if (!matches(o, f, BYTES32)) {
                return f + " must be 32 bytes in hex";
            }
        }
        return matches(o, "signature", HEX) ? null : "signature must be hex";
    }

    private static boolean matches(JsonNode o, String field, Pattern p) {
        return o.path(field).isTextual() && p.matcher(o.path(field).asText()).matches();
    }
}
