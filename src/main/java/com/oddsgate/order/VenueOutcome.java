package com.oddsgate.order;

/** What a venue's answer means for an order: its new state, the venue's id, why, and the raw answer. */
public record VenueOutcome(OrderState state, String venueOrderId, String reason, String rawAnswer) {
}
