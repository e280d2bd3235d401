package com.oddsgate.ledger;

import java.math.BigDecimal;
import java.time.Instant;

import com.oddsgate.order.OrderState;

/** An order as the ledger holds it; {@code account} null: the venue's default account (orders from before accounts). */
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
        Long replacesOrderId,
        String account) {

    /** A record of the venue's default account. */
    public OrderRecord(long id, String clientOrderId, String source, String venue, String market, String tokenId, String outcome,
            String side, BigDecimal price, BigDecimal size, String type, String timeInForce, Long expiration, boolean postOnly,
            boolean reduceOnly, OrderState state, String venueOrderId, String orderHash, String signedPayload, String reason,
            Instant createdAt, Instant updatedAt, BigDecimal filledSize, BigDecimal averageFillPrice, Long replacesOrderId) {
        this(id, clientOrderId, source, venue, market, tokenId, outcome, side, price, size, type, timeInForce, expiration, postOnly,
                reduceOnly, state, venueOrderId, orderHash, signedPayload, reason, createdAt, updatedAt, filledSize, averageFillPrice,
                replacesOrderId, null);
    }
}
