package com.oddsgate.polymarket.signing;

import java.nio.charset.StandardCharsets;

import org.web3j.utils.Numeric;

/**
 * Signature type 3 (POLY_1271, a deposit wallet): the order's maker and signer are the wallet, a
 * contract that checks signatures by ERC-1271. Its owner (our EOA) signs, as ERC-7739 prescribes, a
 * {@code TypedDataSign} that wraps the order: the order's struct hash as {@code contents} plus the
 * wallet's own EIP-712 domain (name "DepositWallet", version "1", the chain, the wallet, salt 0),
 * under the exchange's domain separator. What is sent is that 65-byte signature followed by the
 * exchange's domain separator, the order's struct hash, the order type string and its length (2
 * bytes), so the wallet can rebuild the digest. The order hash (its id at the venue) is unchanged:
 * the EIP-712 digest of the order under the exchange's domain.
 */
public final class DepositWalletSignature {

    public static final int SIGNATURE_TYPE = 3;
    static final String WALLET_NAME = "DepositWallet";
    static final String WALLET_VERSION = "1";
    private static final byte[] ZERO_SALT = new byte[32];

    private DepositWalletSignature() {
    }

    /** The digest the EOA signs for {@code order} (whose maker is the deposit wallet). */
    public static byte[] digest(PolyOrder order, long chainId, String exchange) {
        String type = order.version().type();
        byte[] typedDataSign = Eip712.typeHash("TypedDataSign(Order contents,string name,string version,uint256 chainId,"
                + "address verifyingContract,bytes32 salt)" + type);
        byte[] wrapped = Eip712.hashWords(typedDataSign, order.structHash(), Eip712.string(WALLET_NAME),
                Eip712.string(WALLET_VERSION), Eip712.uint(chainId), Eip712.address(order.maker()), ZERO_SALT);
        return Eip712.digest(PolyOrder.domainSeparator(order.version(), chainId, exchange), wrapped);
    }

    /** The signature field of the order: the EOA's signature of {@link #digest} with what the wallet needs to check it. */
    public static String sign(PolyOrder order, long chainId, String exchange, Wallet eoa) {
        byte[] inner = Numeric.hexStringToByteArray(eoa.signDigest(digest(order, chainId, exchange)));
        byte[] type = order.version().type().getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[inner.length + 64 + type.length + 2];
        System.arraycopy(inner, 0, out, 0, inner.length);
        System.arraycopy(PolyOrder.domainSeparator(order.version(), chainId, exchange), 0, out, inner.length, 32);
        System.arraycopy(order.structHash(), 0, out, inner.length + 32, 32);
        System.arraycopy(type, 0, out, inner.length + 64, type.length);
        out[out.length - 2] = (byte) (type.length >>> 8);
        out[out.length - 1] = (byte) type.length;
        return Numeric.toHexString(out);
    }
}
