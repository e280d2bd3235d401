package com.oddsgate.kalshi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import com.oddsgate.message.Json;
import com.oddsgate.order.CanonicalOrder;
import com.oddsgate.order.MarketInfo;
import com.oddsgate.order.OrderType;
import com.oddsgate.order.Outcome;
import com.oddsgate.order.Side;
import com.oddsgate.order.TimeInForce;

class KalshiSigningTest {

    static String devPem() throws Exception {
        return Files.readString(Path.of("config/sim/kalshi-dev-key.pem"));
    }

    @Test
    void pkcs1AndPkcs8PemGiveTheSameKey() throws Exception {
        PrivateKey pkcs1 = KalshiKey.privateKey(devPem());
        String pkcs8 = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs1.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        assertThat(KalshiKey.privateKey(pkcs8).getEncoded()).isEqualTo(pkcs1.getEncoded());
    }

    @Test
    void signatureIsRsaPssSha256Mgf1Salt32OverTimestampMethodAndPathWithoutQuery() throws Exception {
        KalshiSigner signer = new KalshiSigner("key-1", KalshiKey.privateKey(devPem()));
        String sig = signer.sign(1710000000000L, "GET", "/trade-api/v2/portfolio/fills?limit=5");
        byte[] raw = Base64.getDecoder().decode(sig);
        // Verified with the JDK directly, not with our own verify(): the venue's parameters, spelled out.
        Signature jdk = Signature.getInstance("RSASSA-PSS");
        jdk.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        jdk.initVerify(signer.publicKey());
        jdk.update("1710000000000GET/trade-api/v2/portfolio/fills".getBytes());
        assertThat(jdk.verify(raw)).isTrue();
        Signature salt20 = Signature.getInstance("RSASSA-PSS");
        salt20.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 20, 1));
        salt20.initVerify(signer.publicKey());
        salt20.update("1710000000000GET/trade-api/v2/portfolio/fills".getBytes());
        assertThat(salt20.verify(raw)).as("salt length is part of the scheme").isFalse();
        var other = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic();
        assertThat(KalshiSigner.verify(other, sig, 1710000000000L, "GET", "/trade-api/v2/portfolio/fills")).isFalse();
    }

    @Test
    void theFastProviderIsChosenAndItsSignaturesVerifyWithTheJdkAndBack() throws Exception {
        assertThat(RsaPssProviders.name()).startsWith("Amazon Corretto Crypto Provider");
        PrivateKey key = KalshiKey.privateKey(devPem());
        KalshiSigner fast = new KalshiSigner("k", key);
        KalshiSigner jdk = new KalshiSigner("k", key, null);
        String path = "/trade-api/v2/portfolio/events/orders";
        for (int i = 0; i < 50; i++) {
            long ts = 1710000000000L + i;
            assertThat(KalshiSigner.verify(fast.publicKey(), fast.sign(ts, "POST", path), ts, "POST", path)).isTrue();
            // and the JDK's signature verifies under ACCP
            Signature accp = Signature.getInstance("RSASSA-PSS", RsaPssProviders.best());
            accp.setParameter(KalshiSigner.PSS);
            accp.initVerify(fast.publicKey());
            accp.update((ts + "POST" + path).getBytes());
            assertThat(accp.verify(Base64.getDecoder().decode(jdk.sign(ts, "POST", path)))).isTrue();
        }
    }

    @Test
    void badKeysAreNamedNotEchoed() {
        assertThatThrownBy(() -> KalshiKey.privateKey("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----"))
                .hasMessage("Kalshi private key is not a readable RSA key");
        assertThatThrownBy(() -> KalshiKey.privateKey("secret-ish text")).hasMessageContaining("must be PEM")
                .hasMessageNotContaining("secret-ish");
        assertThat(new KalshiSigner("abcdefgh", null).toString()).doesNotContain("efgh");
    }

    static CanonicalOrder order(Side side, Outcome outcome, String price, TimeInForce tif) {
        return new CanonicalOrder("kalshi", "SIM-KX-RAIN", null, outcome, side, new BigDecimal(price), new BigDecimal("10"),
                OrderType.LIMIT, tif, tif == TimeInForce.GTD ? 1900000000L : null, false, false, "c-1");
    }

    @Test
    void everyOutcomeAndSideLandsOnTheRightSideOfTheYesBook() {
        assertThat(KalshiOrders.yesBook(Side.BUY, Outcome.YES, new BigDecimal("0.56"))).isEqualTo(new KalshiOrders.YesBook("bid", new BigDecimal("0.56")));
        assertThat(KalshiOrders.yesBook(Side.SELL, Outcome.YES, new BigDecimal("0.56"))).isEqualTo(new KalshiOrders.YesBook("ask", new BigDecimal("0.56")));
        assertThat(KalshiOrders.yesBook(Side.BUY, Outcome.NO, new BigDecimal("0.40"))).isEqualTo(new KalshiOrders.YesBook("ask", new BigDecimal("0.60")));
        assertThat(KalshiOrders.yesBook(Side.SELL, Outcome.NO, new BigDecimal("0.40"))).isEqualTo(new KalshiOrders.YesBook("bid", new BigDecimal("0.60")));
    }

    @Test
    void orderBodyOnTheYesBookOfTheV2Api() throws Exception {
        MarketInfo m = new MarketInfo("kalshi", "SIM-KX-RAIN", "SIM-KX-RAIN", null, null, false, new BigDecimal("0.01"),
                new BigDecimal("0.01"), null);
        KalshiSettings events = new KalshiSettings("http://h", "/trade-api/v2", "taker_at_cross", Duration.ofMinutes(1));
        var b = Json.MAPPER.readTree(new KalshiOrders(events).body(order(Side.SELL, Outcome.NO, "0.35", TimeInForce.GTD), m));
        assertThat(b.get("side").asText()).isEqualTo("bid");
        assertThat(b.get("price").asText()).isEqualTo("0.65");
        assertThat(b.get("count").asText()).isEqualTo("10.00");
        assertThat(b.get("time_in_force").asText()).isEqualTo("good_till_canceled");
        assertThat(b.get("expiration_time").asLong()).isEqualTo(1900000000L);
        assertThat(b.get("self_trade_prevention_type").asText()).isEqualTo("taker_at_cross");
        assertThat(b.get("client_order_id").asText()).isEqualTo("c-1");
        assertThat(Json.MAPPER.readTree(new KalshiOrders(events).body(order(Side.BUY, Outcome.YES, "0.5", TimeInForce.FAK), m))
                .get("time_in_force").asText()).isEqualTo("immediate_or_cancel");

    }
}
