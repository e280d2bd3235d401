package com.oddsgate.venue;

import java.util.List;

import com.oddsgate.ledger.OrderRecord;

/**
 * One venue call: its scope (all, market or ids), the filters, our orders it should cancel, venue
 * order ids resting there that no order of ours carries (placed elsewhere), and the account it is
 * made with (null: the venue's default); every order of a call is of that account.
 */
public record CancelCall(String venue, String scope, String market, String tokenId, List<OrderRecord> orders, String by,
        List<String> foreign, String account) {
    public CancelCall(String venue, String scope, String market, String tokenId, List<OrderRecord> orders, String by) {
        this(venue, scope, market, tokenId, orders, by, List.of(), null);
    }
}
