package com.oddsgate.fills;

import java.math.BigDecimal;
import java.time.Instant;

/** A fill as the ledger holds it: the venue's facts plus how often and from where it arrived. */
public record FillRecord(long id, String venue, String tradeId, int bucketIndex, String venueOrderId, Long orderId,
        String account, String market, String tokenId, String outcome, String side, BigDecimal price, BigDecimal size,
        String role, TradeStatus status, String matchGroup, Instant matchedAt, String firstSource, int deliveries,
        Instant createdAt, Instant updatedAt, BigDecimal fee) {
}
