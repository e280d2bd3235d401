package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.polymarket.protocol.PolymarketAccounts;
import com.oddsgate.sim.PolymarketSim;

/**
 * The order's account through everything done for it afterwards: a batch of two accounts' orders,
 * an amend, a cancel of everything, and a recovery re-send — each with the account the order was
 * recorded with (the venue holds each order under that account's API key and maker). Its own
 * ledger; the venues' usual rate limits.
 */
class AccountsFlowTest extends GatewayTestSupport {

    @Autowired
    PolymarketAccounts accounts;

    @DynamicPropertySource
    static void accounts(DynamicPropertyRegistry r) {
        ownLedgerAndFolders(r, "accounts-flow");
        r.add("oddsgate.accounts.polymarket.deskb.private-key", () -> AccountsTest.DESK_B_WALLET);
    }

    private PolymarketSim.SimOrder atVenue(String clientOrderId) {
        return venue().orders().get(orderView("polymarket", clientOrderId).get("venueOrderId").asText());
    }

    private String keyOf(String account) {
        return accounts.of(account).credentials().apiKey();
    }

    @Test
    void batchesAmendsCancelsAndRecoveryUseTheOrdersOwnAccount() {
        String deskb = accounts.of("deskb").wallet().address();
        // One batch of two accounts' orders: one venue call per account.
        int batches = venue().batchPostCount();
        Answer batch = post("/api/orders/batch", "[" + AccountsTest.order("polymarket", "sim-rain-tomorrow", "YES", "0.20", "5",
                "af-main-1", null) + "," + AccountsTest.order("polymarket", "sim-rain-tomorrow", "YES", "0.21", "5", "af-deskb-1",
                "deskb") + "]");
        assertThat(batch.status()).as(batch.body()).isIn(200, 201);
        assertThat(venue().batchPostCount() - batches).as("a venue batch per account").isEqualTo(2);
        assertThat(atVenue("af-main-1").owner()).isEqualTo(keyOf("main"));
        assertThat(atVenue("af-deskb-1").owner()).isEqualTo(keyOf("deskb"));
        assertThat(atVenue("af-deskb-1").maker()).isEqualToIgnoringCase(deskb);

        // An amend of deskb's order: the original is cancelled with deskb's key, the replacement is deskb's.
        long original = orderView("polymarket", "af-deskb-1").get("id").asLong();
        Answer amend = patch("/api/orders/" + original, "{\"price\":\"0.22\"}");
        assertThat(amend.status()).as(amend.body()).isIn(200, 201);
        JsonNode replacement = amend.json().get("order");
        assertThat(replacement.get("account").asText()).isEqualTo("deskb");
        assertThat(stateOf(original)).isEqualTo("CANCELED");
        assertThat(venue().orders().get(replacement.get("venueOrderId").asText()).owner()).isEqualTo(keyOf("deskb"));

        // Cancel everything: one cancel-all per account, every order of both cancelled at the venue.
        Answer all = delete("/api/orders?venue=polymarket&all=true");
        assertThat(all.status()).as(all.body()).isEqualTo(200);
        assertThat(atVenue("af-main-1").status()).isEqualTo("CANCELED");
        assertThat(venue().orders().get(replacement.get("venueOrderId").asText()).status()).isEqualTo("CANCELED");
        assertThat(orderView("polymarket", "af-main-1").get("state").asText()).isEqualTo("CANCELED");
        assertThat(stateOf(replacement.get("id").asLong())).isEqualTo("CANCELED");

        // A crash between recording deskb's signed order and sending it: recovery looks it up with deskb's
        // key, finds nothing, and sends the same bytes with deskb's key.
        OrderTicket t = intentRecorded(AccountsTest.order("polymarket", "sim-rain-tomorrow", "YES", "0.19", "5", "af-deskb-crash",
                "deskb"));
        runRecovery();
        assertThat(stateOf(t.getOrderId())).isEqualTo("LIVE");
        assertThat(venue().orders().get(t.getOrderHash()).owner()).isEqualTo(keyOf("deskb"));
        delete("/api/orders/" + t.getOrderId());
        assertThat(stateOf(t.getOrderId())).isEqualTo("CANCELED");
    }
}
