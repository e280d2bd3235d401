package com.oddsgate.polymarket;

import java.time.Clock;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.venue.JsonHttp;

/**
 * The trading identity: the wallet and its L2 API credentials. With only a private key configured,
 * the credentials are created (or, when they exist, derived) through L1 auth, as the official
 * client's {@code createOrDeriveApiKey} does.
 */
public class PolymarketAccount {

    private static final Logger LOG = LoggerFactory.getLogger(PolymarketAccount.class);

    private final Wallet wallet;
    private final ApiCredentials credentials;

    public PolymarketAccount(Wallet wallet, ApiCredentials credentials) {
        this.wallet = wallet;
        this.credentials = credentials;
    }

    public static PolymarketAccount createOrDerive(Wallet wallet, PolymarketSettings settings, JsonHttp http, Clock clock) {
        long ts = serverTime(settings, http, clock);
        Map<String, String> l1 = ClobAuth.headers(wallet, settings.chainId(), ts, 0);
        JsonHttp.Response created = http.send("POST", settings.clobUrl() + "/auth/api-key", l1, null);
        JsonHttp.Response r = created.ok() ? created : http.get(settings.clobUrl() + "/auth/derive-api-key", l1);
        JsonNode j = r.json();
        if (!r.ok() || j == null || !j.hasNonNull("apiKey")) {
            throw new IllegalStateException("Polymarket API credentials could not be created or derived for "
                    + wallet.address() + ": HTTP " + r.status() + " " + (j == null ? "" : j.path("error").asText("")));
        }
        ApiCredentials creds = new ApiCredentials(j.get("apiKey").asText(), j.get("secret").asText(), j.get("passphrase").asText());
        LOG.info("Polymarket API credentials {} for {} ({})", created.ok() ? "created" : "derived", wallet.address(), creds);
        return new PolymarketAccount(wallet, creds);
    }

    /** The CLOB's clock when it answers, our own otherwise (L1 timestamps are checked against it). */
    private static long serverTime(PolymarketSettings settings, JsonHttp http, Clock clock) {
        try {
            JsonHttp.Response t = http.get(settings.clobUrl() + "/time", Map.of());
            if (t.ok() && t.json() != null && t.json().canConvertToLong()) {
                return t.json().asLong();
            }
        } catch (RuntimeException e) {
            LOG.warn("Polymarket /time unavailable ({}); using the local clock", e.getMessage());
        }
        return clock.instant().getEpochSecond();
    }

    public Wallet wallet() {
        return wallet;
    }

    public ApiCredentials credentials() {
        return credentials;
    }

    /** L2 headers for one request to the CLOB. */
    public Map<String, String> l2Headers(long timestampSeconds, String method, String path, byte[] body) {
        return credentials.l2Headers(wallet.address(), timestampSeconds, method, path, body);
    }

    @Override
    public String toString() {
        return "PolymarketAccount[" + wallet.address() + ", " + credentials + "]";
    }
}
