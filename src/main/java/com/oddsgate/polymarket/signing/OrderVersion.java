package com.oddsgate.polymarket.signing;

/**
 * Polymarket CTF Exchange order protocol versions. V1 is retired in production and kept only so
 * its official vectors stay reproducible; V2 is live; V3 shares V2's struct with domain version "3".
 */
public enum OrderVersion {
    V1(1, "1", "Order(uint256 salt,address maker,address signer,address taker,uint256 tokenId,uint256 makerAmount,"
            + "uint256 takerAmount,uint256 expiration,uint256 nonce,uint256 feeRateBps,uint8 side,uint8 signatureType)"),
    V2(2, "2", "Order(uint256 salt,address maker,address signer,uint256 tokenId,uint256 makerAmount,"
            + "uint256 takerAmount,uint8 side,uint8 signatureType,uint256 timestamp,bytes32 metadata,bytes32 builder)"),
    V3(3, "3", V2.type);

    public static final String DOMAIN_NAME = "Polymarket CTF Exchange";

    private final int number;
    private final String domainVersion;
    private final String type;
    private final byte[] typeHash;

    OrderVersion(int number, String domainVersion, String type) {
        this.number = number;
        this.domainVersion = domainVersion;
        this.type = type;
        this.typeHash = Eip712.typeHash(type);
    }

    public int number() {
        return number;
    }

    public String domainVersion() {
        return domainVersion;
    }

    /** The EIP-712 type string of the order struct. */
    public String type() {
        return type;
    }

    /** Precomputed keccak of the struct type; callers must not modify it. */
    byte[] typeHash() {
        return typeHash;
    }

    public static OrderVersion of(int number) {
        for (OrderVersion v : values()) {
            if (v.number == number) {
                return v;
            }
        }
        throw new IllegalArgumentException("unsupported Polymarket order version " + number);
    }
}
