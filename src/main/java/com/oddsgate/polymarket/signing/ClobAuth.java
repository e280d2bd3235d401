package com.oddsgate.polymarket.signing;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * L1 authentication: an EIP-712 {@code ClobAuth} attestation signed by the wallet, used to create
 * or derive API credentials.
 */
public final class ClobAuth {

    public static final String MESSAGE = "This message attests that I control the given wallet";
    private static final byte[] TYPE_HASH =
            Eip712.typeHash("ClobAuth(address address,string timestamp,uint256 nonce,string message)");

    private ClobAuth() {
    }

    public static byte[] digest(long chainId, String address, String timestamp, long nonce) {
        byte[] domain = Eip712.domainSeparator("ClobAuthDomain", "1", chainId);
        byte[] struct = Eip712.hashWords(TYPE_HASH, Eip712.address(address), Eip712.string(timestamp),
                Eip712.uint(BigInteger.valueOf(nonce)), Eip712.string(MESSAGE));
        return Eip712.digest(domain, struct);
    }

    public static String sign(Wallet wallet, long chainId, String timestamp, long nonce) {
        return wallet.signDigest(digest(chainId, wallet.address(), timestamp, nonce));
    }

    /** POLY_ADDRESS, POLY_SIGNATURE, POLY_TIMESTAMP, POLY_NONCE for an L1 call. */
    public static Map<String, String> headers(Wallet wallet, long chainId, long timestampSeconds, long nonce) {
        String ts = Long.toString(timestampSeconds);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("POLY_ADDRESS", wallet.address());
        h.put("POLY_SIGNATURE", sign(wallet, chainId, ts, nonce));
        h.put("POLY_TIMESTAMP", ts);
        h.put("POLY_NONCE", Long.toString(nonce));
        return h;
    }
}
