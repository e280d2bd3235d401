package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.message.Secrets;
import com.oddsgate.kalshi.KalshiAccounts;
import com.oddsgate.kalshi.KalshiRateLimits;
import com.oddsgate.polymarket.protocol.PolymarketAccounts;

/**
 * Two accounts on each venue trading the same market: the default ({@code main}, the single-account
 * settings) and {@code deskb} (a second Polymarket wallet whose API credentials are derived at
 * start-up, a second Kalshi key), named in configuration. Each order is signed, sent and recorded
 * for its account; fills and positions are kept per account; each account has its own rate limits
 * (here: two orders in a burst, no waiting). Its own ledger.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccountsTest extends GatewayTestSupport {

    /** A throwaway test wallet (a well-known development key; never funded anywhere). */
    static final String DESK_B_WALLET = "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a";
    static final String DESK_B_KALSHI_KEY = "desk-b-key-0002";

    @Autowired
    PolymarketAccounts polymarketAccounts;
    @Autowired
    KalshiAccounts kalshiAccounts;

    @DynamicPropertySource
    static void accounts(DynamicPropertyRegistry r) throws NoSuchAlgorithmException {
        ownLedgerAndFolders(r, "accounts");
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kalshiB = g.generateKeyPair();
        kalshi().addKey(DESK_B_KALSHI_KEY, pem("PUBLIC KEY", kalshiB.getPublic().getEncoded()));
        String privatePem = pem("PRIVATE KEY", kalshiB.getPrivate().getEncoded());
        r.add("oddsgate.accounts.polymarket.deskb.private-key", () -> DESK_B_WALLET);
        r.add("oddsgate.accounts.kalshi.deskb.key-id", () -> DESK_B_KALSHI_KEY);
        r.add("oddsgate.accounts.kalshi.deskb.private-key-pem", () -> privatePem);
        // Two orders in a burst per account, then refused at once (no waiting): every tier the venue may name.
        r.add("oddsgate.polymarket.rate-limit.tiers", () -> "standard=0.2:2:80:120,elite=0.2:2:80:120,lowest=0.2:2:80:120,"
                + "top=0.2:2:80:120");
        r.add("oddsgate.polymarket.rate-limit.max-wait", () -> "50ms");
        r.add("oddsgate.risk.refresh", () -> "0s");
        // Kalshi's write bucket must hold a batch (200 tokens); it refills at 1 token a second here.
        r.add("oddsgate.kalshi.rate-limit.tiers", () -> "basic=200:400:1:200");
        r.add("oddsgate.kalshi.rate-limit.max-wait", () -> "50ms");
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der) + "\n-----END "
                + type + "-----\n";
    }

    static String order(String venue, String market, String outcome, String price, String size, String id, String account) {
        return "{\"venue\":\"" + venue + "\",\"market\":\"" + market + "\",\"outcome\":\"" + outcome + "\",\"side\":\"BUY\",\"price\":\""
                + price + "\",\"size\":\"" + size + "\",\"clientOrderId\":\"" + id + "\"" + (account == null ? "" : ",\"account\":\""
                + account + "\"") + "}";
    }

    private BigDecimal position(String venue, String account, String instrument) {
        for (JsonNode p : get("/api/positions?venue=" + venue).json().get("positions")) {
            if (p.get("account").asText().equalsIgnoreCase(account) && p.get("tokenId").asText().equals(instrument)) {
                return new BigDecimal(p.get("size").asText());
            }
        }
        return BigDecimal.ZERO;
    }

    @Test
    @Order(1)
    void riskLimitsHoldPerAccount() {
        assertThat(limits("{\"maxOpenOrders\":1}").status()).isEqualTo(200);
        try {
            Answer main1 = post("/api/orders", order("polymarket", "sim-rain-tomorrow", "YES", "0.10", "5", "acc-r-main-1", null));
            Answer main2 = post("/api/orders", order("polymarket", "sim-rain-tomorrow", "YES", "0.11", "5", "acc-r-main-2", null));
            Answer deskb1 = post("/api/orders", order("polymarket", "sim-rain-tomorrow", "YES", "0.10", "5", "acc-r-deskb-1", "deskb"));
            assertThat(main1.status()).as(main1.body()).isEqualTo(201);
            assertThat(main2.status()).as(main2.body()).isEqualTo(400);
            assertThat(main2.json().get("violations").get(0).get("reason").asText())
                    .contains("max open orders 1 on polymarket for account main: 1 are open already");
            assertThat(deskb1.status()).as("deskb's open orders are its own: " + deskb1.body()).isEqualTo(201);
            // Each is cancelled with its own account's credentials (the venue knows each order under its API key).
            for (String id : new String[] {"acc-r-main-1", "acc-r-deskb-1"}) {
                Answer c = delete("/api/orders/" + orderView("polymarket", id).get("id").asLong());
                assertThat(c.json().get("state").asText()).as(c.body()).isEqualTo("CANCELED");
            }
        } finally {
            limits("{}");
        }
    }

    @Test
    @Order(2)
    void twoAccountsTradingTheSameMarketKeepTheirOwnPositionsAndRateLimits() {
        String mainAddress = polymarketAccounts.byDefault().wallet().address();
        String deskbAddress = polymarketAccounts.of("deskb").wallet().address();
        assertThat(deskbAddress).isNotEqualToIgnoringCase(mainAddress);

        // Polymarket: main's orders until its bucket (two, refilled every 5 s) refuses one; deskb is
        // not held back by main's bucket.
        Answer refused = null;
        for (int i = 1; i <= 4 && refused == null; i++) {
            Answer m = post("/api/orders", order("polymarket", "sim-rain-tomorrow", "YES", "0.50", "5", "acc-p-main-" + i,
                    i == 2 ? "main" : null));
            if (m.status() == 429) {
                refused = m;
            } else {
                assertThat(m.status()).as(m.body()).isEqualTo(201);
            }
        }
        assertThat(refused).as("main's bucket ran out").isNotNull();
        assertThat(refused.json().get("violations").get(0).get("field").asText()).isEqualTo("rate");
        Answer b1 = post("/api/orders", order("polymarket", "sim-rain-tomorrow", "YES", "0.50", "7", "acc-p-deskb-1", "deskb"));
        assertThat(b1.status()).as("deskb has its own bucket: " + b1.body()).isEqualTo(201);
        assertThat(orderView("polymarket", "acc-p-main-1").get("account").asText()).isEqualTo("main");
        assertThat(orderView("polymarket", "acc-p-deskb-1").get("account").asText()).isEqualTo("deskb");
        // Signed by each account's own wallet: the venue holds the shares under each maker.
        assertThat(venue().positionsOf(deskbAddress).values().stream().reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo("7");

        // Kalshi: the same with the two keys (NO for deskb: its position is short YES). main's write
        // bucket holds 19 orders' worth once one is placed: take them, and main's next is refused.
        Answer k1 = post("/api/orders", order("kalshi", "SIM-KX-RAIN", "YES", "0.50", "3", "acc-k-main-1", null));
        assertThat(k1.status()).as(k1.body()).isEqualTo(201);
        for (int i = 0; i < 19; i++) {
            kalshiAccounts.of("main").admit(KalshiRateLimits.CREATE_ITEM);
        }
        Answer k2 = post("/api/orders", order("kalshi", "SIM-KX-RAIN", "YES", "0.50", "3", "acc-k-main-2", null));
        Answer kb = post("/api/orders", order("kalshi", "SIM-KX-RAIN", "NO", "0.70", "4", "acc-k-deskb-1", "deskb"));
        assertThat(k2.status()).as("main's bucket is empty: " + k2.body()).isEqualTo(429);
        assertThat(kb.status()).as("deskb has its own bucket: " + kb.body()).isEqualTo(201);
        assertThat(KalshiFlowTest.venueOrder("acc-k-deskb-1").keyId()).isEqualTo(DESK_B_KALSHI_KEY);
        assertThat(KalshiFlowTest.venueOrder("acc-k-main-1").keyId()).isNotEqualTo(DESK_B_KALSHI_KEY);

        // Fills come back per account, and positions are kept per account.
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            post("/api/fills/sync", "");
            return position("polymarket", deskbAddress, tokenOf("acc-p-deskb-1")).compareTo(BigDecimal.valueOf(7)) == 0
                    && position("kalshi", Secrets.mask(DESK_B_KALSHI_KEY), "SIM-KX-RAIN").compareTo(BigDecimal.valueOf(-4)) == 0
                    && position("polymarket", mainAddress, tokenOf("acc-p-main-1")).compareTo(BigDecimal.valueOf(5)) >= 0;
        });
        JsonNode deskbFills = get("/api/fills?orderId=" + orderView("kalshi", "acc-k-deskb-1").get("id").asLong()).json().get("fills");
        assertThat(deskbFills).isNotEmpty();
        // Kalshi key ids are shown masked.
        deskbFills.forEach(f -> assertThat(f.get("account").asText()).isEqualTo(Secrets.mask(DESK_B_KALSHI_KEY)));
    }

    private String tokenOf(String clientOrderId) {
        return orderView("polymarket", clientOrderId).get("tokenId").asText();
    }

    @Test
    @Order(3)
    void anUnknownAccountIsRefusedAndRecorded() {
        Answer a = post("/api/orders", order("polymarket", "sim-rain-tomorrow", "YES", "0.30", "5", "acc-unknown", "deskz"));
        assertThat(a.status()).as(a.body()).isEqualTo(400);
        assertThat(a.json().get("violations").get(0).get("field").asText()).isEqualTo("account");
        assertThat(a.json().get("violations").get(0).get("reason").asText()).contains("'deskz' is not a Polymarket account", "main",
                "deskb");
        assertThat(a.json().get("state").asText()).isEqualTo("REJECTED");
    }
}
