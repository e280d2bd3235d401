package com.oddsgate.kalshi;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * RSA keys from PEM text, as Kalshi issues them: PKCS#1 ({@code BEGIN RSA PRIVATE KEY}) or PKCS#8
 * ({@code BEGIN PRIVATE KEY}); public keys as X.509 ({@code BEGIN PUBLIC KEY}). Error messages
 * never contain key material.
 */
public final class KalshiKey {

    /** DER of AlgorithmIdentifier { rsaEncryption, NULL }: wraps PKCS#1 into PKCS#8. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7,
            0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private KalshiKey() {
    }

    public static PrivateKey privateKey(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("Kalshi private key is empty");
        }
        try {
            byte[] der;
            if (pem.contains("BEGIN RSA PRIVATE KEY")) {
                der = pkcs1ToPkcs8(body(pem, "RSA PRIVATE KEY"));
            } else if (pem.contains("BEGIN PRIVATE KEY")) {
                der = body(pem, "PRIVATE KEY");
            } else {
                throw new IllegalArgumentException("Kalshi private key must be PEM (BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY)");
            }
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalStateException e) {
            throw new IllegalArgumentException("Kalshi private key is not a readable RSA key");
        }
    }

    public static PublicKey publicKey(String pem) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(body(pem, "PUBLIC KEY")));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("Kalshi public key is not a readable RSA key");
        }
    }

    /** The public half of a private key (CRT form, as every PEM key here is). */
    public static PublicKey publicOf(PrivateKey key) {
        try {
            RSAPrivateCrtKey crt = (RSAPrivateCrtKey) key;
            return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("Kalshi private key has no public half");
        }
    }

    private static byte[] body(String pem, String label) {
        int start = pem.indexOf("-----BEGIN " + label + "-----");
        int end = pem.indexOf("-----END " + label + "-----");
        if (start < 0 || end < 0) {
            throw new IllegalArgumentException("PEM block " + label + " not found");
        }
        String b64 = pem.substring(start + label.length() + 16, end).replaceAll("\\s", "");
        return Base64.getDecoder().decode(b64);
    }

    static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        inner.writeBytes(new byte[] {0x02, 0x01, 0x00}); // version 0
        inner.writeBytes(RSA_ALGORITHM);
        inner.writeBytes(tlv(0x04, pkcs1));
        return tlv(0x30, inner.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = value.length;
        if (len < 0x80) {
            out.write(len);
        } else {
            byte[] l = BigInteger.valueOf(len).toByteArray();
            int skip = l[0] == 0 ? 1 : 0;
            out.write(0x80 | (l.length - skip));
            out.write(l, skip, l.length - skip);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }
}
