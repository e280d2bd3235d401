package com.oddsgate.polymarket.signing;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.order.Side;

/**
 * One Polymarket exchange order as signed. V1-only fields ({@code taker}, {@code nonce},
 * {@code feeRateBps}) are ignored for V2/V3; {@code expiration} is signed in V1 and only sent in V2/V3;
 * {@code timestamp} (unix ms), {@code metadata} and {@code builder} exist from V2 on.
 */
public record PolyOrder(
        OrderVersion version,
        BigInteger salt,
        String maker,
        String signer,
        String taker,
        BigInteger tokenId,
        BigInteger makerAmount,
        BigInteger takerAmount,
        BigInteger expiration,
        BigInteger nonce,
        BigInteger feeRateBps,
        Side side,
        int signatureType,
        BigInteger timestamp,
        String metadata,
        String builder) {

    public static final String ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";
    public static final String ZERO_BYTES32 = "0x0000000000000000000000000000000000000000000000000000000000000000";

    /** The order of a V2/V3 {@code POST /order} body's {@code order} object, as it would be signed for {@code version}. */
    public static PolyOrder fromJson(OrderVersion version, JsonNode o) {
        return new PolyOrder(version, new BigInteger(o.path("salt").asText()), o.path("maker").asText(), o.path("signer").asText(),
                ZERO_ADDRESS, new BigInteger(o.path("tokenId").asText()), new BigInteger(o.path("makerAmount").asText()),
                new BigInteger(o.path("takerAmount").asText()), new BigInteger(o.path("expiration").asText("0")), BigInteger.ZERO,
                BigInteger.ZERO, Side.valueOf(o.path("side").asText()), o.path("signatureType").asInt(),
                new BigInteger(o.path("timestamp").asText("0")), o.path("metadata").asText(ZERO_BYTES32),
                o.path("builder").asText(ZERO_BYTES32));
    }

    /** EIP-712 struct hash of this order for its version. */
    public byte[] structHash() {
        byte[] side = Eip712.uint(this.side == Side.BUY ? 0 : 1);
        byte[] sigType = Eip712.uint(signatureType);
        if (version == OrderVersion.V1) {
            return Eip712.hashWords(version.typeHash(), Eip712.uint(salt), Eip712.address(maker), Eip712.address(signer),
                    Eip712.address(taker == null ? ZERO_ADDRESS : taker), Eip712.uint(tokenId), Eip712.uint(makerAmount),
                    Eip712.uint(takerAmount), Eip712.uint(orZero(expiration)), Eip712.uint(orZero(nonce)),
                    Eip712.uint(orZero(feeRateBps)), side, sigType);
        }
        return Eip712.hashWords(version.typeHash(), Eip712.uint(salt), Eip712.address(maker), Eip712.address(signer),
                Eip712.uint(tokenId), Eip712.uint(makerAmount), Eip712.uint(takerAmount), side, sigType,
                Eip712.uint(timestamp), Eip712.bytes32(metadata == null ? ZERO_BYTES32 : metadata),
                Eip712.bytes32(builder == null ? ZERO_BYTES32 : builder));
    }

    /** The EIP-712 digest that is signed; its hex form is the venue's order hash (order id). */
    public byte[] digest(long chainId, String exchange) {
        return Eip712.digest(domainSeparator(version, chainId, exchange), structHash());
    }

    /** Domain separators are few (versions × chains × exchanges): each is computed once. */
    private static final Map<String, byte[]> DOMAINS = new ConcurrentHashMap<>();

    static byte[] domainSeparator(OrderVersion version, long chainId, String exchange) {
        return DOMAINS.computeIfAbsent(version.domainVersion() + "/" + chainId + "/" + exchange.toLowerCase(Locale.ROOT),
                k -> Eip712.domainSeparator(OrderVersion.DOMAIN_NAME, version.domainVersion(), chainId, exchange));
    }

    private static BigInteger orZero(BigInteger v) {
        return v == null ? BigInteger.ZERO : v;
    }
}
