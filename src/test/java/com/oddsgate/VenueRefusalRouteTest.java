package com.oddsgate;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPairGenerator;

import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;

import com.oddsgate.kalshi.KalshiAccount;
import com.oddsgate.kalshi.KalshiSigner;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.polymarket.signing.Exchanges;
import com.oddsgate.polymarket.signing.OrderVersion;
import com.oddsgate.polymarket.signing.PolyOrder;
import com.oddsgate.polymarket.protocol.PolymarketAccount;

/**
 * Orders spoiled right after a route's signing step (advised by id) reach the venue, which refuses
 * them; the ledger records REJECTED with the venue's reason and its raw answer.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class VenueRefusalRouteTest extends GatewayTestSupport {

    @Autowired
    PolymarketAccount account;

    @BeforeEach
    void spoilSignatures() throws Exception {
        if (camel.getRoute("polymarket-prepare").getProperties().containsKey("advised")) {
            return;
        }
        AdviceWith.adviceWith(camel, "polymarket-prepare", a -> a.weaveById("sign-order").after().process(ex -> {
            OrderTicket t = ex.getIn().getBody(OrderTicket.class);
            String payload = t.getSignedPayload();
            String sig = payload.replaceAll(".*\"signature\":\"(0x[0-9a-f]+)\".*", "$1");
            if (t.getOrder().clientOrderId().startsWith("tampered")) {
                String flipped = sig.substring(0, 20) + (sig.charAt(20) == '0' ? '1' : '0') + sig.substring(21);
                t.setSigned(t.getOrderHash(), payload.replace(sig, flipped));
            } else if (t.getOrder().clientOrderId().startsWith("wrong-exchange")) {
                PolyOrder o = fromBody(payload);
                // A neg-risk market's order signed for the standard exchange: the classic "invalid signature".
                String wrong = account.wallet().signDigest(o.digest(137, Exchanges.exchangeFor(OrderVersion.V2, 137, false)));
                t.setSigned(t.getOrderHash(), payload.replace(sig, wrong));
            }
        }));
        AdviceWith.adviceWith(camel, "kalshi-post", a -> a.weaveById("kalshi-post-sign").after().process(ex -> {
            OrderTicket t = ex.getProperty(com.oddsgate.message.Flow.TICKET, OrderTicket.class);
            String body = t.getSignedPayload();
            String path = "/trade-api/v2/portfolio/events/orders";
            if (body.contains("\"client_order_id\":\"k-wrong-key")) {
                KalshiSigner stranger = new KalshiSigner("sim-dev-key-0001",
                        KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate());
                ex.getIn().getHeaders().putAll(stranger.headers(System.currentTimeMillis(), "POST", path));
            } else if (body.contains("\"client_order_id\":\"k-stale")) {
                long tenMinutesAgo = System.currentTimeMillis() - 600_000;
                ex.getIn().getHeaders().putAll(kalshiAccount.headers(tenMinutesAgo, "POST", path));
            }
        }));
        camel.getRoute("polymarket-prepare").getProperties().put("advised", true);
    }

    @Autowired
    KalshiAccount kalshiAccount;

    @Test
    void kalshiSignatureByAnotherKeyEndsRejectedWithTheVenuesReason() {
        Answer a = post("/api/orders", kalshi("k-wrong-key-1"));
        assertThat(a.status()).isEqualTo(422);
        assertThat(a.json().get("reason").asText()).isEqualTo("venue refused authentication (HTTP 401): authentication_error: invalid signature");
        assertThat(stateOf(a.json().get("id").asLong())).isEqualTo("REJECTED");
    }

    @Test
    void kalshiStaleTimestampEndsRejectedWithTheVenuesReason() {
        Answer a = post("/api/orders", kalshi("k-stale-1"));
        assertThat(a.status()).isEqualTo(422);
        assertThat(a.json().get("reason").asText()).contains("HTTP 401", "timestamp outside the allowed window");
    }

    static String kalshi(String clientOrderId) {
        return "{\"venue\":\"kalshi\",\"market\":\"SIM-KX-RAIN\",\"outcome\":\"YES\",\"side\":\"BUY\",\"price\":\"0.20\","
                + "\"size\":\"2\",\"clientOrderId\":\"" + clientOrderId + "\"}";
    }

    static PolyOrder fromBody(String payload) throws Exception {
        return PolyOrder.fromJson(OrderVersion.V2, com.oddsgate.message.Json.MAPPER.readTree(payload).get("order"));
    }

    @Test
    void tamperedSignatureEndsRejectedInTheLedger() {
        Answer a = post("/api/orders", order("sim-btc-100k", "YES", "BUY", "0.44", "10", "\"clientOrderId\":\"tampered-1\""));
        assertThat(a.status()).isEqualTo(422);
        assertThat(a.json().get("state").asText()).isEqualTo("REJECTED");
        assertThat(a.json().get("reason").asText()).isEqualTo("invalid signature");
        var events = get("/api/orders/" + a.json().get("id").asLong()).json().get("events");
        assertThat(events.findValuesAsText("toState")).containsExactly("RECEIVED", "PENDING_SUBMIT", "REJECTED");
        assertThat(events.get(2).get("venueAnswer").asText()).contains("invalid signature");
    }

    @Test
    void wrongExchangeEndsRejectedInTheLedger() {
        Answer a = post("/api/orders", order("sim-election-a", "YES", "BUY", "0.28", "10",
                "\"clientOrderId\":\"wrong-exchange-1\""));
        assertThat(a.status()).isEqualTo(422);
        assertThat(a.json().get("reason").asText()).isEqualTo("invalid signature");
        assertThat(stateOf(a.json().get("id").asLong())).isEqualTo("REJECTED");
    }

    @Test
    void theSameRouteStillPlacesAnUnspoiledOrder() {
        Answer a = post("/api/orders", order("sim-election-a", "YES", "BUY", "0.28", "10", null));
        assertThat(a.status()).isEqualTo(201);
        assertThat(a.json().get("state").asText()).isEqualTo("LIVE");
    }
}
