package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.message.Json;
import com.oddsgate.polymarket.protocol.PolymarketAccount;

/**
 * A Polymarket account of signature type 3 (POLY_1271, a deposit wallet): the wallet is maker and
 * signer, our EOA signs the ERC-7739 wrapper, and the simulator checks it as the wallet contract
 * would (its own code, not the gateway's). An order for a wallet our EOA does not own is refused.
 */
@TestPropertySource(properties = {"oddsgate.polymarket.signature-type=3",
        "oddsgate.polymarket.funder=" + DepositWalletTest.WALLET})
class DepositWalletTest extends GatewayTestSupport {

    static final String WALLET = "0x8A791620dd6260079BF849Dc5567aDC3F2FdC318";

    @Autowired
    PolymarketAccount account;

    @org.springframework.test.context.DynamicPropertySource
    static void apart(org.springframework.test.context.DynamicPropertyRegistry r) {
        ownLedgerAndFolders(r, "deposit-wallet"); // another signer: its file consumer must not take the others' files
    }

    @Test
    void anOrderFromADepositWalletIsSignedForTheWalletAndRefusedWhenTheWalletIsNotOurs() {
        // The wallet belongs to someone else: the venue's ERC-1271 check fails.
        venue().registerDepositWallet(WALLET, "0x0000000000000000000000000000000000000001");
        Answer refused = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.40", "10", "\"clientOrderId\":\"dw-not-ours\""));
        assertThat(refused.json().get("state").asText()).isEqualTo("REJECTED");
        assertThat(refused.json().get("reason").asText()).contains("signer");

        venue().registerDepositWallet(WALLET, account.wallet().address());
        Answer placed = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.40", "10", "\"clientOrderId\":\"dw-ours\""));
        assertThat(placed.status()).as(placed.body()).isEqualTo(201);
        assertThat(placed.json().get("state").asText()).isEqualTo("LIVE");
        JsonNode sent = Json.tryRead(ledger.find(placed.json().get("id").asLong()).orElseThrow().signedPayload()).get("order");
        assertThat(sent.get("signatureType").asInt()).isEqualTo(3);
        assertThat(sent.get("maker").asText()).isEqualToIgnoringCase(WALLET);
        assertThat(sent.get("signer").asText()).isEqualToIgnoringCase(WALLET);
        // 65-byte signature + domain separator + contents hash + type string + its 2-byte length.
        assertThat(sent.get("signature").asText().length()).isEqualTo(2 + 2 * (65 + 64 + 186 + 2));
        assertThat(venue().orders()).containsKey(placed.json().get("orderHash").asText());
    }
}
