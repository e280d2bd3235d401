package com.oddsgate.config;

import java.util.function.Supplier;

/** Start-up checks that fail with one line naming the setting, never echoing a secret value. */
final class Settings {

    private Settings() {
    }

    /**
     * Whether the dev API token and admin password must be refused: in a profile that says so
     * ({@code live}), and in every profile once real venue credentials are configured.
     */
    static boolean realSecretsRequired(OddsgateProperties settings) {
        return settings.requireApiToken() || !settings.polymarket().privateKey().isBlank() || !settings.kalshi().keyId().isBlank();
    }

    static <T> T check(Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("invalid configuration: " + e.getMessage(), null);
        }
    }

    static <T> T check(Supplier<T> build, String setting) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("invalid configuration: " + setting + ": " + e.getMessage(), null);
        }
    }

    static int integer(String value, String variable) {
        String v = value == null ? "" : value.trim();
        try {
            return Integer.parseInt(v.isEmpty() ? "0" : v);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("invalid configuration: " + variable + " must be a whole number");
        }
    }
}
