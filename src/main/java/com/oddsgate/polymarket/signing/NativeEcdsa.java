package com.oddsgate.polymarket.signing;

import java.util.Arrays;

import fr.acinq.secp256k1.Secp256k1;

/**
 * libsecp256k1 through secp256k1-kmp's JNI binding. The binding signs (RFC 6979, low s) but does
 * not return the recovery id, so v is found by one native public-key recovery.
 */
public final class NativeEcdsa implements EcdsaSigner {

    private final Secp256k1 lib;

    private NativeEcdsa(Secp256k1 lib) {
        this.lib = lib;
    }

    /**
     * Loads the bundled native library (through the binding's own lazy loader — calling its JVM
     * loader directly re-enters the loader and fails); throws when this platform cannot load it.
     */
    public static NativeEcdsa load() {
        return new NativeEcdsa(Secp256k1.get());
    }

    @Override
    public byte[] sign(byte[] digest, byte[] privateKey, byte[] publicKey) {
        byte[] rs = lib.sign(digest, privateKey, null);
        byte[] recovered = lib.ecdsaRecover(rs, digest, 0);
        // ecdsaRecover answers the 65-byte uncompressed key: 0x04 ‖ x ‖ y.
        boolean zero = Arrays.equals(recovered, 1, 65, publicKey, 0, 64);
        byte[] out = Arrays.copyOf(rs, 65);
        out[64] = (byte) (zero ? 27 : 28);
        return out;
    }

    @Override
    public String name() {
        return "native libsecp256k1 (secp256k1-kmp JNI)";
    }
}
