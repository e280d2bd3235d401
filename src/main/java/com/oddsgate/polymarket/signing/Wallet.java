package com.oddsgate.polymarket.signing;

import java.math.BigInteger;
import java.security.SignatureException;
import java.util.Arrays;

import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * The EOA key that signs orders and L1 auth messages. Holds the key; never prints it.
 */
public final class Wallet {

    private final ECKeyPair keyPair;
    private final String address;
    private final byte[] privateKey;
    private final byte[] publicKey;
    private final EcdsaSigner signer;

    private Wallet(ECKeyPair keyPair, EcdsaSigner signer) {
        this.keyPair = keyPair;
        this.address = Keys.toChecksumAddress(Keys.getAddress(keyPair));
        this.privateKey = Numeric.toBytesPadded(keyPair.getPrivateKey(), 32);
        this.publicKey = Numeric.toBytesPadded(keyPair.getPublicKey(), 64);
        this.signer = signer;
    }

    /** The 64-byte uncompressed public key (x ‖ y) of a private key. */
    static byte[] publicKeyOf(byte[] privateKey) {
        return Numeric.toBytesPadded(Sign.publicKeyFromPrivate(new BigInteger(1, privateKey)), 64);
    }

    /** The same key signing with another implementation (tests compare them). */
    public Wallet with(EcdsaSigner other) {
        return new Wallet(keyPair, other);
    }

    /**
     * @param privateKeyHex 32 bytes as hex, with or without 0x
     * @throws IllegalArgumentException with a message that never contains the key
     */
    public static Wallet fromPrivateKey(String privateKeyHex) {
        if (privateKeyHex == null || privateKeyHex.isBlank()) {
            throw new IllegalArgumentException("private key is empty");
        }
        String hex = Numeric.cleanHexPrefix(privateKeyHex.trim());
        if (hex.length() != 64 || !hex.matches("[0-9a-fA-F]+")) {
            throw new IllegalArgumentException("private key must be 32 bytes of hex");
        }
        BigInteger d = new BigInteger(hex, 16);
        if (d.signum() == 0 || d.compareTo(Sign.CURVE_PARAMS.getN()) >= 0) {
            throw new IllegalArgumentException("private key is not a valid secp256k1 scalar");
        }
        return new Wallet(Credentials.create(hex).getEcKeyPair(), EcdsaSigners.best());
    }

    /** Checksummed 0x address. */
    public String address() {
        return address;
    }

    /** Signs a 32-byte digest; returns r ‖ s ‖ v (v = 27/28) as 0x hex. */
    public String signDigest(byte[] digest) {
        if (digest.length != 32) {
            throw new IllegalArgumentException("digest must be 32 bytes");
        }
        return Numeric.toHexString(signer.sign(digest, privateKey, publicKey));
    }

    /** web3j's signature of the same digest: the test oracle, and the slow reference. */
    public String signDigestWithWeb3j(byte[] digest) {
        Sign.SignatureData sig = Sign.signMessage(digest, keyPair, false);
        byte[] out = new byte[65];
        System.arraycopy(sig.getR(), 0, out, 0, 32);
        System.arraycopy(sig.getS(), 0, out, 32, 32);
        out[64] = sig.getV()[0];
        return Numeric.toHexString(out);
    }

    /** Recovers the checksummed signer address of a 65-byte r ‖ s ‖ v signature over a digest. */
    public static String recover(byte[] digest, String signatureHex) {
        byte[] sig = Numeric.hexStringToByteArray(signatureHex);
        if (sig.length != 65) {
            throw new IllegalArgumentException("signature must be 65 bytes");
        }
        byte v = sig[64];
        if (v < 27) {
            v += 27;
        }
        Sign.SignatureData data = new Sign.SignatureData(v, Arrays.copyOfRange(sig, 0, 32), Arrays.copyOfRange(sig, 32, 64));
        try {
            BigInteger pub = Sign.signedMessageHashToKey(digest, data);
            return Keys.toChecksumAddress(Keys.getAddress(pub));
        } catch (SignatureException | RuntimeException e) {
            throw new IllegalArgumentException("signature does not recover: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "Wallet[" + address + "]";
    }
}
