package com.oddsgate.polymarket;

import java.time.Duration;

/**
 * Where the CLOB and Gamma are and how this account signs. Built from configuration; the
 * credentials themselves live in {@link Wallet} and {@link ApiCredentials}.
 *
 * @param signatureType 0 EOA, 1 POLY_PROXY, 2 POLY_GNOSIS_SAFE
 * @param funder        the proxy or Safe holding the funds (maker) for types 1 and 2
 * @param builder       bytes32 builder code for attribution, zero when unset
 */
public record PolymarketSettings(
        String clobUrl,
        String gammaUrl,
        long chainId,
        OrderVersion orderVersion,
        int signatureType,
        String funder,
        String builder,
        Duration marketCacheTtl) {

    public PolymarketSettings {
        if (signatureType < 0 || signatureType > 2) {
            throw new IllegalArgumentException("POLYMARKET_SIGNATURE_TYPE must be 0 (EOA), 1 (POLY_PROXY) or 2 (POLY_GNOSIS_SAFE)");
        }
        if (signatureType > 0 && (funder == null || !funder.matches("0x[0-9a-fA-F]{40}"))) {
            throw new IllegalArgumentException("POLYMARKET_FUNDER must be the 0x address of the proxy or Safe for signature type "
                    + signatureType);
        }
        if (builder == null || builder.isBlank()) {
            builder = PolyOrder.ZERO_BYTES32;
        } else if (!builder.matches("0x[0-9a-fA-F]{64}")) {
            throw new IllegalArgumentException("oddsgate.polymarket.builder-code must be 0x + 32 bytes of hex");
        }
    }

    /** The address that holds the funds and appears as the order's maker. */
    public String makerFor(Wallet wallet) {
        return signatureType == 0 ? wallet.address() : funder;
    }
}
