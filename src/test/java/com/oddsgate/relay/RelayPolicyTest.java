package com.oddsgate.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RelayPolicyTest {

    static RelayPolicy policy(String token, Clock clock) {
        return new RelayPolicy("polymarket", "https://clob.polymarket.com", List.of("/order", "/data", "/time"), 100,
                Set.of("https://dash.example"), token, 2, 3, Set.of("clob.polymarket.com"), clock);
    }

    final RelayPolicy p = policy(null, Clock.systemUTC());

    @Test
    void onlyTheVenuesOwnPathsUnderItsOwnHost() {
        assertThat(p.check("c", "/order", null, null, 10)).isNull();
        assertThat(p.check("c2", "/data/orders", null, null, 0)).isNull();
        assertThat(p.check("c3", "/orders-admin", null, null, 0).status()).isEqualTo(404);
        assertThat(p.check("c4", "/ordering", null, null, 0).status()).isEqualTo(404);
        assertThat(p.target("/data/order/0xab", "next_cursor=MA%3D%3D"))
                .isEqualTo("https://clob.polymarket.com/data/order/0xab?next_cursor=MA%3D%3D");
    }

    @Test
    void traversalAndAbsoluteUrlsAreRefused() {
        for (String path : List.of("/data/../admin", "/data/%2e%2e/admin", "/data%2fadmin", "/data/..%5cadmin",
                "/http://evil.example/order", "//evil.example/order", "/data;jsessionid=1", "order")) {
            assertThat(p.check("t-" + path, path, null, null, 0)).as(path).isNotNull();
            assertThat(p.check("t2-" + path, path, null, null, 0).status()).as(path).isIn(400, 404);
        }
    }

    @Test
    void originsSizeAndToken() {
        assertThat(p.check("o", "/time", "https://evil.example", null, 0).status()).isEqualTo(403);
        assertThat(p.check("o2", "/time", "https://dash.example", null, 0)).isNull();
        assertThat(p.check("s", "/order", null, null, 101).status()).isEqualTo(413);
        RelayPolicy guarded = policy("s3cret", Clock.systemUTC());
        assertThat(guarded.check("k", "/time", null, null, 0).status()).isEqualTo(401);
        assertThat(guarded.check("k", "/time", null, "Bearer wrong", 0).status()).isEqualTo(401);
        assertThat(guarded.check("k", "/time", null, "Bearer s3cret", 0)).isNull();
    }

    @Test
    void rateLimitIsPerClientAndRefills() {
        Instant[] now = {Instant.parse("2026-11-21T10:00:00Z")};
        Clock clock = new Clock() {
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            public Instant instant() {
                return now[0];
            }
        };
        RelayPolicy limited = policy(null, clock);
        for (int i = 0; i < 3; i++) {
            assertThat(limited.check("a", "/time", null, null, 0)).isNull();
        }
        RelayPolicy.Refusal r = limited.check("a", "/time", null, null, 0);
        assertThat(r.status()).isEqualTo(429);
        assertThat(r.retryAfterSeconds()).isEqualTo(1L);
        assertThat(limited.check("b", "/time", null, null, 0)).as("another client has its own bucket").isNull();
        now[0] = now[0].plusMillis(500);
        assertThat(limited.check("a", "/time", null, null, 0)).as("2/s refills one token in 0.5 s").isNull();
    }

    @Test
    void productionUpstreamsAreTheVenuesHostsOnly() {
        assertThatThrownBy(() -> new RelayPolicy("polymarket", "https://evil.example", List.of("/time"), 1, Set.of(), null,
                1, 1, Set.of("clob.polymarket.com"), Clock.systemUTC()))
                .hasMessageContaining("upstream host evil.example is not one of");
    }
}
