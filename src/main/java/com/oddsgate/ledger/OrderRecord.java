package com.oddsgate.ledger;

import java.math.BigDecimal;
import java.time.Instant;

import com.oddsgate.order.OrderState;

/** An order as the ledger holds it. */
public record OrderRecord(
        long id,
        String clientOrderId,
        String source,
        String venue,
        String market,
        String tokenId,
        String outcome,
        String side,
        BigDecimal price,
        BigDecimal size,
        String type,
        String timeInForce,
        Long expiration,
        boolean postOnly,
        boolean reduceOnly,
        OrderState state,
        String venueOrderId,
        String orderHash,
        String signedPayload,
        String reason,
        Instant createdAt,
        Instant updatedAt,
        BigDecimal filledSize,
        BigDecimal averageFillPrice,
        Long replacesOrderId) {
}
