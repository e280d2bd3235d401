package com.oddsgate.config;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The named accounts beyond {@code main}: {@code oddsgate.accounts.polymarket.<name>.*} and
 * {@code oddsgate.accounts.kalshi.<name>.*}, bound as typed records (environment variables such as
 * {@code ODDSGATE_ACCOUNTS_POLYMARKET_DESKB_PRIVATEKEY}, or a file brought in with
 * {@code SPRING_CONFIG_IMPORT}; never the repository). Names: lower-case letters, digits, - and _
 * (from environment variables: letters and digits only, as Spring reads {@code _} as a dot).
 */
final class AccountSettings {

    private AccountSettings() {
    }

    /** A Polymarket account; signature type and funder null: those of {@code oddsgate.polymarket.*}. */
    record Polymarket(String privateKey, String apiKey, String apiSecret, String apiPassphrase, Integer signatureType,
            String funder) {
        @Override
        public String toString() {
            return "Polymarket[signatureType=" + signatureType + ", funder=" + funder + ", secrets hidden]";
        }
    }

    /** A Kalshi API key: its id and its private key, as a file or as PEM text. */
    record Kalshi(String keyId, String privateKeyPath, String privateKeyPem) {
        @Override
        public String toString() {
            return "Kalshi[privateKeyPath=" + privateKeyPath + ", secrets hidden]";
        }
    }

    static Map<String, Polymarket> polymarket(Environment env) {
        return named(env, "oddsgate.accounts.polymarket", Polymarket.class);
    }

    static Map<String, Kalshi> kalshi(Environment env) {
        return named(env, "oddsgate.accounts.kalshi", Kalshi.class);
    }

    private static <T> Map<String, T> named(Environment env, String prefix, Class<T> type) {
        Map<String, T> out = new LinkedHashMap<>(Binder.get(env).bind(prefix, Bindable.mapOf(String.class, type))
                .orElse(Map.of()));
        out.keySet().forEach(name -> {
            if (!name.matches("[a-z0-9_-]{1,64}") || name.equals("main")) {
                throw new IllegalStateException("invalid configuration: " + prefix + "." + name + ": an account name is 1-64"
                        + " lower-case letters, digits, - and _, and not 'main' (the single-account settings' name)");
            }
        });
        return out;
    }
}
