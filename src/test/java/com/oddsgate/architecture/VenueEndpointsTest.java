package com.oddsgate.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The route files name every venue endpoint the gateway calls: each read Java asks for is a route
 * of venue-reads.camel.yaml (and each route there is asked for), no Java class opens an HTTP
 * connection of its own, and the WebSocket channels connect where their routes tell them.
 */
class VenueEndpointsTest {

    static final Path MAIN = Path.of("src/main/java/com/oddsgate");
    static final Path ROUTES = Path.of("src/main/resources/routes");
    static final Pattern READ_NAME = Pattern.compile("\"((?:polymarket|kalshi)-[a-z-]+)\"");

    @Test
    void everyReadJavaAsksForIsARouteAndEveryReadRouteIsAskedFor() throws IOException {
        Set<String> asked = new TreeSet<>();
        for (Path f : javaFiles()) {
            String src = Files.readString(f);
            if (src.contains("VenueReads")) {
                Matcher m = READ_NAME.matcher(src);
                while (m.find()) {
                    asked.add(m.group(1));
                }
            }
        }
        Set<String> routes = new TreeSet<>();
        Matcher m = Pattern.compile("routeId: ([a-z-]+)").matcher(Files.readString(ROUTES.resolve("venue-reads.camel.yaml")));
        while (m.find()) {
            routes.add(m.group(1));
        }
        assertThat(asked).hasSizeGreaterThanOrEqualTo(20);
        assertThat(routes).isEqualTo(asked);
    }

    @Test
    void noJavaClassOpensAnHttpConnectionOfItsOwn() throws IOException {
        Pattern client = Pattern.compile("java\\.net\\.http|HttpURLConnection|openConnection\\(|org\\.apache\\.hc\\.|RestTemplate|RestClient"
                + "|WebClient\\b|createHttpClient\\(|createWebSocketClient\\(");
        List<String> found = new ArrayList<>();
        for (Path f : javaFiles()) {
            Matcher m = client.matcher(Files.readString(f));
            while (m.find()) {
                found.add(MAIN.relativize(f) + ": " + m.group());
            }
        }
        // The WebSocket channels (their endpoints given by markets/fills.camel.yaml) and the relay's (relay.camel.yaml).
        assertThat(found).containsExactlyInAnyOrder("venue/VenueChannel.java: createHttpClient(",
                "relay/RelayWebSockets.java: createWebSocketClient(");
    }

    @Test
    void theWebSocketChannelsConnectWhereTheirRoutesSay() throws IOException {
        String markets = Files.readString(ROUTES.resolve("markets.camel.yaml"));
        String fills = Files.readString(ROUTES.resolve("fills.camel.yaml"));
        String relay = Files.readString(ROUTES.resolve("relay.camel.yaml"));
        assertThat(markets).contains("start('{{oddsgate.polymarket.ws-url}}/ws/market')");
        assertThat(fills).contains("start('{{oddsgate.polymarket.ws-url}}/ws/user')", "start('{{oddsgate.kalshi.ws-url}}')");
        assertThat(relay).contains("'{{oddsgate.polymarket.ws-url}}/ws/market'", "'{{oddsgate.polymarket.ws-url}}/ws/user'");
        for (Path f : javaFiles()) {
            assertThat(Files.readString(f)).as(f + " builds no venue WebSocket address").doesNotContain("wsUrl() +", "\"/ws/");
        }
    }

    private static List<Path> javaFiles() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            // the simulators answer as the venues; they call nothing
            return files.filter(p -> p.toString().endsWith(".java") && !p.startsWith(MAIN.resolve("sim"))).toList();
        }
    }
}
