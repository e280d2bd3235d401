package com.oddsgate.polymarket.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.message.Json;

/**
 * A taker's fill price is what it paid: a trade's own {@code price} is the taker order's limit
 * price (the venue's docs), so a sweep of several levels, or a book better than the limit, is priced
 * from its makers (review: the ledger booked the limit, in the taker's disfavour — a marketable BUY
 * at 0.99 recorded at 0.99 whatever it paid).
 */
class TakerPriceTest {

    private static JsonNode trade(String makers) {
        return Json.tryRead("{\"asset_id\":\"YES-T\",\"price\":\"0.60\",\"size\":\"5\",\"maker_orders\":[" + makers + "]}");
    }

    private static String maker(String asset, String amount, String price) {
        return "{\"asset_id\":\"" + asset + "\",\"matched_amount\":\"" + amount + "\",\"price\":\"" + price + "\"}";
    }

    @Test
    void aSweepOfTwoLevelsIsPricedAtWhatItPaid() {
        JsonNode t = trade(maker("YES-T", "3", "0.55") + "," + maker("YES-T", "2", "0.57"));
        assertThat(PolymarketTrades.takerPrice(t, "YES-T")).isEqualByComparingTo("0.558"); // (1.65 + 1.14) / 5
    }

    @Test
    void aMakerOnTheComplementaryTokenStandsAtOneLessItsPrice() {
        // A BUY of YES against a BUY of NO at 0.42: the taker pays 0.58 a share.
        assertThat(PolymarketTrades.takerPrice(trade(maker("NO-T", "5", "0.42")), "YES-T")).isEqualByComparingTo("0.58");
    }

    @Test
    void withoutReadableMakersTheTradesPrice() {
        assertThat(PolymarketTrades.takerPrice(trade(""), "YES-T")).isEqualByComparingTo("0.60");
        assertThat(PolymarketTrades.takerPrice(trade(maker("YES-T", "5", "")), "YES-T")).isEqualByComparingTo("0.60");
        assertThat(PolymarketTrades.takerPrice(trade(maker("YES-T", "5", "1.5")), "YES-T")).isEqualByComparingTo("0.60");
    }
}
