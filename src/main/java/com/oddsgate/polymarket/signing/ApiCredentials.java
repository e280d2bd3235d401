package com.oddsgate.polymarket.signing;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.oddsgate.message.Secrets;

/**
 * L2 API credentials and the HMAC that authenticates every trading call. {@link #toString()} masks
 * all three values so they cannot leak through logs.
 */
public final class ApiCredentials {

    private final String apiKey;
    private final byte[] secret;
    /** As issued: the user channel's subscription carries the secret text itself. */
    private final String secretText;
    private final String passphrase;

    public ApiCredentials(String apiKey, String secretBase64, String passphrase) {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("POLYMARKET_API_KEY is empty");
        }
        if (passphrase == null || passphrase.isBlank()) {
            throw new IllegalArgumentException("POLYMARKET_API_PASSPHRASE is empty");
        }
        this.apiKey = apiKey.trim();
        this.secret = decodeSecret(secretBase64);
        this.secretText = secretBase64.trim();
        this.passphrase = passphrase.trim();
    }

    /** Accepts url-safe or standard base64, padded or not, as the venue issues it. */
    static byte[] decodeSecret(String secretBase64) {
        if (secretBase64 == null || secretBase64.isBlank()) {
            throw new IllegalArgumentException("POLYMARKET_API_SECRET is empty");
        }
        String s = secretBase64.trim().replace('+', '-').replace('/', '_');
        try {
            return Base64.getUrlDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("POLYMARKET_API_SECRET must be url-safe base64");
        }
    }

    public String apiKey() {
        return apiKey;
    }

    public String passphrase() {
        return passphrase;
    }

    /** url-safe base64 (with '=') of HMAC-SHA256(secret, timestamp + METHOD + path + body). */
    public String hmac(String timestamp, String method, String pathWithoutQuery, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestamp + method + pathWithoutQuery).getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                mac.update(body);
            }
            return Base64.getUrlEncoder().encodeToString(mac.doFinal());
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** The five L2 headers for one request; {@code path} must not carry the query string. */
    public Map<String, String> l2Headers(String address, long timestampSeconds, String method, String path, byte[] body) {
        String ts = Long.toString(timestampSeconds);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("POLY_ADDRESS", address);
        h.put("POLY_SIGNATURE", hmac(ts, method, path, body));
        h.put("POLY_TIMESTAMP", ts);
        h.put("POLY_API_KEY", apiKey);
        h.put("POLY_PASSPHRASE", passphrase);
        return h;
    }

    /**
     * The user channel's subscription message: {@code {"auth":{apiKey,secret,passphrase},"markets":[…],"type":"user"}}.
     * It carries the secret: send it, never log it.
     */
    public String userSubscription(Collection<String> conditionIds) {
        StringBuilder markets = new StringBuilder();
        for (String id : conditionIds) {
            if (!id.matches("[0-9A-Za-z_-]+")) {
                throw new IllegalArgumentException("not a condition id: " + id);
            }
            markets.append(markets.length() == 0 ? "" : ",").append('"').append(id).append('"');
        }
        return "{\"auth\":{\"apiKey\":\"" + json(apiKey) + "\",\"secret\":\"" + json(secretText) + "\",\"passphrase\":\""
                + json(passphrase) + "\"},\"markets\":[" + markets + "],\"type\":\"user\"}";
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Override
    public String toString() {
        return "ApiCredentials[apiKey=" + Secrets.mask(apiKey) + ", secret=****, passphrase=****]";
    }
}
