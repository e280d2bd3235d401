package com.oddsgate.fills;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

import com.oddsgate.order.Side;

/**
 * One of our orders' share of one venue trade, as the venue reported it. The identity is
 * (venue, trade id, bucket index, venue order id): one taker trade can fill several of our maker
 * orders, and a trade split over several transactions arrives as several buckets of one match.
 *
 * @param account our identity at the venue (Polymarket funder address, Kalshi key id)
 * @param tokenId the instrument the position is kept in (Polymarket token id, Kalshi ticker)
 * @param outcome the outcome of {@code tokenId} (Kalshi fills are kept on the YES book)
 * @param clientOrderId our clientOrderId when the venue echoes it (Kalshi), else null
 * @param matchGroup what the buckets of one match share (taker order and match time)
 * @param fee        the fee the venue reports for this fill (Kalshi's {@code fee_cost}), null where it reports none
 * @param alias      another id of this fill that another source of the same venue may report it under
 *                   (Kalshi's REST {@code fill_id} where it differs from the {@code trade_id}), else null
 */
public record Fill(String venue, String tradeId, int bucketIndex, String venueOrderId, String clientOrderId,
        String account, String market, String tokenId, String outcome, Side side, BigDecimal price, BigDecimal size,
        String role, TradeStatus status, String matchGroup, Instant matchedAt, BigDecimal fee, String alias) {

    /** A fill known by one id. */
    public Fill(String venue, String tradeId, int bucketIndex, String venueOrderId, String clientOrderId, String account,
            String market, String tokenId, String outcome, Side side, BigDecimal price, BigDecimal size, String role,
            TradeStatus status, String matchGroup, Instant matchedAt, BigDecimal fee) {
        this(venue, tradeId, bucketIndex, venueOrderId, clientOrderId, account, market, tokenId, outcome, side, price, size, role,
                status, matchGroup, matchedAt, fee, null);
    }

    /** A fill whose venue reports no fee with it. */
    public Fill(String venue, String tradeId, int bucketIndex, String venueOrderId, String clientOrderId, String account,
            String market, String tokenId, String outcome, Side side, BigDecimal price, BigDecimal size, String role,
            TradeStatus status, String matchGroup, Instant matchedAt) {
        this(venue, tradeId, bucketIndex, venueOrderId, clientOrderId, account, market, tokenId, outcome, side, price, size, role,
                status, matchGroup, matchedAt, null, null);
    }

    public Fill {
        Objects.requireNonNull(venue, "venue");
        Objects.requireNonNull(tradeId, "trade id");
        Objects.requireNonNull(venueOrderId, "venue order id");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(tokenId, "token id");
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(size, "size");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(matchedAt, "match time");
        if (size.signum() <= 0) {
            throw new IllegalArgumentException("fill size must be positive: " + size.toPlainString());
        }
        if (matchGroup == null) {
            matchGroup = tradeId;
        }
        if (alias != null && alias.equals(tradeId)) {
            alias = null;
        }
    }

    /** The same fill reported with another status (the venue re-sends a trade on every change). */
    public Fill withStatus(TradeStatus next) {
        return new Fill(venue, tradeId, bucketIndex, venueOrderId, clientOrderId, account, market, tokenId, outcome, side,
                price, size, role, next, matchGroup, matchedAt, fee, alias);
    }

    /** The same fill, known by this other id as well. */
    public Fill withAlias(String other) {
        return new Fill(venue, tradeId, bucketIndex, venueOrderId, clientOrderId, account, market, tokenId, outcome, side,
                price, size, role, status, matchGroup, matchedAt, fee, other);
    }

    /** The same fill under the id the ledger already holds it by (its alias, or the trade id an alias stands for). */
    public Fill knownAs(String storedTradeId) {
        return new Fill(venue, storedTradeId, bucketIndex, venueOrderId, clientOrderId, account, market, tokenId, outcome, side,
                price, size, role, status, matchGroup, matchedAt, fee, null);
    }

    public String key() {
        return venue + "/" + tradeId + "/" + bucketIndex + "/" + venueOrderId;
    }
}
