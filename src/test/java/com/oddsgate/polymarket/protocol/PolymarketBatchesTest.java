package com.oddsgate.polymarket.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.message.Json;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.VenueOutcome;

/** A batch answer's items are tied to the orders they name; positions only where the answer provably keeps them. */
class PolymarketBatchesTest {

    static final List<OrderTicket> BATCH = List.of(ticket("0xAA"), ticket("0xbb"), ticket("0xcc"));

    static OrderTicket ticket(String hash) {
        return OrderTicket.resend(1, hash, "{}", "default");
    }

    static String[] tied(String answer) {
        JsonNode[] items = PolymarketBatches.itemsByOrder(Json.tryRead(answer), BATCH);
        String[] out = new String[items.length];
        for (int i = 0; i < items.length; i++) {
            out[i] = items[i] == null ? null : items[i].path("orderID").asText() + "|" + items[i].path("errorMsg").asText();
        }
        return out;
    }

    @Test
    void anAnswerInTheBatchesOrderTiesARefusalByItsPlace() {
        assertThat(tied("[{\"orderID\":\"0xaa\"},{\"orderID\":\"\",\"errorMsg\":\"no balance\"},{\"orderID\":\"0xCC\"}]"))
                .containsExactly("0xaa|", "|no balance", "0xCC|");
    }

    @Test
    void anAnswerInAnotherOrderTiesEachItemToTheOrderItNames() {
        assertThat(tied("[{\"orderID\":\"0xcc\"},{\"orderID\":\"0xaa\"},{\"orderID\":\"0xbb\"}]")).containsExactly("0xaa|", "0xbb|", "0xcc|");
        // One refusal left over and one order: they belong together.
        assertThat(tied("[{\"orderID\":\"0xcc\"},{\"orderID\":\"\",\"errorMsg\":\"no balance\"},{\"orderID\":\"0xaa\"}]"))
                .containsExactly("0xaa|", "|no balance", "0xcc|");
    }

    @Test
    void aBatchHoldingOneOrderTwiceTiesNothing() {
        List<OrderTicket> twice = List.of(ticket("0xaa"), ticket("0xAA"));
        assertThat(PolymarketBatches.itemsByOrder(Json.tryRead("[{\"orderID\":\"0xaa\"},{\"orderID\":\"0xaa\"}]"), twice))
                .containsOnlyNulls();
    }

    @Test
    void refusalsThatCannotBeToldApartAreTiedToNoOrder() {
        assertThat(tied("[{\"orderID\":\"\",\"errorMsg\":\"one\"},{\"orderID\":\"\",\"errorMsg\":\"two\"},{\"orderID\":\"0xaa\"}]"))
                .containsExactly("0xaa|", null, null);
        // An item naming an order not in this batch says the positions cannot be trusted.
        assertThat(tied("[{\"orderID\":\"0xaa\"},{\"orderID\":\"0xdd\"},{\"orderID\":\"\",\"errorMsg\":\"x\"}]"))
                .containsExactly("0xaa|", null, null);
        // An item naming no order of this batch, one left over refusal: that refusal may be no order's.
        assertThat(tied("[{\"orderID\":\"0xcc\"},{\"orderID\":\"0xdd\"},{\"orderID\":\"\",\"errorMsg\":\"x\"}]"))
                .containsExactly(null, null, "0xcc|");
        // One order named twice: the same.
        assertThat(tied("[{\"orderID\":\"0xcc\"},{\"orderID\":\"0xcc\"},{\"orderID\":\"0xaa\"},{\"orderID\":\"\"}]"))
                .containsExactly("0xaa|", null, "0xcc|");
        // Fewer items than orders: only the named are tied.
        assertThat(tied("[{\"orderID\":\"0xbb\"},{\"orderID\":\"\",\"errorMsg\":\"x\"}]")).containsExactly(null, "0xbb|", null);
    }

    @Test
    void aListAnswerWithAnErrorStatusLeavesTheOrdersItDoesNotNameUnknown() {
        // HTTP 400 with per-order items: 0xaa placed, one refusal that cannot be told whose (the list is short).
        List<VenueOutcome> out = PolymarketBatches.outcomes(new PolymarketAnswers(), 400,
                "[{\"success\":true,\"orderID\":\"0xaa\",\"status\":\"live\",\"errorMsg\":\"\"},"
                        + "{\"success\":false,\"orderID\":\"\",\"errorMsg\":\"not enough balance\"}]", BATCH);
        assertThat(out).extracting(VenueOutcome::state).containsExactly(OrderState.LIVE, OrderState.UNKNOWN, OrderState.UNKNOWN);
        assertThat(out.get(1).venueOrderId()).isEqualTo("0xbb");
        // An error object refuses the whole batch: every order, for its reason.
        assertThat(PolymarketBatches.outcomes(new PolymarketAnswers(), 400, "{\"error\":\"invalid payload\"}", BATCH))
                .extracting(VenueOutcome::state).containsOnly(OrderState.REJECTED);
        // Accepted (2xx) but not tied: UNKNOWN as before.
        assertThat(PolymarketBatches.outcomes(new PolymarketAnswers(), 200, "[{\"orderID\":\"0xdd\"}]", BATCH))
                .extracting(VenueOutcome::state).containsOnly(OrderState.UNKNOWN);
    }
}
