package com.oddsgate.bench;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.web3j.utils.Numeric;

import com.oddsgate.kalshi.KalshiKey;
import com.oddsgate.kalshi.KalshiSigner;
import com.oddsgate.order.CanonicalOrder;
import com.oddsgate.order.MarketInfo;
import com.oddsgate.order.OrderType;
import com.oddsgate.order.Outcome;
import com.oddsgate.order.Side;
import com.oddsgate.order.TimeInForce;
import com.oddsgate.polymarket.signing.ApiCredentials;
import com.oddsgate.polymarket.signing.EcdsaSigner;
import com.oddsgate.polymarket.signing.Exchanges;
import com.oddsgate.polymarket.signing.JavaEcdsa;
import com.oddsgate.polymarket.signing.NativeEcdsa;
import com.oddsgate.polymarket.signing.RecoverableEcdsa;
import com.oddsgate.polymarket.signing.OrderVersion;
import com.oddsgate.polymarket.signing.PolyOrder;
import com.oddsgate.polymarket.protocol.PolymarketAccount;
import com.oddsgate.polymarket.protocol.PolymarketOrders;
import com.oddsgate.polymarket.protocol.PolymarketSettings;
import com.oddsgate.polymarket.signing.Wallet;

/** The signing hot path, one operation at a time (µs per call, one thread). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SigningBenchmarks {

    Wallet nativeWallet;
    Wallet recoverableWallet;
    PolymarketAccount jniAccount;
    PolymarketOrders jniOrders;
    PolymarketAccount unsignedAccount;
    PolymarketOrders unsignedOrders;
    Wallet javaWallet;
    PolyOrder order;
    String exchange;
    byte[] digest;
    PolymarketOrders orders;
    PolymarketAccount account;
    CanonicalOrder canonical;
    MarketInfo market;
    ApiCredentials creds;
    byte[] body;
    KalshiSigner kalshi;
    long salt;

    @Setup
    public void setup() throws Exception {
        Wallet w = Wallet.fromPrivateKey("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
        nativeWallet = w.with(NativeEcdsa.load());
        recoverableWallet = w.with(RecoverableEcdsa.load());
        javaWallet = w.with(new JavaEcdsa());
        exchange = Exchanges.exchangeFor(OrderVersion.V2, 137, false);
        order = new PolyOrder(OrderVersion.V2, BigInteger.valueOf(479249096354L), w.address(), w.address(), PolyOrder.ZERO_ADDRESS,
                new BigInteger("105682294313117557078598458216806842121027994977630852429513316371145609753027"),
                BigInteger.valueOf(5_000_000), BigInteger.valueOf(10_000_000), BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO,
                Side.BUY, 0, BigInteger.valueOf(1710000000000L), PolyOrder.ZERO_BYTES32, PolyOrder.ZERO_BYTES32);
        digest = order.digest(137, exchange);
        creds = new ApiCredentials("0dd5a7e0-5eed-4c1a-9d2e-00000000de01", "L4qeox9fHaW5J2rDFFzkauTGIGpsd4ePMDyiRevuriA=",
                "dev-passphrase-simulator-only");
        // What the gateway signs with (EcdsaSigners.best(): the recoverable signer), and the JNI binding for comparison.
        account = new PolymarketAccount(recoverableWallet, creds);
        jniAccount = new PolymarketAccount(nativeWallet, creds);
        PolymarketSettings settings = new PolymarketSettings("http://127.0.0.1:8081/clob", "http://127.0.0.1:8081/gamma", 137,
                OrderVersion.V2, 0, "", "", Duration.ofMinutes(5));
        orders = new PolymarketOrders(account, settings, Clock.systemUTC(), null);
        jniOrders = new PolymarketOrders(jniAccount, settings, Clock.systemUTC(), null);
        // Everything but the secp256k1 signature (a signer that answers at once): what is ours to make faster.
        byte[] fixed = Numeric.hexStringToByteArray(recoverableWallet.signDigest(digest));
        unsignedAccount = new PolymarketAccount(w.with(new EcdsaSigner() {
            @Override
            public byte[] sign(byte[] d, byte[] privateKey, byte[] publicKey) {
                return fixed.clone();
            }

            @Override
            public String name() {
                return "fixed";
            }
        }), creds);
        unsignedOrders = new PolymarketOrders(unsignedAccount, settings, Clock.systemUTC(), null);
        market = new MarketInfo("polymarket", "sim-btc-100k", "0xde1719b99c40ac5221cc3378a750506d941d8225925c3a5d78d148f9048b0872",
                "105682294313117557078598458216806842121027994977630852429513316371145609753027", "1", false,
                new BigDecimal("0.01"), new BigDecimal("5"), BigDecimal.ONE);
        canonical = new CanonicalOrder("polymarket", market.conditionId(), market.yesTokenId(), Outcome.YES, Side.BUY,
                new BigDecimal("0.56"), new BigDecimal("21.04"), OrderType.LIMIT, TimeInForce.GTC, null, false, false, "bench");
        body = orders.build(canonical, market, null, null).body().getBytes(StandardCharsets.UTF_8);
        kalshi = new KalshiSigner("sim-dev-key-0001", KalshiKey.privateKey(Files.readString(Path.of("config/sim/kalshi-dev-key.pem"))));
    }

    @Benchmark
    public byte[] eip712Digest() {
        return order.digest(137, exchange);
    }

    @Benchmark
    public String signNative() {
        return nativeWallet.signDigest(digest);
    }

    @Benchmark
    public String signRecoverable() {
        return recoverableWallet.signDigest(digest);
    }

    @Benchmark
    public String signPureJava() {
        return javaWallet.signDigest(digest);
    }

    @Benchmark
    public String signWeb3j() {
        return nativeWallet.signDigestWithWeb3j(digest);
    }

    /** Canonical order → amounts → EIP-712 → signature → JSON body → L2 HMAC headers: the whole request. */
    @Benchmark
    public Object orderToSignedAuthenticatedRequest() {
        return request(orders, account);
    }

    /** Canonical order → signed order and body → the L2 headers over that body. */
    private Object request(PolymarketOrders with, PolymarketAccount as) {
        PolymarketOrders.Signed s = with.build(canonical, market, BigInteger.valueOf(++salt), 1710000000000L);
        return as.l2Headers(1710000000L, "POST", "/order", s.body().getBytes(StandardCharsets.UTF_8));
    }

    /** The same without the signature's own cost: amounts, EIP-712, JSON body, HMAC. */
    @Benchmark
    public Object orderToRequestWithoutTheSignature() {
        return request(unsignedOrders, unsignedAccount);
    }

    /** The {@code POST /order} body alone. */
    @Benchmark
    public String orderBody() {
        return orders.body(account, order, "0x" + "ab".repeat(65), TimeInForce.GTC, false);
    }

    /** The same with the JNI binding's signer (sign, then a recovery for v). */
    @Benchmark
    public Object orderToSignedAuthenticatedRequestJni() {
        return request(jniOrders, jniAccount);
    }

    @Benchmark
    public String l2Hmac() {
        return creds.hmac("1710000000", "POST", "/order", body);
    }

    @Benchmark
    public String kalshiRsaPss() {
        return kalshi.sign(1710000000000L, "POST", "/trade-api/v2/portfolio/events/orders");
    }

}
