package com.oddsgate.polymarket.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.util.ArrayDeque;
import java.util.Deque;

import org.junit.jupiter.api.Test;

import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.VenueOutcome;

/**
 * A re-send answered "Duplicated": the venue knows the signature. What it holds is looked up once
 * more — another re-send of the same bytes (another gateway instance, a replay) may have placed it
 * between the first lookup and this one — and only when it is still neither open nor traded is it
 * taken as cancelled at the venue.
 */
class PolymarketRecoveryTest {

    static final VenueOutcome DUPLICATED = new VenueOutcome(OrderState.UNKNOWN, "0xabc", "order 0xabc is invalid. duplicated.",
            "{\"error\":\"...Duplicated.\"}");

    /** The recovery with its venue lookups answered from a script. */
    static PolymarketRecovery answering(VenueOutcome... lookups) {
        Deque<VenueOutcome> script = new ArrayDeque<>();
        for (VenueOutcome v : lookups) {
            script.add(v == null ? new VenueOutcome(null, null, null, null) : v);
        }
        return new PolymarketRecovery(null, null, null, null, null, null, null) {
            @Override
            public VenueOutcome lookup(OrderRecord order) {
                VenueOutcome v = script.remove();
                return v.state() == null ? null : v;
            }
        };
    }

    @Test
    void duplicatedWhileAnotherResendPlacedItIsLiveNotCanceled() {
        VenueOutcome live = new VenueOutcome(OrderState.LIVE, "0xabc", "venue status live", "{}");
        VenueOutcome after = answering(live).afterResend(DUPLICATED, mock(OrderRecord.class));
        assertThat(after.state()).isEqualTo(OrderState.LIVE);
    }

    @Test
    void duplicatedAndStillNeitherOpenNorTradedIsCancelledAtTheVenue() {
        VenueOutcome after = answering((VenueOutcome) null).afterResend(DUPLICATED, mock(OrderRecord.class));
        assertThat(after.state()).isEqualTo(OrderState.CANCELED);
        assertThat(after.reason()).contains("cancelled at the venue");
    }

    @Test
    void anyOtherAnswerPassesUnchanged() {
        VenueOutcome placed = new VenueOutcome(OrderState.LIVE, "0xabc", "venue status live", "{}");
        assertThat(answering().afterResend(placed, mock(OrderRecord.class))).isSameAs(placed);
    }

    /**
     * An order the venue once answered "Duplicated" to (it held those bytes), not found now: cancelled
     * there, and not re-sent (the venue, having moved to another order version meanwhile, would refuse
     * the re-send, which must not make the order REJECTED). An order never so answered is re-sent.
     */
    @Test
    void anOrderTheVenueOnceHeldAndNoLongerHoldsIsCancelledNotResent() {
        OrderRecord held = org.mockito.Mockito.mock(OrderRecord.class);
        org.mockito.Mockito.when(held.reason()).thenReturn(new PolymarketAnswers().map(400,
                "{\"error\":\"order 0xabc is invalid. Duplicated.\"}", null).reason());
        org.mockito.Mockito.when(held.orderHash()).thenReturn("0xabc");
        VenueOutcome gone = answering().heldOnce(null, held);
        assertThat(gone.state()).isEqualTo(OrderState.CANCELED);
        assertThat(gone.reason()).contains("cancelled at the venue");

        OrderRecord never = org.mockito.Mockito.mock(OrderRecord.class);
        org.mockito.Mockito.when(never.reason()).thenReturn("answer lost: read timed out");
        assertThat(answering().heldOnce(null, never)).isNull();
        VenueOutcome live = new VenueOutcome(OrderState.LIVE, "0xabc", "venue status live", "{}");
        assertThat(answering().heldOnce(live, held)).isSameAs(live);
    }

    /** The venue's reasons for not cancelling, read for what they say (review: "can't be canceled" is not "canceled"). */
    @Test
    void aReasonSaysTradedCancelledOrNothing() {
        assertThat(PolymarketRecovery.says("order can't be canceled: it is matched")).isEqualTo(PolymarketRecovery.Says.TRADED);
        assertThat(PolymarketRecovery.says("matched orders can't be canceled")).isEqualTo(PolymarketRecovery.Says.TRADED);
        assertThat(PolymarketRecovery.says("order can't be canceled: it is canceled")).isEqualTo(PolymarketRecovery.Says.CANCELLED);
        assertThat(PolymarketRecovery.says("order already cancelled")).isEqualTo(PolymarketRecovery.Says.CANCELLED);
        assertThat(PolymarketRecovery.says("order can't be found - already canceled or matched")).isEqualTo(PolymarketRecovery.Says.NOTHING);
        assertThat(PolymarketRecovery.says("order not found")).isEqualTo(PolymarketRecovery.Says.NOTHING);
        assertThat(PolymarketRecovery.says("its HTTP 200 answer could not be read")).isEqualTo(PolymarketRecovery.Says.NOTHING);
    }
}
