package com.oddsgate.polymarket.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import com.oddsgate.message.Json;

/** The documented taker fee: shares × fd.r × (p(1 − p))^fd.e, rounded up to 6 decimals. */
class TakerFeeTest {

    static BigDecimal fee(String fd, String price, String shares) {
        return TakerFee.of(Json.tryRead(fd)).of(new BigDecimal(price), new BigDecimal(shares));
    }

    @Test
    void theFeeFollowsTheMarketsInputs() {
        assertThat(fee("{\"r\":0.04,\"e\":1}", "0.50", "20")).isEqualByComparingTo("0.2");
        assertThat(fee("{\"r\":0.04,\"e\":2}", "0.50", "20")).isEqualByComparingTo("0.05");
        assertThat(fee("{\"r\":0.04,\"e\":1}", "0.10", "10")).isEqualByComparingTo("0.036");
        assertThat(fee("{\"r\":0.04,\"e\":0.5}", "0.50", "20")).isEqualByComparingTo("0.4");
        assertThat(fee("{\"r\":0.0123,\"e\":1}", "0.37", "3")).as("0.00860139 rounded up to a micro-dollar").isEqualByComparingTo("0.008602");
        assertThat(fee("{\"r\":0,\"e\":0}", "0.50", "20")).isEqualByComparingTo("0");
        assertThat(TakerFee.of(null)).isEqualTo(TakerFee.NONE);
    }

    @Test
    void absurdInputsAreRefused() {
        assertThatThrownBy(() -> fee("{\"r\":\"1e500000000\",\"e\":1}", "0.5", "1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fee("{\"r\":0.04,\"e\":100000}", "0.5", "1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fee("{\"r\":-1,\"e\":1}", "0.5", "1")).isInstanceOf(IllegalArgumentException.class);
    }
}
