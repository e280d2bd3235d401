package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.message.Json;

/** Integrators' routes load from the external folder; in the dev profile they reload without a restart. */
@ActiveProfiles({"test", "dev"})
@org.springframework.test.annotation.DirtiesContext(classMode = org.springframework.test.annotation.DirtiesContext.ClassMode.AFTER_CLASS)
class ExternalRoutesTest extends GatewayTestSupport {

    static final Path ROUTES;
    static final Path DESK_B;

    static {
        try {
            ROUTES = Files.createTempDirectory("oddsgate-routes");
            DESK_B = Files.createTempDirectory("oddsgate-desk-b");
            // The README's worked example, as an integrator would install it.
            Files.copy(Path.of("config/routes-examples/second-inbox.camel.yaml"), ROUTES.resolve("second-inbox.camel.yaml"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void routes(DynamicPropertyRegistry r) {
        r.add("oddsgate.routes-dir", ROUTES::toString);
        r.add("oddsgate.desk-b.inbox", () -> DESK_B.resolve("inbox").toString());
        r.add("oddsgate.desk-b.outbox", () -> DESK_B.resolve("outbox").toString());
    }

    @Test
    void theWorkedExampleAddsASecondInboxWithItsOwnAcknowledgements() throws Exception {
        assertThat(camel.getRoute("desk-b-file-intake")).isNotNull();
        Files.createDirectories(DESK_B.resolve("inbox"));
        Path tmp = DESK_B.resolve("inbox/.b.part");
        Files.writeString(tmp, order("sim-btc-100k", "NO", "BUY", "0.39", "5", "\"clientOrderId\":\"desk-b-1\""));
        Files.move(tmp, DESK_B.resolve("inbox/b.json"), StandardCopyOption.ATOMIC_MOVE);
        Path ack = DESK_B.resolve("outbox/b.json.ack.json");
        await(() -> Files.exists(ack));
        JsonNode line = Json.MAPPER.readTree(ack.toFile()).get("orders").get(0);
        assertThat(line.get("state").asText()).isEqualTo("LIVE");
        assertThat(line.get("clientOrderId").asText()).isEqualTo("desk-b-1");
    }

    @Test
    void aRouteDroppedInTheFolderIsPickedUpWithoutARestart() throws Exception {
        assertThat(camel.getRoute("hello-external")).isNull();
        Path tmp = ROUTES.resolve(".hello.part");
        Files.writeString(tmp, """
                - route:
                    id: hello-external
                    from:
                      uri: direct:hello-external
                      steps:
                        - setBody: { constant: "hello from an external route" }
                """);
        Files.move(tmp, ROUTES.resolve("hello.camel.yaml"), StandardCopyOption.ATOMIC_MOVE);
        await(() -> camel.getRoute("hello-external") != null);
        assertThat(producer.requestBody("direct:hello-external", "", String.class)).isEqualTo("hello from an external route");
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void await(Condition c) throws Exception {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(c::holds);
    }
}
