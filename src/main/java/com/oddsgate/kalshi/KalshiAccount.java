package com.oddsgate.kalshi;

import java.util.Map;

import com.oddsgate.order.OrderRejectedException;

/** The Kalshi API key, when one is configured; Kalshi orders are refused clearly when none is. */
public class KalshiAccount {

    private final KalshiSigner signer;

    public KalshiAccount(KalshiSigner signer) {
        this.signer = signer;
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

    @Override
    public String toString() {
        return "KalshiAccount[" + (signer == null ? "not configured" : signer) + "]";
    }
}
