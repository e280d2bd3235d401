package com.oddsgate.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DecimalsTest {

    @Test
    void boundedDecimalsAreReadExactlyAndAbsurdOnesRefused() {
        assertThat(Decimals.parse("0.5600")).isEqualByComparingTo("0.56");
        assertThat(Decimals.parse("-4.00")).isEqualByComparingTo("-4");
        assertThat(Decimals.parse("1.0E-6")).isEqualByComparingTo("0.000001");
        for (String absurd : new String[] {"1e500000000", "1" + "0".repeat(30), "0." + "1".repeat(30), "NaN", "", "0x10", "1,5", null}) {
            assertThatThrownBy(() -> Decimals.parse(absurd)).as(String.valueOf(absurd)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
