package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.oddsgate.kalshi.KalshiKey;
import com.oddsgate.kalshi.KalshiSigner;

/** The browser relay: transparent for the venues' own calls, closed to everything else. */
class RelayTest extends GatewayTestSupport {

    static final String ALLOWED = "http://localhost:5173";

    HttpRequest.Builder relay(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    }

    @Test
    void polymarketCallsPassWithBodyAndPolyHeadersButNotTheBrowsersOwn() {
        Answer a = send(relay("/poly/book?token_id=105682294313117557078598458216806842121027994977630852429513316371145609753027")
                .header("Origin", ALLOWED).header("Referer", "http://localhost:5173/dash").header("Cookie", "session=1")
                .header("POLY_ADDRESS", "0xabc"));
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().get("min_order_size").asText()).isEqualTo("5");
        var seen = SIM.lastRequest();
        assertThat(seen.path()).isEqualTo("/book");
        assertThat(seen.query()).containsKey("token_id");
        assertThat(seen.headers()).containsEntry("poly_address", "0xabc")
                .doesNotContainKeys("origin", "referer", "cookie", "authorization");
    }

    @Test
    void refusedRequestsNeverReachTheUpstream() throws Exception {
        int before = SIM.requestCount();
        assertThat(send(relay("/poly/admin")).status()).as("outside the allow-list").isEqualTo(404);
        assertThat(send(relay("/poly/http://evil.example/time")).status()).as("another host").isEqualTo(400);
        assertThat(rawStatus("GET /poly/data/../admin HTTP/1.1")).as("traversal").isIn(400, 404);
        assertThat(rawStatus("GET /poly/data/%2e%2e/%2e%2e/etc/passwd HTTP/1.1")).as("encoded traversal").isEqualTo(400);
        assertThat(rawStatus("GET http://evil.example/poly/admin HTTP/1.1")).as("absolute-form request for another host")
                .isIn(400, 404);
        assertThat(send(relay("/poly/order").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(70_000)))).status()).as("oversized").isEqualTo(413);
        assertThat(send(relay("/poly/order").header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream("x".repeat(70_000).getBytes())))).status())
                .as("chunked: no length to check before reading it whole").isEqualTo(411);
        assertThat(send(relay("/poly/time").header("Origin", "http://evil.example")).status()).as("foreign origin").isEqualTo(403);
        assertThat(SIM.requestCount()).as("the upstream saw none of them").isEqualTo(before);
    }

    @Test
    void hostHeaderTricksStillOnlyReachTheConfiguredUpstream() throws Exception {
        int before = SIM.requestCount();
        assertThat(rawStatus("GET /poly/time HTTP/1.1", "Host: evil.example")).isEqualTo(200);
        assertThat(SIM.requestCount()).isEqualTo(before + 1);
        assertThat(SIM.lastRequest().path()).isEqualTo("/time");
    }

    @Test
    void corsPreflightFromAnAllowedOriginPassesAndFromAnotherFails() {
        Answer ok = send(relay("/poly/order").header("Origin", ALLOWED).header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(ok.status()).isEqualTo(204);
        Answer refused = send(relay("/poly/order").header("Origin", "http://evil.example")
                .header("Access-Control-Request-Method", "POST").method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(refused.status()).isEqualTo(403);
    }

    @Test
    void corsPreflightAllowsEveryPolyHeader() throws Exception {
        var r = HTTP.send(relay("/poly/order").header("Origin", ALLOWED).header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains(ALLOWED);
        assertThat(r.headers().firstValue("Access-Control-Allow-Headers").orElse(""))
                .contains("POLY_ADDRESS", "POLY_SIGNATURE", "POLY_TIMESTAMP", "POLY_NONCE", "POLY_API_KEY", "POLY_PASSPHRASE");
    }

    @Test
    void kalshiBrowserSignedRequestsArriveWithTheirSignatureIntact() throws Exception {
        KalshiSigner browser = new KalshiSigner("sim-dev-key-0001",
                KalshiKey.privateKey(Files.readString(Path.of("config/sim/kalshi-dev-key.pem"))));
        String signedPath = "/trade-api/v2/portfolio/balance";
        HttpRequest.Builder get = relay("/kalshi" + signedPath).header("Origin", ALLOWED);
        browser.headers(System.currentTimeMillis(), "GET", signedPath).forEach(get::header);
        Answer a = send(get);
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.json().has("balance")).isTrue();
        assertThat(SIM.lastRequest().path()).isEqualTo(signedPath);

        // A client that calls /kalshi/portfolio/... still reaches the signed /trade-api/v2 path.
        HttpRequest.Builder shortPath = relay("/kalshi/portfolio/balance");
        browser.headers(System.currentTimeMillis(), "GET", signedPath).forEach(shortPath::header);
        assertThat(send(shortPath).status()).isEqualTo(200);

        String body = "{\"ticker\":\"SIM-KX-RAIN\",\"client_order_id\":\"relay-k-1\",\"side\":\"bid\",\"count\":\"1.00\",\"price\":\"0.10\","
                + "\"time_in_force\":\"good_till_canceled\",\"self_trade_prevention_type\":\"taker_at_cross\"}";
        HttpRequest.Builder post = relay("/kalshi/trade-api/v2/portfolio/events/orders").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        browser.headers(System.currentTimeMillis(), "POST", "/trade-api/v2/portfolio/events/orders").forEach(post::header);
        Answer placed = send(post);
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        assertThat(kalshi().orders().stream().filter(o -> o.clientOrderId().equals("relay-k-1"))).hasSize(1);
    }

    @Test
    void aClientOverItsRateIsToldToWait() throws Exception {
        // 100 at once from one client: beyond the burst of 40, at 20 requests/s.
        List<java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            calls.add(HTTP.sendAsync(relay("/kalshi/trade-api/v2/markets/SIM-KX-RAIN").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()));
        }
        List<java.net.http.HttpResponse<String>> answers = new java.util.ArrayList<>();
        for (var c : calls) {
            answers.add(c.get(30, TimeUnit.SECONDS));
        }
        var limited = answers.stream().filter(r -> r.statusCode() == 429).toList();
        assertThat(limited).isNotEmpty();
        assertThat(limited.get(0).headers().firstValue("Retry-After")).contains("1");
        assertThat(answers.stream().filter(r -> r.statusCode() == 200).count()).isGreaterThanOrEqualTo(40);
        Thread.sleep(2500); // let the bucket refill for the other tests from this address
    }

    @Test
    void unreachableUpstreamIsA502() throws Exception {
        SIM.stop();
        try {
            assertThat(send(relay("/poly/time")).status()).isEqualTo(502);
        } finally {
            SIM.start();
        }
    }

    @Test
    void theOfficialClobClientWorksThroughTheRelay() throws Exception {
        Path dir = Path.of("target/relay-client");
        Files.createDirectories(dir);
        for (String f : List.of("package.json", "package-lock.json", ".npmrc", "client-test.mjs")) {
            Files.copy(Path.of("src/test/relay-client", f), dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertThat(run(dir, 60, "node", "--version")).as("node is required for this test (CI must have it)").isZero();
        if (!Files.isDirectory(dir.resolve("node_modules/@polymarket/clob-client-v2"))) {
            assertThat(run(dir, 300, "npm", "ci", "--no-audit", "--no-fund")).as("npm ci of the official client").isZero();
        }
        String key = "0x" + "5a".repeat(32);
        int before = venue().orders().size();
        int exit = run(dir, 120, "node", "client-test.mjs", "http://127.0.0.1:" + port + "/poly", key,
                "105682294313117557078598458216806842121027994977630852429513316371145609753027");
        assertThat(exit).as("official client through the relay (output above)").isZero();
        assertThat(venue().orders().size()).isEqualTo(before + 1);
        assertThat(venue().orders().values().stream().filter(o -> o.status().equals("CANCELED")
                && o.signer().equalsIgnoreCase(com.oddsgate.polymarket.signing.Wallet.fromPrivateKey(key).address()))).hasSize(1);
    }

    private static int run(Path dir, int seconds, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            System.out.println(out);
            return -1;
        }
        System.out.println(String.join(" ", command) + " →\n" + out);
        return p.exitValue();
    }

    /** Sends a request line exactly as written (no client-side normalization) and returns the status. */
    private int rawStatus(String requestLine, String... headers) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            StringBuilder req = new StringBuilder(requestLine).append("\r\n");
            boolean host = false;
            for (String h : headers) {
                req.append(h).append("\r\n");
                host |= h.toLowerCase().startsWith("host:");
            }
            if (!host) {
                req.append("Host: 127.0.0.1:").append(port).append("\r\n");
            }
            req.append("Connection: close\r\n\r\n");
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }
}
