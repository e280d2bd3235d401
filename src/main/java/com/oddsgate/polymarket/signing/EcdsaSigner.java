package com.oddsgate.polymarket.signing;

/**
 * Recoverable secp256k1 ECDSA over a 32-byte digest: r ‖ s ‖ v with low s and v = 27/28, with
 * RFC 6979 deterministic nonces — the signature the official clients produce, byte for byte.
 */
public interface EcdsaSigner {

    /** @param publicKey the 64-byte uncompressed public key (x ‖ y) of {@code privateKey}, for finding v */
    byte[] sign(byte[] digest, byte[] privateKey, byte[] publicKey);

    /** What this implementation is, for the start-up log and health. */
    String name();
}
