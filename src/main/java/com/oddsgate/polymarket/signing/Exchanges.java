package com.oddsgate.polymarket.signing;

/**
 * The exchange contract an order is signed against. A wrong one yields "invalid signature" at the
 * venue, so the choice lives in one place: version, chain and the market's neg-risk flag.
 */
public final class Exchanges {

    public static final long POLYGON = 137;
    public static final long AMOY = 80002;

    private Exchanges() {
    }

    public static String exchangeFor(OrderVersion version, long chainId, boolean negRisk) {
        if (chainId == POLYGON) {
            return switch (version) {
                case V1 -> negRisk ? "0xC5d563A36AE78145C45a50134d48A1215220f80a" : "0x4bFb41d5B3570DeFd03C39a9A4D8dE6Bd8B8982E";
                case V2 -> negRisk ? "0xe2222d279d744050d28e00520010520000310F59" : "0xE111180000d2663C0091e4f400237545B87B996B";
                // V3 has a single exchange; neg-risk markets use it too.
                case V3 -> "0xe3333700cA9d93003F00f0F71f8515005F6c00Aa";
            };
        }
        if (chainId == AMOY) {
            return switch (version) {
                case V1 -> negRisk ? "0xC5d563A36AE78145C45a50134d48A1215220f80a" : "0xdFE02Eb6733538f8Ea35D585af8DE5958AD99E40";
                case V2 -> negRisk ? "0xe2222d279d744050d28e00520010520000310F59" : "0xE111180000d2663C0091e4f400237545B87B996B";
                case V3 -> "0x9fE6e61422AdB6F610d8597F9684b16912D50C3D";
            };
        }
        throw new IllegalArgumentException("no Polymarket exchange known for chain " + chainId);
    }
}
