package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.test.spring.junit5.DisableJmx;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * A full scenario with known secret values — orders placed, refused by the gateway and by the venue,
 * dead-lettered and replayed, cancelled, previewed, relayed, unauthorized, malformed — then every
 * log line, every response (body and headers) and every JMX attribute is searched for the secrets.
 */
@DisableJmx(false)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class SecretScanTest extends GatewayTestSupport {

    @DynamicPropertySource
    static void jmx(DynamicPropertyRegistry r) {
        r.add("spring.jmx.enabled", () -> "true");
    }

    @Value("${oddsgate.polymarket.dev-account.private-key}")
    String privateKey;
    @Value("${oddsgate.polymarket.dev-account.api-secret}")
    String apiSecret;
    @Value("${oddsgate.polymarket.dev-account.api-passphrase}")
    String passphrase;
    @Value("${oddsgate.polymarket.dev-account.api-key}")
    String apiKey;
    @Value("${oddsgate.kalshi.dev-account.private-key-path}")
    String kalshiKeyPath;

    final List<String> seen = new ArrayList<>();

    Answer keep(Answer a) {
        seen.add(a.body());
        return a;
    }

    void keepRaw(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        seen.add(r.headers().map().toString());
        seen.add(r.body());
    }

    @Test
    void noSecretAppearsInLogsResponsesOrJmx() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        try {
            scenario();
        } finally {
            root.detachAppender(logs);
        }

        List<String> secrets = new ArrayList<>(List.of(privateKey.substring(2), apiSecret, apiSecret.replace("=", ""),
                passphrase, apiKey, TOKEN));
        for (String line : Files.readAllLines(Path.of(kalshiKeyPath))) {
            if (!line.startsWith("-----") && line.length() > 20) {
                secrets.add(line);
            }
        }
        List<String> logLines = new ArrayList<>();
        for (ILoggingEvent e : logs.list) {
            logLines.add(e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage()));
        }
        assertThat(logLines).as("the scenario logged something").isNotEmpty();
        List<String> jmx = jmxAttributes();
        assertThat(jmx).as("JMX attributes were read").hasSizeGreaterThan(100);
        for (String secret : secrets) {
            String shown = secret.substring(0, 4) + "…";
            assertThat(logLines).as("log lines must not contain " + shown).noneMatch(l -> l.contains(secret));
            assertThat(seen).as("responses must not contain " + shown).noneMatch(s -> s != null && s.contains(secret));
            assertThat(jmx).as("JMX attributes must not contain " + shown).noneMatch(s -> s.contains(secret));
        }
    }

    private void scenario() throws Exception {
        keep(post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.35", "5", "\"clientOrderId\":\"scan-live\"")));
        keep(post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.355", "5", null)));
        keep(post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.57", "60", "\"postOnly\":true")));
        keep(post("/api/orders", "{not json"));
        keep(post("/api/orders", "{\"venue\":\"kalshi\",\"marketTicker\":\"SIM-KX-RAIN\",\"side\":\"yes\",\"priceCents\":30,"
                + "\"contracts\":2,\"action\":\"buy\",\"clientOrderId\":\"scan-kalshi\"}"));
        keep(post("/api/orders/preview", order("sim-election-a", "NO", "SELL", "0.70", "5", null)));
        keep(post("/api/orders/preview", "{\"venue\":\"kalshi\",\"market\":\"SIM-KX-RAIN\",\"outcome\":\"NO\",\"side\":\"BUY\","
                + "\"price\":\"0.40\",\"size\":\"1\"}"));
        venue().failNextOrderPosts(100, 503);
        Answer dead = keep(post("/api/orders", order("sim-btc-100k", "NO", "BUY", "0.30", "5", "\"clientOrderId\":\"scan-dead\"")));
        venue().failNextOrderPosts(0, 503);
        JsonNodes letters = new JsonNodes(keep(get("/api/dead-letters")).json().get("deadLetters"));
        for (long id : letters.ids()) {
            keep(post("/api/dead-letters/" + id + "/replay", ""));
        }
        runRecovery();
        keep(get("/api/orders/" + dead.json().get("id").asLong()));
        keep(get("/api/orders?limit=500"));
        Answer live = keep(get("/api/orders?state=LIVE&limit=1"));
        keep(delete("/api/orders/" + live.json().get("orders").get(0).get("id").asLong()));
        keep(get("/api/venues/kalshi/balance"));
        keep(get("/api/markets/sim-longshot"));
        keepRaw(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/orders")).GET());
        keepRaw(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/orders"))
                .header("Authorization", "Bearer " + TOKEN).GET());
        keepRaw(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/poly/time")).GET());
        keepRaw(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/poly/admin")).GET());
        keepRaw(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).GET());
        keepRaw(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/openapi.json"))
                .header("Authorization", "Bearer " + TOKEN).GET());
    }

    /** Every readable attribute of the gateway's, Camel's and Spring's MBeans, as text. */
    private static List<String> jmxAttributes() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        List<String> out = new ArrayList<>();
        for (String domain : List.of("oddsgate", "org.apache.camel", "org.springframework.boot")) {
            for (ObjectName name : server.queryNames(new ObjectName(domain + ":*"), null)) {
                for (MBeanAttributeInfo a : server.getMBeanInfo(name).getAttributes()) {
                    if (!a.isReadable()) {
                        continue;
                    }
                    try {
                        out.add(name + " " + a.getName() + "=" + server.getAttribute(name, a.getName()));
                    } catch (Exception | LinkageError unreadable) {
                        // some attributes cannot be read outside their context; nothing to leak there
                    }
                }
            }
        }
        return out;
    }

    /** The ids of a JSON array of dead letters. */
    record JsonNodes(com.fasterxml.jackson.databind.JsonNode array) {
        List<Long> ids() {
            List<Long> ids = new ArrayList<>();
            array.forEach(n -> ids.add(n.get("id").asLong()));
            return ids;
        }
    }
}
