package com.oddsgate.polymarket.signing;

import java.math.BigInteger;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * Pure-Java ECDSA (BouncyCastle's curve arithmetic, RFC 6979 nonces). The recovery id comes from
 * R's y-parity, flipped when s is normalized to the low half — one scalar multiplication per
 * signature, instead of recovering public keys until one matches.
 */
public final class JavaEcdsa implements EcdsaSigner {

    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    private static final BigInteger N = CURVE.getN();
    private static final BigInteger HALF_N = N.shiftRight(1);
    private static final ECPoint G = CURVE.getG();
    private static final FixedPointCombMultiplier MULTIPLIER = new FixedPointCombMultiplier();

    @Override
    public byte[] sign(byte[] digest, byte[] privateKey, byte[] publicKey) {
        BigInteger d = new BigInteger(1, privateKey);
        BigInteger e = new BigInteger(1, digest);
        HMacDSAKCalculator nonces = new HMacDSAKCalculator(new SHA256Digest());
        nonces.init(N, d, digest);
        while (true) {
            BigInteger k = nonces.nextK();
            ECPoint r = MULTIPLIER.multiply(G, k).normalize();
            BigInteger rx = r.getAffineXCoord().toBigInteger();
            BigInteger rr = rx.mod(N);
            if (rr.signum() == 0) {
                continue;
            }
            BigInteger s = k.modInverse(N).multiply(e.add(d.multiply(rr))).mod(N);
            if (s.signum() == 0) {
                continue;
            }
            int recId = (r.getAffineYCoord().toBigInteger().testBit(0) ? 1 : 0) | (rx.compareTo(N) >= 0 ? 2 : 0);
            if (s.compareTo(HALF_N) > 0) {
                s = N.subtract(s);
                recId ^= 1;
            }
            byte[] out = new byte[65];
            copy32(rr, out, 0);
            copy32(s, out, 32);
            out[64] = (byte) (27 + recId);
            return out;
        }
    }

    static void copy32(BigInteger v, byte[] out, int offset) {
        byte[] b = v.toByteArray();
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, offset + 32 - len, len);
    }

    @Override
    public String name() {
        return "pure Java (BouncyCastle, RFC 6979, v from R's y-parity)";
    }
}
