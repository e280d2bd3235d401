package com.oddsgate.kalshi;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.oddsgate.message.Secrets;

/**
 * Kalshi request authentication: base64 RSA-PSS (SHA-256, MGF1-SHA-256, salt 32) over
 * {@code timestampMs + METHOD + path}, the path including {@code /trade-api/v2} and excluding the
 * query. Holds the key; never prints it.
 */
public final class KalshiSigner {

    public static final PSSParameterSpec PSS = new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);

    private final String keyId;
    private final PrivateKey key;
    /** One Signature per thread, reused: creating one per request costs as much as signing. */
    private final ThreadLocal<Signature> signatures;

    public KalshiSigner(String keyId, PrivateKey key) {
        this(keyId, key, RsaPssProviders.best());
    }

    /** @param provider null for the JDK's */
    public KalshiSigner(String keyId, PrivateKey key, Provider provider) {
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalArgumentException("KALSHI_API_KEY_ID is empty");
        }
        this.keyId = keyId.trim();
        this.key = key;
        this.signatures = ThreadLocal.withInitial(() -> {
            try {
                Signature s = provider == null ? Signature.getInstance("RSASSA-PSS") : Signature.getInstance("RSASSA-PSS", provider);
                s.setParameter(PSS);
                return s;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("RSASSA-PSS unavailable", e);
            }
        });
    }

    public String keyId() {
        return keyId;
    }

    public PublicKey publicKey() {
        return KalshiKey.publicOf(key);
    }

    public String sign(long timestampMs, String method, String path) {
        try {
            Signature s = signatures.get();
            s.initSign(key);
            s.update(message(timestampMs, method, path));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA-PSS signing failed", e);
        }
    }

    public static boolean verify(PublicKey key, String signature, long timestampMs, String method, String path) {
        try {
            Signature s = Signature.getInstance("RSASSA-PSS");
            s.setParameter(PSS);
            s.initVerify(key);
            s.update(message(timestampMs, method, path));
            return s.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** KALSHI-ACCESS-KEY, -TIMESTAMP, -SIGNATURE; {@code path} without the query string. */
    public Map<String, String> headers(long timestampMs, String method, String path) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("KALSHI-ACCESS-KEY", keyId);
        h.put("KALSHI-ACCESS-TIMESTAMP", Long.toString(timestampMs));
        h.put("KALSHI-ACCESS-SIGNATURE", sign(timestampMs, method, path));
        return h;
    }

    private static byte[] message(long timestampMs, String method, String path) {
        int q = path.indexOf('?');
        return (timestampMs + method + (q < 0 ? path : path.substring(0, q))).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "KalshiSigner[keyId=" + Secrets.mask(keyId) + "]";
    }
}
