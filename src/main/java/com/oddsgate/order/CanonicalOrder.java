package com.oddsgate.order;

import java.math.BigDecimal;

/**
 * The one order shape every ingestion path is normalized into. Prices are probabilities in (0, 1)
 * and sizes are shares, both exact decimals. Fields may be null only while the order is being
 * rejected. {@code account} names one of the venue's configured accounts (null: its default).
 */
public record CanonicalOrder(
        String venue,
        String market,
        String tokenId,
        Outcome outcome,
        Side side,
        BigDecimal price,
        BigDecimal size,
        OrderType type,
        TimeInForce timeInForce,
        Long expiration,
        boolean postOnly,
        boolean reduceOnly,
        String clientOrderId,
        String account) {

    /** An order of the venue's default account. */
    public CanonicalOrder(String venue, String market, String tokenId, Outcome outcome, Side side, BigDecimal price, BigDecimal size,
            OrderType type, TimeInForce timeInForce, Long expiration, boolean postOnly, boolean reduceOnly, String clientOrderId) {
        this(venue, market, tokenId, outcome, side, price, size, type, timeInForce, expiration, postOnly, reduceOnly, clientOrderId,
                null);
    }

    public CanonicalOrder withTokenId(String token, Outcome resolvedOutcome) {
        return new CanonicalOrder(venue, market, token, resolvedOutcome, side, price, size, type, timeInForce,
                expiration, postOnly, reduceOnly, clientOrderId, account);
    }

    public CanonicalOrder withMarket(String resolvedMarket) {
        return new CanonicalOrder(venue, resolvedMarket, tokenId, outcome, side, price, size, type, timeInForce,
                expiration, postOnly, reduceOnly, clientOrderId, account);
    }

    /** The same order for the named account (the venue's default resolved). */
    public CanonicalOrder withAccount(String name) {
        return new CanonicalOrder(venue, market, tokenId, outcome, side, price, size, type, timeInForce,
                expiration, postOnly, reduceOnly, clientOrderId, name);
    }

    /** The same order with another size (an amend's replacement shrunk to what was left). */
    public CanonicalOrder withSize(BigDecimal newSize) {
        return new CanonicalOrder(venue, market, tokenId, outcome, side, price, newSize, type, timeInForce,
                expiration, postOnly, reduceOnly, clientOrderId, account);
    }

    /** Price times size: the collateral a BUY commits. */
    public BigDecimal notional() {
        return price == null || size == null ? null : price.multiply(size);
    }
}
