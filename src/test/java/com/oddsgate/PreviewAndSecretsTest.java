package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.polymarket.protocol.PolymarketAccount;
import com.oddsgate.polymarket.signing.Wallet;

/** The preview shows the exact request without sending or recording it; no answer carries a secret. */
class PreviewAndSecretsTest extends GatewayTestSupport {

    @org.springframework.beans.factory.annotation.Autowired
    OrderLedger ledger;

    @Value("${oddsgate.polymarket.dev-account.private-key}")
    String privateKey;
    @Value("${oddsgate.polymarket.dev-account.api-key}")
    String apiKey;
    @Value("${oddsgate.polymarket.dev-account.api-secret}")
    String apiSecret;
    @Value("${oddsgate.polymarket.dev-account.api-passphrase}")
    String passphrase;

    @Test
    void previewIsReproducibleSendsNothingAndRecordsNothing() {
        String body = order("sim-btc-100k", "YES", "BUY", "0.43", "5", "\"salt\":479249096354,\"timestamp\":1710000000000");
        int posts = venue().orderPostCount();
        int orders = jdbc.queryForObject("SELECT COUNT(*) FROM orders", Integer.class);
        Answer a = post("/api/orders/preview", body);
        Answer b = post("/api/orders/preview", body);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).isEqualTo(b.body());
        assertThat(a.json().get("method").asText()).isEqualTo("POST");
        assertThat(a.json().get("url").asText()).isEqualTo(SIM.baseUrl() + "/clob/order");
        assertThat(a.json().at("/headers/POLY_TIMESTAMP").asText()).isEqualTo("1710000000");
        assertThat(a.json().at("/headers/POLY_SIGNATURE").asText()).isNotBlank();
        assertThat(a.json().at("/headers/POLY_API_KEY").asText()).isEqualTo("0dd5****");
        assertThat(a.json().get("body").asText()).contains("\"makerAmount\":\"2150000\"", "\"takerAmount\":\"5000000\"",
                "\"salt\":479249096354", "\"owner\":\"0dd5****\"");
        assertThat(venue().orderPostCount()).isEqualTo(posts);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM orders", Integer.class)).isEqualTo(orders);

        Answer bad = post("/api/orders/preview", order("sim-btc-100k", "YES", "BUY", "0.431", "5", null));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("violations").findValuesAsText("field")).containsExactly("price");
    }

    @Test
    void noAnswerCarriesASecret() {
        List<String> answers = new ArrayList<>();
        answers.add(post("/api/orders/preview", order("sim-btc-100k", "YES", "BUY", "0.43", "5", null)).body());
        Answer placed = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.43", "5", null));
        answers.add(placed.body());
        answers.add(post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.433", "5", null)).body());
        answers.add(post("/api/orders", "{broken").body());
        answers.add(get("/api/orders/" + placed.json().get("id").asLong()).body());
        answers.add(get("/api/orders?limit=500").body());
        answers.add(get("/api/markets/sim-election-a").body());
        // Its answer lost, the order is found at the venue by hash: the venue's order object names our API
        // key as its owner, and what the history keeps of it is shown with the order.
        long id = placed.json().get("id").asLong();
        jdbc.update("UPDATE orders SET state = 'UNKNOWN' WHERE id = ?", id);
        awaitExchangesEnded();
        producer.sendBody("direct:recover-order", ledger.find(id).orElseThrow()); // this order's recovery alone
        Answer recovered = get("/api/orders/" + id);
        assertThat(recovered.json().get("state").asText()).isEqualTo("LIVE");
        assertThat(recovered.json().get("events").findValuesAsText("source")).contains("recovery");
        answers.add(recovered.body());
        answers.add(get("/api/dead-letters").body());
        String hexKey = privateKey.substring(2);
        for (String a : answers) {
            assertThat(a).doesNotContain(hexKey, apiSecret, passphrase, apiKey, TOKEN);
        }
    }

    @Test
    void credentialsNeverPrintThemselves(@org.springframework.beans.factory.annotation.Autowired PolymarketAccount account) {
        String shown = account.toString() + account.credentials() + account.wallet() + Wallet.fromPrivateKey(privateKey);
        assertThat(shown).doesNotContain(privateKey.substring(2), apiSecret, passphrase, apiKey);
    }
}
