package com.oddsgate.fills;

import java.math.BigDecimal;

/**
 * Holdings in one instrument, computed from fills that count (not FAILED).
 *
 * @param size shares held: bought minus sold
 * @param unconfirmed the part of {@code size} whose trades are not CONFIRMED yet
 * @param averageBuyPrice volume-weighted price of the buys, null without buys
 */
public record Position(String venue, String account, String market, String tokenId, String outcome, BigDecimal size,
        BigDecimal bought, BigDecimal sold, BigDecimal averageBuyPrice, BigDecimal unconfirmed, long fills) {
}
