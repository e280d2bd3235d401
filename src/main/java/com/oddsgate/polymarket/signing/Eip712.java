package com.oddsgate.polymarket.signing;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * The few EIP-712 primitives Polymarket needs, encoded by hand: every struct we sign has a fixed
 * shape, so type hashes are computed once and each field is one 32-byte ABI word.
 */
public final class Eip712 {

    static final String DOMAIN_WITH_CONTRACT =
            "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)";
    static final String DOMAIN_WITHOUT_CONTRACT = "EIP712Domain(string name,string version,uint256 chainId)";

    private static final byte[] DOMAIN_WITH_CONTRACT_HASH = typeHash(DOMAIN_WITH_CONTRACT);
    private static final byte[] DOMAIN_WITHOUT_CONTRACT_HASH = typeHash(DOMAIN_WITHOUT_CONTRACT);

    private Eip712() {
    }

    public static byte[] keccak(byte[] data) {
        return Hash.sha3(data);
    }

    public static byte[] typeHash(String type) {
        return keccak(type.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] domainSeparator(String name, String version, long chainId, String verifyingContract) {
        return hashWords(DOMAIN_WITH_CONTRACT_HASH, string(name), string(version),
                uint(BigInteger.valueOf(chainId)), address(verifyingContract));
    }

    public static byte[] domainSeparator(String name, String version, long chainId) {
        return hashWords(DOMAIN_WITHOUT_CONTRACT_HASH, string(name), string(version), uint(BigInteger.valueOf(chainId)));
    }

    /** keccak256(0x19 0x01 ‖ domainSeparator ‖ structHash). */
    public static byte[] digest(byte[] domainSeparator, byte[] structHash) {
        byte[] buf = new byte[66];
        buf[0] = 0x19;
        buf[1] = 0x01;
        System.arraycopy(domainSeparator, 0, buf, 2, 32);
        System.arraycopy(structHash, 0, buf, 34, 32);
        return keccak(buf);
    }

    /** keccak256 of the concatenated 32-byte words. */
    public static byte[] hashWords(byte[]... words) {
        byte[] buf = new byte[words.length * 32];
        for (int i = 0; i < words.length; i++) {
            if (words[i].length != 32) {
                throw new IllegalArgumentException("EIP-712 word " + i + " is " + words[i].length + " bytes, not 32");
            }
            System.arraycopy(words[i], 0, buf, i * 32, 32);
        }
        return keccak(buf);
    }

    public static byte[] uint(BigInteger value) {
        if (value.signum() < 0 || value.bitLength() > 256) {
            throw new IllegalArgumentException("uint256 out of range: " + value);
        }
        return Numeric.toBytesPadded(value, 32);
    }

    public static byte[] uint(long value) {
        return uint(BigInteger.valueOf(value));
    }

    public static byte[] address(String hex) {
        byte[] raw = Numeric.hexStringToByteArray(hex);
        if (raw.length != 20) {
            throw new IllegalArgumentException("address must be 20 bytes: " + hex);
        }
        byte[] word = new byte[32];
        System.arraycopy(raw, 0, word, 12, 20);
        return word;
    }

    public static byte[] bytes32(String hex) {
        byte[] raw = Numeric.hexStringToByteArray(hex);
        if (raw.length != 32) {
            throw new IllegalArgumentException("bytes32 must be 32 bytes: " + hex);
        }
        return raw;
    }

    public static byte[] string(String value) {
        return keccak(value.getBytes(StandardCharsets.UTF_8));
    }
}
