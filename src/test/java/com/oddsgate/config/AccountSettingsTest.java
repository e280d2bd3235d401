package com.oddsgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Named accounts bind from environment variables (as an operator sets them) and from YAML-style properties. */
class AccountSettingsTest {

    @Test
    void accountsBindFromEnvironmentVariablesAndProperties() {
        StandardEnvironment env = new StandardEnvironment();
        // In place of the process's environment (Spring maps only that source's variable names).
        env.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(
                "ODDSGATE_ACCOUNTS_POLYMARKET_DESKB_PRIVATEKEY", "0xabc",
                "ODDSGATE_ACCOUNTS_POLYMARKET_DESKB_SIGNATURETYPE", "2",
                "ODDSGATE_ACCOUNTS_POLYMARKET_DESKB_FUNDER", "0x1111111111111111111111111111111111111111",
                "ODDSGATE_ACCOUNTS_KALSHI_DESKB_KEYID", "kid-2",
                "ODDSGATE_ACCOUNTS_KALSHI_DESKB_PRIVATEKEYPATH", "/run/secrets/k.pem")));
        env.getPropertySources().addFirst(new MapPropertySource("test-yaml", Map.of(
                "oddsgate.accounts.polymarket.desk_c.private-key", "0xdef",
                "oddsgate.accounts.polymarket.desk_c.api-key", "k")));
        Map<String, AccountSettings.Polymarket> poly = AccountSettings.polymarket(env);
        assertThat(poly.get("deskb")).isEqualTo(new AccountSettings.Polymarket("0xabc", null, null, null, 2,
                "0x1111111111111111111111111111111111111111"));
        assertThat(poly.get("desk_c").privateKey()).isEqualTo("0xdef");
        assertThat(poly.get("desk_c").apiKey()).isEqualTo("k");
        assertThat(AccountSettings.kalshi(env).get("deskb")).isEqualTo(new AccountSettings.Kalshi("kid-2", "/run/secrets/k.pem", null));
    }

    @Test
    void mainAndBadNamesAreRefusedWithOneLine() {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test-yaml", Map.of("oddsgate.accounts.kalshi.main.key-id", "x")));
        assertThat(catchThrowable(() -> AccountSettings.kalshi(env))).hasMessageContaining("oddsgate.accounts.kalshi.main")
                .hasMessageContaining("not 'main'");
        assertThat(AccountSettings.polymarket(new StandardEnvironment())).isEmpty();
    }
}
