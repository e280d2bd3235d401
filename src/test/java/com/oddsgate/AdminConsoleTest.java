package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.apache.camel.test.spring.junit5.DisableJmx;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.message.Json;

/** Hawtio and Jolokia: closed to anonymous callers, open to the admin, showing routes and gateway figures. */
@DisableJmx(false)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class AdminConsoleTest extends GatewayTestSupport {

    @DynamicPropertySource
    static void jmx(DynamicPropertyRegistry r) {
        r.add("spring.jmx.enabled", () -> "true");
    }

    HttpRequest.Builder admin(String path, String user, String password) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8)));
        }
        return b;
    }

    /**
     * The security headers of an /api answer, written before the request goes on (the answer itself
     * is written by a Camel thread; written after the chain returned, on Tomcat's thread at the same
     * moment, they corrupted the response's headers once under load).
     */
    @Test
    void apiAnswersCarryTheSecurityHeaders() throws Exception {
        java.net.http.HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/orders/987654321"))
                .header("Authorization", "Bearer " + TOKEN).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("SAMEORIGIN");
        assertThat(r.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("no-store"));
    }

    @Test
    void hawtioAndJolokiaRefuseAnonymousCallersAndWrongPasswords() {
        for (String path : new String[] {"/hawtio", "/actuator/hawtio/", "/actuator/jolokia/version"}) {
            assertThat(send(admin(path, null, null)).status()).as(path).isEqualTo(401);
            assertThat(send(admin(path, "admin", "wrong")).status()).as(path).isEqualTo(401);
        }
        assertThat(send(admin("/actuator/hawtio/", "admin", "dev-admin-change-me")).status()).isEqualTo(200);
    }

    /**
     * What would put the keys in a caller's hands is refused even to the admin: a heap dump, a
     * diagnostic command, a flight recording, the command line and system properties, Spring Boot's
     * endpoints. The JVM's other figures (memory) stay readable.
     */
    @Test
    void jolokiaRefusesWhatWouldShowTheKeys() throws Exception {
        java.nio.file.Path dump = java.nio.file.Files.createTempDirectory("heap").resolve("gateway.hprof");
        for (String call : new String[] {
            "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=HotSpotDiagnostic\",\"operation\":\"dumpHeap\","
                    + "\"arguments\":[\"" + dump + "\",true]}",
            "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\",\"operation\":\"vmSystemProperties\"}",
            "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"SystemProperties\"}",
            "{\"type\":\"read\",\"mbean\":\"java.lang:type=Runtime\",\"attribute\":\"InputArguments\"}",
            "{\"type\":\"exec\",\"mbean\":\"jdk.management.jfr:type=FlightRecorder\",\"operation\":\"newRecording\"}",
            // A pattern: Jolokia checks its name, not the MBeans it reaches (JolokiaPolicy refuses it).
            "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=HotSpotDiagnostic,*\",\"operation\":\"dumpHeap\","
                    + "\"arguments\":[\"" + dump + "\",true]}",
            // Camel's context would send to an endpoint whose URI resolves any setting.
            "{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=oddsgate,type=context,name=\\\"oddsgate\\\"\","
                    + "\"operation\":\"requestBody(java.lang.String,java.lang.Object)\","
                    + "\"arguments\":[\"language:constant:{{oddsgate.admin.password}}\",\"\"]}"}) {
            Answer a = send(admin("/actuator/jolokia/", "admin", "dev-admin-change-me")
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(call)));
            assertThat(Json.MAPPER.readTree(a.body()).get("status").asInt()).as(call + " → " + a.body()).isEqualTo(403);
        }
        assertThat(dump).doesNotExist();
        Answer memory = send(admin("/actuator/jolokia/read/java.lang:type=Memory/HeapMemoryUsage", "admin", "dev-admin-change-me"));
        assertThat(Json.MAPPER.readTree(memory.body()).get("status").asInt()).as(memory.body()).isEqualTo(200);
        // Hawtio's own calls on the routes stay open.
        Answer routes = send(admin("/actuator/jolokia/", "admin", "dev-admin-change-me").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"exec\",\"mbean\":\"org.apache.camel:context=oddsgate,"
                        + "type=context,name=\\\"oddsgate\\\"\",\"operation\":\"dumpRoutesAsXml()\"}")));
        assertThat(Json.MAPPER.readTree(routes.body()).get("status").asInt()).as(routes.body()).isEqualTo(200);
    }

    @Test
    void routesAndGatewayFiguresAreVisibleThroughJolokia() throws Exception {
        post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.34", "5", null));
        Answer routes = send(admin("/actuator/jolokia/search/org.apache.camel:type=routes,*", "admin", "dev-admin-change-me"));
        assertThat(routes.status()).isEqualTo(200);
        JsonNode json = Json.MAPPER.readTree(routes.body());
        assertThat(json.get("value").toString()).contains("venue-polymarket", "venue-kalshi", "order-intake");

        Answer figures = send(admin("/actuator/jolokia/read/oddsgate:type=Gateway,name=figures", "admin", "dev-admin-change-me"));
        JsonNode value = Json.MAPPER.readTree(figures.body()).get("value");
        assertThat(value.get("OrdersByState").get("LIVE").asLong()).isPositive();
        assertThat(value.has("DeadLetterDepth")).isTrue();
        assertThat(value.has("VenueRoundTripMillis")).isTrue();
        assertThat(value.has("RejectsByReason")).isTrue();
    }
}
