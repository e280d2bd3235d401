package com.oddsgate.venue;

import java.util.List;

import com.oddsgate.ledger.OrderRecord;

/**
 * One venue call: its scope (all, market or ids), the filters, our orders it should cancel, and
 * venue order ids resting there that no order of ours carries (placed elsewhere).
 */
public record CancelCall(String venue, String scope, String market, String tokenId, List<OrderRecord> orders, String by,
        List<String> foreign) {
    public CancelCall(String venue, String scope, String market, String tokenId, List<OrderRecord> orders, String by) {
        this(venue, scope, market, tokenId, orders, by, List.of());
    }
}
