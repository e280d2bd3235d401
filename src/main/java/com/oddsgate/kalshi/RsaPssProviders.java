package com.oddsgate.kalshi;

import java.security.Provider;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

/**
 * Which JCA provider signs Kalshi requests: Amazon Corretto Crypto Provider (native, ~2× the JDK's
 * speed) when its library loads, the JDK's own otherwise. Chosen once, logged and shown in health.
 */
public final class RsaPssProviders {

    private static final Logger LOG = LoggerFactory.getLogger(RsaPssProviders.class);
    private static volatile Provider chosen;
    private static volatile String name;

    private RsaPssProviders() {
    }

    /** The provider to sign with, or null for the JDK default. */
    public static Provider best() {
        if (name == null) {
            synchronized (RsaPssProviders.class) {
                if (name == null) {
                    try {
                        var accp = AmazonCorrettoCryptoProvider.INSTANCE;
                        if (accp.getLoadingError() == null) {
                            chosen = accp;
                            name = "Amazon Corretto Crypto Provider " + accp.getVersionStr();
                        } else {
                            name = "JDK (ACCP did not load: " + accp.getLoadingError() + ")";
                        }
                    } catch (LinkageError e) {
                        name = "JDK (ACCP unavailable: " + e + ")";
                    }
                    LOG.info("Kalshi RSA-PSS signing: {}", name);
                }
            }
        }
        return chosen;
    }

    public static String name() {
        best();
        return name;
    }
}
