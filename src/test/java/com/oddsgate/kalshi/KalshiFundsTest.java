package com.oddsgate.kalshi;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

/** Kalshi's taker fee as the money check reserves it: ⌈multiplier × C × P × (1 − P)⌉ to the cent, exact decimals. */
class KalshiFundsTest {

    final KalshiFunds funds = new KalshiFunds(null, null, null, null, null, new BigDecimal("0.07"));

    @Test
    void theFeeIsRoundedUpToTheCent() {
        assertThat(funds.fee(new BigDecimal("0.50"), new BigDecimal("4"))).isEqualByComparingTo("0.07");    // 0.07 exactly
        assertThat(funds.fee(new BigDecimal("0.45"), new BigDecimal("100"))).isEqualByComparingTo("1.74");  // 1.7325
        assertThat(funds.fee(new BigDecimal("0.01"), BigDecimal.ONE)).isEqualByComparingTo("0.01");         // 0.000693
        assertThat(funds.fee(new BigDecimal("0.99"), new BigDecimal("0.5"))).isEqualByComparingTo("0.01");  // fractional contracts
        assertThat(funds.fee(new BigDecimal("0.30"), new BigDecimal("1000"))).isEqualByComparingTo("14.70"); // 14.7 exactly
        assertThat(funds.fee(new BigDecimal("0.30"), new BigDecimal("1000")).scale()).as("cents").isEqualTo(2);
    }
}
