package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;

import com.oddsgate.config.SettingsFailureAnalyzer;

/** Bad settings stop start-up with one line naming the setting. Nothing here leaves loopback. */
class StartupChecksTest {

    static Map<String, Object> live() {
        Map<String, Object> p = new HashMap<>();
        p.put("server.port", "0");
        p.put("spring.datasource.url", "jdbc:h2:mem:startup-" + System.nanoTime());
        // Unreachable loopback venue: the live profile must never reach the internet from a test.
        p.put("oddsgate.polymarket.clob-url", "http://127.0.0.1:9/clob");
        p.put("oddsgate.polymarket.gamma-url", "http://127.0.0.1:9/gamma");
        p.put("oddsgate.polymarket.private-key", "0x" + "22".repeat(32));
        p.put("oddsgate.polymarket.api-key", "k");
        p.put("oddsgate.polymarket.api-secret", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        p.put("oddsgate.polymarket.api-passphrase", "p");
        p.put("oddsgate.api-token", "");
        p.put("oddsgate.admin.password", "a-real-admin-password");
        // The relay's upstreams are loopback here; the live host restriction has its own test below.
        p.put("oddsgate.relay.allowed-upstream-hosts", "");
        return p;
    }

    static String failure(Map<String, Object> props, String... profiles) {
        // As command-line arguments: they outrank the profile's files, as environment variables do.
        String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        Throwable t = catchThrowable(() -> new SpringApplicationBuilder(OddsgateApplication.class).profiles(profiles)
                .run(args).close());
        assertThat(t).as("start-up must fail").isNotNull();
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    @Test
    void liveProfileRefusesToStartWithoutAnApiToken() {
        assertThat(failure(live(), "live")).startsWith("ODDSGATE_API_TOKEN must be set to a non-default value in this profile");
    }

    @Test
    void realCredentialsRefuseTheDevTokenAndPasswordInEveryProfile() {
        Map<String, Object> p = live();
        p.put("oddsgate.sim.enabled", "false");
        p.put("oddsgate.polymarket.data-url", "http://127.0.0.1:9/data");
        p.put("oddsgate.kalshi.base-url", "http://127.0.0.1:9");
        p.put("oddsgate.api-token", "dev-token-change-me");
        assertThat(failure(p)).as("the default profile with a real Polymarket key").contains("ODDSGATE_API_TOKEN",
                "real venue credentials");
        p.put("oddsgate.api-token", "a-real-token");
        p.put("oddsgate.admin.password", "dev-admin-change-me");
        assertThat(failure(p)).contains("ODDSGATE_ADMIN_PASSWORD", "real venue credentials");
    }

    @Test
    void liveProfileRefusesTheDevToken() {
        Map<String, Object> p = live();
        p.put("oddsgate.api-token", "dev-token-change-me");
        assertThat(failure(p, "live")).contains("ODDSGATE_API_TOKEN");
    }

    @Test
    void aMalformedPrivateKeyIsNamedButNotEchoed() {
        Map<String, Object> p = live();
        p.put("oddsgate.api-token", "a-real-token");
        p.put("oddsgate.polymarket.private-key", "0xdeadbeef");
        String message = failure(p, "live");
        assertThat(message).isEqualTo("invalid configuration: POLYMARKET_PRIVATE_KEY: private key must be 32 bytes of hex");
    }

    @Test
    void liveRelayOnlyAcceptsTheVenuesOwnHostsAsUpstreams() {
        Map<String, Object> p = live();
        p.put("oddsgate.api-token", "a-real-token");
        p.remove("oddsgate.relay.allowed-upstream-hosts");
        assertThat(failure(p, "live")).startsWith("invalid configuration: oddsgate.relay.polymarket upstream host 127.0.0.1 is not one of [clob.polymarket.com");
    }

    @Test
    void liveProfileRefusesTheDevAdminPassword() {
        Map<String, Object> p = live();
        p.put("oddsgate.api-token", "a-real-token");
        p.put("oddsgate.admin.password", "dev-admin-change-me");
        assertThat(failure(p, "live")).startsWith(
                "invalid configuration: ODDSGATE_ADMIN_PASSWORD must be set to a non-default value in this profile");
        p.remove("oddsgate.admin.password");
        assertThat(failure(p, "live")).isEqualTo("invalid configuration: ODDSGATE_ADMIN_USER and ODDSGATE_ADMIN_PASSWORD must be set");
    }

    @Test
    void aSecretThatIsNotBase64IsNamed() {
        Map<String, Object> p = live();
        p.put("oddsgate.api-token", "a-real-token");
        p.put("oddsgate.polymarket.api-secret", "not base64 !!");
        assertThat(failure(p, "live")).isEqualTo("invalid configuration: POLYMARKET_API_SECRET must be url-safe base64");
    }

    @Test
    void aTypedSettingOutOfRangeIsNamed() {
        Map<String, Object> p = live();
        p.put("oddsgate.api-token", "a-real-token");
        p.put("oddsgate.intake.max-in-flight", "0");
        assertThat(failure(p)).isEqualTo("invalid configuration: oddsgate.intake.max-in-flight must be positive");
        p.put("oddsgate.intake.max-in-flight", "256");
        p.put("oddsgate.events.title-similarity", "1.5");
        assertThat(failure(p)).isEqualTo("invalid configuration: oddsgate.events.title-similarity must be between 0 and 1");
    }

    @Test
    void aSettingThatCannotBeReadIsOneLineNamingItWithoutItsValue() {
        Map<String, Object> p = live();
        p.put("oddsgate.api-token", "a-real-token");
        p.put("oddsgate.relay.ws.max-connections", "lots-of-them");
        String[] args = p.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        Throwable t = catchThrowable(() -> new SpringApplicationBuilder(OddsgateApplication.class).run(args).close());
        FailureAnalysis analysis = new SettingsFailureAnalyzer().analyze(t);
        assertThat(analysis).as("the start-up failure is analysed").isNotNull();
        assertThat(analysis.getDescription()).isEqualTo("invalid configuration: oddsgate.relay.ws.max-connections: cannot be read"
                + " as int").doesNotContain("lots-of-them").doesNotContain("\n");
    }

    @Test
    void aLeaseRenewedTooRarelyToHoldIsRefused() {
        // An instance stops acting on orders once two thirds of its lease pass without a renewal.
        Map<String, Object> p = live();
        p.put("oddsgate.api-token", "a-real-token");
        p.put("oddsgate.instance-lease", "30s");
        p.put("oddsgate.instance-lease-renew-ms", "15000");
        assertThat(failure(p)).isEqualTo("invalid configuration: oddsgate.instance-lease-renew-ms (15000) must be positive and at"
                + " most a third of oddsgate.instance-lease (30000 ms)");
    }

    @Test
    void openOrdersOfAnAccountNoLongerConfiguredStopStartUp() {
        String url = "jdbc:h2:mem:startup-accounts-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        org.springframework.jdbc.datasource.DriverManagerDataSource ds = new org.springframework.jdbc.datasource.DriverManagerDataSource(
                url, "sa", "");
        org.flywaydb.core.Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        new org.springframework.jdbc.core.JdbcTemplate(ds).update("INSERT INTO orders (client_order_id, source, venue, state, account,"
                + " created_at, updated_at) VALUES ('c-gone', 'rest', 'polymarket', 'LIVE', 'deskz', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        Map<String, Object> p = live();
        p.put("spring.datasource.url", url);
        p.put("spring.datasource.username", "sa");
        p.put("oddsgate.api-token", "a-real-api-token-for-this-test");
        assertThat(failure(p, "live")).isEqualTo("invalid configuration: 1 polymarket orders of account 'deskz' are open or"
                + " unresolved, and that account is not configured (configure it again until they are done)");
    }
}
