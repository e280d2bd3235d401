package com.oddsgate.polymarket.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Native (one recoverable call, and sign + recover) and pure-Java signing give the same (r, s, v) as each other and as web3j (the oracle) for
 * thousands of random keys and digests, and both reproduce the official vectors.
 */
class EcdsaEquivalenceTest {

    static final int SAMPLES = 3000;

    /** Every signer that loads here, the pure-Java one always (a machine without the native library tests that one). */
    static List<EcdsaSigner> signers() {
        List<EcdsaSigner> out = new ArrayList<>();
        if (nativeAllowed()) {
            try {
                out.add(RecoverableEcdsa.load());
            } catch (Exception | LinkageError unavailable) {
                // not on this machine
            }
            try {
                out.add(NativeEcdsa.load());
            } catch (Exception | LinkageError unavailable) {
                // not on this machine
            }
        }
        out.add(new JavaEcdsa());
        return out;
    }

    static boolean nativeAllowed() {
        return !"false".equalsIgnoreCase(System.getProperty(EcdsaSigners.NATIVE, "true"));
    }

    @Test
    void randomKeysAndDigestsSignIdenticallyEverywhere() throws Exception {
        SecureRandom random = new SecureRandom();
        List<EcdsaSigner> signers = signers();
        int highS = 0;
        for (int i = 0; i < SAMPLES; i++) {
            byte[] key = new byte[32];
            BigInteger d;
            do {
                random.nextBytes(key);
                d = new BigInteger(1, key);
            } while (d.signum() == 0 || d.compareTo(Sign.CURVE_PARAMS.getN()) >= 0);
            byte[] digest = new byte[32];
            random.nextBytes(digest);
            Wallet wallet = Wallet.fromPrivateKey(Numeric.toHexStringNoPrefix(key));
            String oracle = wallet.signDigestWithWeb3j(digest);
            for (EcdsaSigner s : signers) {
                assertThat(wallet.with(s).signDigest(digest)).as(s.name() + " sample " + i).isEqualTo(oracle);
            }
            assertThat(Wallet.recover(digest, oracle)).isEqualTo(wallet.address());
            if (oracle.endsWith("1c")) {
                highS++;
            }
        }
        assertThat(highS).as("both recovery ids occur").isBetween(SAMPLES / 4, SAMPLES * 3 / 4);
    }

    @Test
    void bothReproduceEveryOfficialVector() throws Exception {
        JsonNode v = OfficialVectorsTest.vectors();
        Wallet base = Wallet.fromPrivateKey(v.at("/key/privateKey").asText());
        List<String[]> cases = new ArrayList<>();
        for (JsonNode c : v.get("orders")) {
            cases.add(new String[] {c.get("digest").asText(), c.get("signature").asText()});
        }
        for (JsonNode c : v.at("/clobAuth/cases")) {
            cases.add(new String[] {Numeric.toHexString(ClobAuth.digest(c.get("chainId").asLong(), base.address(),
                    c.get("timestamp").asText(), c.get("nonce").asLong())), c.get("signature").asText()});
        }
        assertThat(cases).hasSize(10);
        for (EcdsaSigner s : signers()) {
            Wallet w = base.with(s);
            for (String[] c : cases) {
                assertThat(w.signDigest(Numeric.hexStringToByteArray(c[0]))).as(s.name()).isEqualTo(c[1]);
            }
        }
    }

    @Test
    void theNativeSignerIsChosenWhereItLoadsAndThePureJavaOneOtherwise() {
        if (signers().size() > 1) {
            assertThat(EcdsaSigners.best().name()).contains("native");
            assertThat(EcdsaSigners.reason()).contains("reproduced the official vector");
        } else {
            assertThat(EcdsaSigners.best()).isInstanceOf(JavaEcdsa.class);
            assertThat(EcdsaSigners.reason()).startsWith("native library unavailable");
        }
    }
}
