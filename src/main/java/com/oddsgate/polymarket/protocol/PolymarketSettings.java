package com.oddsgate.polymarket.protocol;

import com.oddsgate.polymarket.signing.DepositWalletSignature;
import com.oddsgate.polymarket.signing.OrderVersion;
import com.oddsgate.polymarket.signing.PolyOrder;
import com.oddsgate.polymarket.signing.Wallet;
import java.time.Duration;

/**
 * Where the CLOB and Gamma are and how this account signs. Built from configuration; the
 * credentials themselves live in {@link Wallet} and {@link ApiCredentials}.
 *
 * @param signatureType 0 EOA, 1 POLY_PROXY, 2 POLY_GNOSIS_SAFE, 3 POLY_1271 (deposit wallet)
 * @param funder        the proxy, Safe or deposit wallet holding the funds (maker) for types 1 to 3
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
        if (signatureType < 0 || signatureType > 3) {
            throw new IllegalArgumentException("POLYMARKET_SIGNATURE_TYPE must be 0 (EOA), 1 (POLY_PROXY), 2 (POLY_GNOSIS_SAFE)"
                    + " or 3 (POLY_1271, deposit wallet)");
        }
        if (signatureType > 0 && (funder == null || !funder.matches("0x[0-9a-fA-F]{40}"))) {
            throw new IllegalArgumentException("POLYMARKET_FUNDER must be the 0x address of the proxy, Safe or deposit wallet"
                    + " for signature type " + signatureType);
        }
        if (signatureType == DepositWalletSignature.SIGNATURE_TYPE && orderVersion == OrderVersion.V1) {
            throw new IllegalArgumentException("signature type 3 (deposit wallet) exists from order version 2 on");
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

    /** The order's signer: the EOA, except for a deposit wallet, which is maker and signer (it checks by ERC-1271). */
    public String signerFor(Wallet wallet) {
        return signatureType == DepositWalletSignature.SIGNATURE_TYPE ? funder : wallet.address();
    }
}
