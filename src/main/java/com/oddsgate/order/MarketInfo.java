package com.oddsgate.order;

import java.math.BigDecimal;

/**
 * What the gateway resolved for a market from the venue: identifiers, outcome tokens and the
 * trading rules the order must meet. For Kalshi the condition id is the ticker and there are no
 * tokens; {@code marketableBuyMinimum} (notional) is null where the venue has none.
 */
public record MarketInfo(
        String venue,
        String slug,
        String conditionId,
        String yesTokenId,
        String noTokenId,
        boolean negRisk,
        BigDecimal tickSize,
        BigDecimal minimumSize,
        BigDecimal marketableBuyMinimum) {

    public String tokenFor(Outcome outcome) {
        return outcome == Outcome.NO ? noTokenId : yesTokenId;
    }

    /** YES/NO for a token of this market, or null when the token is not one of its outcomes. */
    public Outcome outcomeOf(String tokenId) {
        if (tokenId == null) {
            return null;
        }
        if (tokenId.equals(yesTokenId)) {
            return Outcome.YES;
        }
        return tokenId.equals(noTokenId) ? Outcome.NO : null;
    }
}
