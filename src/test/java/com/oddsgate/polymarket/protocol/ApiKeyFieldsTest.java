package com.oddsgate.polymarket.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.message.Json;

/** What is kept of a venue answer names no API key, at any depth; the answer itself is left as it came. */
class ApiKeyFieldsTest {

    @Test
    void ownersAndTradeOwnersGoEverywhereElseStays() throws Exception {
        JsonNode trade = Json.MAPPER.readTree("{\"id\":\"t1\",\"owner\":\"key-a\",\"trade_owner\":\"key-b\",\"size\":\"10\","
                + "\"maker_orders\":[{\"order_id\":\"0xff\",\"owner\":\"key-c\",\"matched_amount\":\"10\"}]}");
        JsonNode kept = ApiKeyFields.removed(trade);
        assertThat(kept.toString()).doesNotContain("key-a", "key-b", "key-c").contains("\"size\":\"10\"", "\"matched_amount\":\"10\"",
                "\"order_id\":\"0xff\"");
        assertThat(trade.path("owner").asText()).as("the answer itself untouched").isEqualTo("key-a");
    }
}
