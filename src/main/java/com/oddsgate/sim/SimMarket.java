package com.oddsgate.sim;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A simulated binary market: its rules and, per outcome token, the seeded book of other traders'
 * liquidity (price → size) that marketable orders match against.
 */
final class SimMarket {

    final String slug;
    final String question;
    final String conditionId;
    final boolean negRisk;
    volatile BigDecimal tickSize;
    final BigDecimal minimumSize;
    final String yesToken;
    final String noToken;
    /** When the market ends (Gamma's endDate, ISO 8601), or null when the fixture gives none. */
    volatile String endDate;
    /** token → bids, best (highest) first. */
    final Map<String, TreeMap<BigDecimal, BigDecimal>> bids = new HashMap<>();
    /** token → asks, best (lowest) first. */
    final Map<String, TreeMap<BigDecimal, BigDecimal>> asks = new HashMap<>();

    /** Takes up to {@code wanted} from the best level of a book (both simulators match this way); what it took. */
    static BigDecimal takeBest(TreeMap<BigDecimal, BigDecimal> book, BigDecimal wanted) {
        Map.Entry<BigDecimal, BigDecimal> best = book.firstEntry();
        BigDecimal take = best.getValue().min(wanted);
        if (take.compareTo(best.getValue()) == 0) {
            book.pollFirstEntry();
        } else {
            book.put(best.getKey(), best.getValue().subtract(take));
        }
        return take;
    }

    SimMarket(String slug, String question, String conditionId, boolean negRisk, BigDecimal tickSize,
            BigDecimal minimumSize, String yesToken, String noToken) {
        this.slug = slug;
        this.question = question;
        this.conditionId = conditionId;
        this.negRisk = negRisk;
        this.tickSize = tickSize;
        this.minimumSize = minimumSize;
        this.yesToken = yesToken;
        this.noToken = noToken;
        for (String t : List.of(yesToken, noToken)) {
            bids.put(t, new TreeMap<>(Comparator.reverseOrder()));
            asks.put(t, new TreeMap<>());
        }
    }

    String outcomeOf(String token) {
        return token.equals(yesToken) ? "Yes" : token.equals(noToken) ? "No" : null;
    }
}
