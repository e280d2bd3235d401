package com.oddsgate.polymarket.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;

import org.junit.jupiter.api.Test;

import com.oddsgate.order.OrderState;
import com.oddsgate.order.Side;
import com.oddsgate.order.VenueOutcome;
import com.oddsgate.venue.RetryableVenueException;

class PolymarketAnswersTest {

    final PolymarketAnswers answers = new PolymarketAnswers();

    @Test
    void placementStatusesBecomeStates() {
        for (String[] c : new String[][] {{"live", "LIVE"}, {"matched", "MATCHED"}, {"delayed", "DELAYED"},
                {"unmatched", "UNMATCHED"}}) {
            VenueOutcome o = answers.map(200, "{\"success\":true,\"errorMsg\":\"\",\"orderID\":\"0x1\",\"status\":\"" + c[0] + "\"}", null);
            assertThat(o.state()).isEqualTo(OrderState.valueOf(c[1]));
            assertThat(o.venueOrderId()).isEqualTo("0x1");
        }
    }

    /**
     * "matched" for part of a GTC/GTD order's size: the rest rests, LIVE (shares are a BUY's
     * takingAmount, a SELL's makingAmount); in full, short by less than 0.01, FOK/FAK, or amounts
     * unreadable: MATCHED. A re-send by recovery is judged by the order as recorded.
     */
    @Test
    void aPartMatchOfARestingOrderLeavesItLive() {
        String sellPart = "{\"success\":true,\"errorMsg\":\"\",\"orderID\":\"0x2\",\"status\":\"matched\",\"makingAmount\":\"4\","
                + "\"takingAmount\":\"2.28\"}";
        VenueOutcome part = PolymarketAnswers.withRestingRest(answers.map(200, sellPart, null), recorded("SELL", "GTC", "10"));
        assertThat(part.state()).isEqualTo(OrderState.LIVE);
        assertThat(part.reason()).contains("matched for 4 of 10 at once");
        assertThat(part.venueOrderId()).isEqualTo("0x2");
        assertThat(PolymarketAnswers.withRestingRest(answers.map(200, sellPart, null), recorded("SELL", "FOK", "10")).state())
                .as("a FOK/FAK never rests").isEqualTo(OrderState.MATCHED);
        assertThat(PolymarketAnswers.withRestingRest(answers.map(200, sellPart, null), recorded("BUY", "GTC", "10")).state())
                .as("a BUY's shares are its takingAmount: 2.28 of 10").isEqualTo(OrderState.LIVE);
        String buyNearlyAll = sellPart.replace("\"takingAmount\":\"2.28\"", "\"takingAmount\":\"9.995\"");
        assertThat(PolymarketAnswers.withRestingRest(answers.map(200, buyNearlyAll, null), recorded("BUY", "GTD", "10")).state())
                .as("short by less than 0.01: matched in full").isEqualTo(OrderState.MATCHED);
        String noAmounts = "{\"success\":true,\"errorMsg\":\"\",\"orderID\":\"0x3\",\"status\":\"matched\"}";
        assertThat(PolymarketAnswers.withRestingRest(answers.map(200, noAmounts, null), recorded("BUY", "GTC", "10")).state())
                .isEqualTo(OrderState.MATCHED);
    }

    private static com.oddsgate.ledger.OrderRecord recorded(String side, String timeInForce, String size) {
        return new com.oddsgate.ledger.OrderRecord(1L, "c-1", "recovery", "polymarket", "m", "t", "YES", side, new BigDecimal("0.57"),
                new BigDecimal(size), "LIMIT", timeInForce, null, false, false, OrderState.UNKNOWN, null, "0x2", "{}", null,
                java.time.Instant.EPOCH, java.time.Instant.EPOCH, BigDecimal.ZERO, null, null);
    }

    @Test
    void venueRefusalsAreFinalWithTheVenuesWords() {
        VenueOutcome o = answers.map(400, "{\"error\":\"not enough balance / allowance\"}", null);
        assertThat(o.state()).isEqualTo(OrderState.REJECTED);
        assertThat(o.reason()).isEqualTo("not enough balance / allowance");
        assertThat(answers.map(401, "{\"error\":\"Unauthorized/Invalid api key\"}", null).reason())
                .startsWith("venue refused authentication (HTTP 401)");
        assertThat(answers.map(200, "{\"success\":false,\"errorMsg\":\"INSERT_ORDER_ERROR\"}", null).state())
                .isEqualTo(OrderState.REJECTED);
    }

    @Test
    void duplicatedMeansTheVenueAlreadyHoldsIt() {
        assertThat(answers.map(400, "{\"error\":\"order 0xab is invalid. Duplicated.\"}", null).state()).isEqualTo(OrderState.UNKNOWN);
    }

    @Test
    void transportTroubleIsRetryableAndHonoursRetryAfter() {
        for (int status : new int[] {425, 429, 500, 502, 503}) {
            assertThatThrownBy(() -> answers.map(status, "", "7")).isInstanceOfSatisfying(RetryableVenueException.class,
                    e -> assertThat(e.retryAfterMillis()).isEqualTo(7000L));
        }
    }

    @Test
    void marketableAmountsRespectTheVenuePrecision() {
        Amounts.Raw buy = Amounts.marketable(Side.BUY, new BigDecimal("0.57"), new BigDecimal("3.33"), new BigDecimal("0.01"));
        assertThat(buy.makerAmount()).isEqualTo(new BigInteger("1890000"));   // $1.89: 2 decimals
        assertThat(buy.takerAmount()).isEqualTo(new BigInteger("3315700"));   // 3.3157 shares: 4 decimals
        Amounts.Raw sell = Amounts.marketable(Side.SELL, new BigDecimal("0.016"), new BigDecimal("100"), new BigDecimal("0.001"));
        assertThat(sell.makerAmount()).isEqualTo(new BigInteger("100000000"));
        assertThat(sell.takerAmount()).isEqualTo(new BigInteger("1600000"));
        // The classic float trap: 0.18 × 10 must be exactly 1.8.
        assertThat(Amounts.limit(Side.BUY, new BigDecimal("0.18"), BigDecimal.TEN, new BigDecimal("0.01")).makerAmount())
                .isEqualTo(new BigInteger("1800000"));
    }
}
