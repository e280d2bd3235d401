package com.oddsgate.polymarket.signing;

import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.utils.Numeric;

/**
 * Chooses the signer once: native when it loads and reproduces a known signature, the pure-Java
 * one otherwise (or always, with the system property {@code oddsgate.signing.native=false}: how a
 * machine without the native library is reproduced). The choice and the reason are logged at
 * start-up and shown in health.
 */
public final class EcdsaSigners {

    private static final Logger LOG = LoggerFactory.getLogger(EcdsaSigners.class);
    // The official vector (V2, chain 137, BUY): key, digest and the signature Polymarket's client produced.
    private static final byte[] KEY = Numeric.hexStringToByteArray("ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    private static final byte[] DIGEST = Numeric.hexStringToByteArray("10124949f84e9f7438c88d02bfd546ceb27ed6eb1fdb0175137af535b6e2513d");
    private static final byte[] EXPECTED = Numeric.hexStringToByteArray("42c7b4857d51e344045fcfde17b37cf1290d784471ffe618c22aa56ea5ddcf0009015b87ffb299813f5597e86d4ad56f40d634558d915edb719e6fc71dbc0d891c");

    /** System property: {@code false} keeps the native libraries out (the pure-Java signer signs). */
    public static final String NATIVE = "oddsgate.signing.native";

    private static volatile EcdsaSigner chosen;
    private static volatile String why = "";

    private EcdsaSigners() {
    }

    public static EcdsaSigner best() {
        if (chosen == null) {
            synchronized (EcdsaSigners.class) {
                if (chosen == null) {
                    chosen = choose();
                }
            }
        }
        return chosen;
    }

    /** Why the current signer was chosen (e.g. the native library's load error). */
    public static String reason() {
        best();
        return why;
    }

    private static EcdsaSigner choose() {
        byte[] pub = Wallet.publicKeyOf(KEY);
        StringBuilder reasons = new StringBuilder();
        boolean nativeAllowed = !"false".equalsIgnoreCase(System.getProperty(NATIVE, "true").trim());
        if (!nativeAllowed) {
            reasons.append(": switched off (").append(NATIVE).append("=false)");
        }
        // Fastest first: one native signing call, then the JNI binding (sign + recover), then pure Java.
        for (String kind : nativeAllowed ? new String[] {"recoverable", "jni"} : new String[0]) {
            try {
                EcdsaSigner n = kind.equals("recoverable") ? RecoverableEcdsa.load() : NativeEcdsa.load();
                if (Arrays.equals(EXPECTED, n.sign(DIGEST, KEY, pub))) {
                    why = "native library loaded and reproduced the official vector" + reasons;
                    LOG.info("secp256k1 signing: {} ({})", n.name(), why);
                    return n;
                }
                reasons.append("; ").append(kind).append(": a signature that differs from the official vector");
            } catch (Exception | LinkageError e) {
                reasons.append("; ").append(kind).append(" unavailable: ").append(e);
            }
        }
        why = "native library unavailable" + reasons;
        EcdsaSigner j = new JavaEcdsa();
        if (!Arrays.equals(EXPECTED, j.sign(DIGEST, KEY, pub))) {
            throw new IllegalStateException("pure-Java secp256k1 signing does not reproduce the official vector");
        }
        LOG.warn("secp256k1 signing: {} ({})", j.name(), why);
        return j;
    }
}
