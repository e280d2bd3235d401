package com.oddsgate.polymarket.signing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Locale;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * libsecp256k1's recoverable signer, {@code secp256k1_ecdsa_sign_recoverable}: r, s and the
 * recovery id from one signing call (RFC 6979 nonce, low s), where the JNI binding needs a second,
 * as costly public-key recovery to find v. It calls the library secp256k1-kmp bundles (which
 * exports the recovery module) through JNA's direct mapping; the only other native call copies
 * the 65-byte result out. One context, created and randomised once; signing only reads it, so
 * threads share it.
 */
public final class RecoverableEcdsa implements EcdsaSigner {

    /** The library's functions used here, bound by name (JNA direct mapping). */
    static final class Lib {
        static native Pointer secp256k1_context_create(int flags);

        static native int secp256k1_context_randomize(Pointer ctx, byte[] seed32);

        static native int secp256k1_ecdsa_sign_recoverable(Pointer ctx, byte[] sig65, byte[] msg32, byte[] seckey32,
                Pointer nonceFunction, Pointer nonceData);

        static native int secp256k1_ecdsa_recoverable_signature_serialize_compact(Pointer ctx, byte[] out64, int[] recid,
                byte[] sig65);

        private Lib() {
        }
    }

    /** SECP256K1_CONTEXT_SIGN: (1 << 0) | (1 << 9). */
    private static final int CONTEXT_SIGN = 0x201;

    private final Pointer ctx;

    private RecoverableEcdsa(Pointer ctx) {
        this.ctx = ctx;
    }

    /** Binds the bundled library for this platform; throws when it is not there or does not bind. */
    public static RecoverableEcdsa load() {
        String arch = switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> throw new UnsupportedOperationException("no bundled libsecp256k1 for " + System.getProperty("os.arch"));
        };
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            throw new UnsupportedOperationException("the bundled libsecp256k1 is for Linux");
        }
        String resource = "fr/acinq/secp256k1/jni/native/linux-" + arch + "/libsecp256k1-jni.so";
        Path file;
        try (InputStream in = RecoverableEcdsa.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new UnsupportedOperationException(resource + " is not on the class path");
            }
            file = Files.createTempFile("oddsgate-secp256k1-", ".so");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UnsupportedOperationException("cannot extract " + resource + ": " + e.getMessage(), e);
        }
        Native.register(Lib.class, NativeLibrary.getInstance(file.toString()));
        Pointer ctx = Lib.secp256k1_context_create(CONTEXT_SIGN);
        if (ctx == null) {
            throw new UnsupportedOperationException("secp256k1_context_create failed");
        }
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        Lib.secp256k1_context_randomize(ctx, seed); // blinding against side channels; signatures do not change
        return new RecoverableEcdsa(ctx);
    }

    @Override
    public byte[] sign(byte[] digest, byte[] privateKey, byte[] publicKey) {
        if (digest.length != 32 || privateKey.length != 32) {
            // The library reads exactly 32 bytes of each: anything else would be read out of bounds.
            throw new IllegalArgumentException("a secp256k1 signature needs a 32-byte digest and a 32-byte key");
        }
        byte[] sig = new byte[65];
        if (Lib.secp256k1_ecdsa_sign_recoverable(ctx, sig, digest, privateKey, null, null) != 1) {
            throw new IllegalArgumentException("secp256k1_ecdsa_sign_recoverable refused the key");
        }
        byte[] out = new byte[65];
        int[] recid = new int[1];
        Lib.secp256k1_ecdsa_recoverable_signature_serialize_compact(ctx, out, recid, sig);
        out[64] = (byte) (27 + recid[0]);
        return out;
    }

    @Override
    public String name() {
        return "native libsecp256k1, recoverable signature (JNA)";
    }
}
