package com.oddsgate.kalshi;

import java.time.Clock;
import java.util.Map;

import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.venue.NamedAccounts;
import com.oddsgate.venue.VenueReads;

/**
 * One Kalshi API key, named in the configuration, with its own rate-limit buckets; Kalshi orders
 * are refused clearly when none is configured.
 */
public class KalshiAccount {

    /** The key of the single-account settings (KALSHI_API_KEY_ID …). */
    public static final String MAIN = NamedAccounts.MAIN;

    private final String name;
    private final KalshiSigner signer;
    private final KalshiRateLimits limits;
    private final Clock clock;

    public KalshiAccount(KalshiSigner signer) {
        this(signer, null, Clock.systemUTC());
    }

    /** @param limits the key's token buckets, or null for no pacing */
    public KalshiAccount(KalshiSigner signer, KalshiRateLimits limits, Clock clock) {
        this(MAIN, signer, limits, clock);
    }

    public KalshiAccount(String name, KalshiSigner signer, KalshiRateLimits limits, Clock clock) {
        this.name = name;
        this.signer = signer;
        this.limits = limits;
        this.clock = clock;
    }

    public String name() {
        return name;
    }

    /** {@code instances} gateways now share this key's rate limits. */
    public void share(int instances) {
        if (limits != null) {
            limits.share(instances);
        }
    }

    public boolean configured() {
        return signer != null;
    }

    public KalshiSigner signer() {
        if (signer == null) {
            throw new OrderRejectedException("venue", "Kalshi is not configured: set KALSHI_API_KEY_ID and "
                    + "KALSHI_PRIVATE_KEY_PATH (or KALSHI_PRIVATE_KEY_PEM)");
        }
        return signer;
    }

    public Map<String, String> headers(long timestampMs, String method, String path) {
        return signer().headers(timestampMs, method, path);
    }

    /**
     * Headers for one REST call that costs {@code cost} tokens: waits for them in the key's read or
     * write bucket first, then signs with the time of sending (a wait never ages the signature).
     */
    public Map<String, String> paced(String method, String path, int cost) {
        KalshiSigner s = signer();
        if (limits != null) {
            limits.await(method, cost);
        }
        return s.headers(clock.millis(), method, path);
    }

    /** A new order's write tokens, taken before it is signed and waited for at most the bound (see {@link KalshiRateLimits#admit}). */
    public void admit(int cost) {
        if (limits != null) {
            limits.admit(cost);
        }
    }

    /** Headers for a call whose tokens were taken already ({@link #admit}), signed with the time of sending. */
    public Map<String, String> signedNow(String method, String path) {
        return signer().headers(clock.millis(), method, path);
    }

    /** {@link #paced} for a call of the default cost. */
    public Map<String, String> paced(String method, String path) {
        return paced(method, path, KalshiRateLimits.REQUEST);
    }

    /** A venue read signed with this key after its rate-limit turn (the signature covers the API prefix too). */
    public VenueReads.Auth signed(KalshiSettings settings) {
        return (method, resource, body) -> paced(method, settings.path(resource));
    }

    @Override
    public String toString() {
        return "KalshiAccount[" + (signer == null ? "not configured" : signer) + "]";
    }
}
