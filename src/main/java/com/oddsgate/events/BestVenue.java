package com.oddsgate.events;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.order.CanonicalOrder;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.Outcome;
import com.oddsgate.order.Side;

/**
 * {@code "venue": "best"}: a BUY of an event's outcome (in the event's orientation) goes to the venue
 * whose book gives the better price net of taker fees for its size, read now from both books: first
 * the venue that fills more of the size within the limit price, then the lower net price a share.
 * A venue whose market rules refuse the order (tick, minimum, whole contracts), or where a post-only
 * order would cross, is left out. On an inverted pairing the event's YES is bought as Kalshi's NO, at
 * the same price. The comparison is written into the order's history before anything is signed;
 * from then on the order is an ordinary order on that venue. Selling is left to the trader, who
 * knows which venue holds the position.
 */
public class BestVenue {

    /**
     * Whether every venue that could ever take the order was left out for something that passes (a
     * read that failed, heartbeats): the order may be placed later. A venue not configured never could.
     */
    private static boolean passes(List<Quote> quotes) {
        List<Quote> possible = quotes.stream().filter(q -> !q.problem().endsWith(NOT_CONFIGURED)).toList();
        return !possible.isEmpty() && possible.stream().allMatch(q -> q.problem().startsWith("the book") || q.problem().startsWith(NOT_NOW));
    }

    /** The end of a venue's problem when it has no account configured here. */
    public static final String NOT_CONFIGURED = "is not configured";

    /** A venue's problem that passes (a read that failed, heartbeats failing): with every venue so, the order is a 503, not a 400. */
    public static final String NOT_NOW = "it cannot take the order now";


    /** One price level. */
    public record Level(BigDecimal price, BigDecimal size) {
    }

    /** One outcome's book, best first on each side. */
    public record Book(List<Level> bids, List<Level> asks) {
    }

    /** An outcome's book: Polymarket by token, Kalshi by ticker and side (its asks are the other side's bids at 1 − p). */
    public interface Books {
        Book of(String venue, String instrument, Outcome outcome);
    }

    /** The taker fee for {@code size} at {@code price} (Polymarket by condition id, Kalshi by ticker). */
    public interface Fees {
        BigDecimal taker(String venue, String market, BigDecimal price, BigDecimal size);
    }

    /** Whether a venue can take the order now. */
    public interface Venues {
        /** Why the venue cannot take orders now (not configured), or null when it can. */
        String unavailable(String venue);

        /** Why the venue's market rules (tick, minimum, whole contracts, id) refuse this order there, or null. */
        String refuses(CanonicalOrder candidate);
    }

    /** What the order would get at one venue. */
    record Quote(String venue, String market, String instrument, Outcome outcome, BigDecimal filled, BigDecimal cost,
            BigDecimal fee, BigDecimal net, BigDecimal top, String problem) {

        String describe() {
            String what = outcome + " on " + market;
            if (problem != null) {
                return venue + " (" + what + "): " + problem;
            }
            if (filled.signum() == 0) {
                return venue + " (" + what + "): none within the limit" + (top == null ? ", no asks" : ", best ask " + plain(top));
            }
            BigDecimal average = cost.divide(filled, 6, RoundingMode.HALF_EVEN);
            return venue + " (" + what + "): " + plain(filled) + " at " + plain(average) + " + fee " + plain(fee) + " = " + plain(net)
                    + " a share";
        }
    }

    private final EventRegistry registry;
    private final Books books;
    private final Fees fees;
    private final Venues venues;
    private final OrderLedger ledger;

    public BestVenue(EventRegistry registry, Books books, Fees fees, Venues venues, OrderLedger ledger) {
        this.registry = registry;
        this.books = books;
        this.fees = fees;
        this.venues = venues;
        this.ledger = ledger;
    }

    /** Chooses the venue and rewrites the ticket's order for it; a recorded order gets the reason in its history. */
    public OrderTicket choose(OrderTicket ticket) {
        CanonicalOrder o = ticket.getOrder();
        if (o.tokenId() != null) {
            throw new OrderRejectedException("tokenId", "a best-venue order names an event and an outcome, not a token");
        }
        if (o.market() == null) {
            throw new OrderRejectedException("event", "is required with venue best (an id from GET /api/events)");
        }
        if (o.side() != Side.BUY || o.reduceOnly()) {
            // Selling (or reducing) is about a position held at one venue: the trader names that venue.
            throw new OrderRejectedException("side", "a best-venue order buys; to sell or reduce a position, name the venue"
                    + " that holds it");
        }
        if (o.price() == null) {
            throw new OrderRejectedException("price", "a best-venue order needs a limit price to compare the books with");
        }
        EventRegistry.Entry e;
        try {
            e = registry.usable(o.market());
        } catch (OrderRejectedException notUsable) {
            // A pairing not checked yet (a venue could not be read) may pass later: 503, as the risk check answers it;
            // unknown or refused: 400.
            boolean unchecked = registry.all().stream()
                    .anyMatch(x -> x.pair().id().equals(o.market()) && x.status() == EventRegistry.Status.UNVERIFIED);
            throw new OrderRejectedException("event", notUsable.violations().get(0).reason(), unchecked ? 503 : 400);
        }
        Outcome kalshiOutcome = e.pair().orientation() == EventPair.Orientation.SAME ? o.outcome()
                : o.outcome() == Outcome.YES ? Outcome.NO : Outcome.YES;
        List<Quote> quotes = List.of(
                quote(o, "polymarket", e.pair().polymarket(), e.polymarket().conditionId(),
                        o.outcome() == Outcome.NO ? e.polymarket().noTokenId() : e.polymarket().yesTokenId(), o.outcome()),
                quote(o, "kalshi", e.kalshi().market(), e.kalshi().market(), e.kalshi().market(), kalshiOutcome));
        // More of the size filled within the limit first, then the lower price a share with fees; an
        // order nothing fills now rests where the best ask is nearest its limit.
        Comparator<Quote> better = Comparator.comparing((Quote q) -> q.filled()).reversed()
                .thenComparing(q -> q.filled().signum() == 0 ? restingDistance(o, q) : q.net());
        Quote best = quotes.stream().filter(q -> q.problem() == null).sorted(better).findFirst().orElseThrow(
                () -> new OrderRejectedException("venue", "no venue can take this order on event " + e.pair().id() + " now: "
                        + String.join("; ", quotes.stream().map(q -> q.describe()).toList()),
                        passes(quotes) ? 503 : 400));
        List<String> lines = new ArrayList<>();
        lines.add("best venue for " + o.side() + " " + plain(o.size()) + " " + o.outcome() + " of event " + e.pair().id() + " at "
                + plain(o.price()) + (e.pair().orientation() == EventPair.Orientation.INVERTED ? " (inverted pairing)" : "") + ": "
                + best.venue() + (best.filled().signum() == 0 ? " (nothing fills now; it rests where the book is nearest)" : ""));
        quotes.forEach(q -> lines.add(q.describe()));
        String why = String.join("; ", lines);
        CanonicalOrder placed = candidate(o, best.venue(), best.market(), best.outcome());
        if (ticket.getOrderId() != null) {
            ledger.rehome(ticket.getOrderId(), placed, "best-venue", why);
        }
        ticket.setOrder(placed);
        ticket.setChoice(why);
        return ticket;
    }

    /** The order as it would be placed at one venue. */
    private static CanonicalOrder candidate(CanonicalOrder o, String venue, String market, Outcome outcome) {
        return new CanonicalOrder(venue, market, null, outcome, o.side(), o.price(), o.size(), o.type(), o.timeInForce(),
                o.expiration(), o.postOnly(), o.reduceOnly(), o.clientOrderId(), o.account());
    }

    /** For an order nothing fills now: how far its limit is from the best ask (nearer rests better). */
    private static BigDecimal restingDistance(CanonicalOrder o, Quote q) {
        return q.top() == null ? BigDecimal.ONE : q.top().subtract(o.price()).abs();
    }

    private Quote quote(CanonicalOrder o, String venue, String market, String feeMarket, String instrument, Outcome outcome) {
        String down = venues.unavailable(venue);
        if (down == null) {
            down = venues.refuses(candidate(o, venue, market, outcome));
        }
        if (down != null) {
            return new Quote(venue, market, instrument, outcome, BigDecimal.ZERO, null, null, null, null, down);
        }
        try {
            Book book = books.of(venue, instrument, outcome);
            List<Level> asks = book.asks();
            BigDecimal top = asks.isEmpty() ? null : asks.get(0).price();
            if (o.postOnly() && top != null && top.compareTo(o.price()) <= 0) {
                return new Quote(venue, market, instrument, outcome, BigDecimal.ZERO, null, null, null, top,
                        "post-only, and the best ask " + plain(top) + " would cross it");
            }
            BigDecimal left = o.size();
            BigDecimal filled = BigDecimal.ZERO;
            BigDecimal cost = BigDecimal.ZERO;
            BigDecimal fee = BigDecimal.ZERO;
            for (Level l : asks) {
                if (l.price().compareTo(o.price()) > 0 || left.signum() <= 0) {
                    break;
                }
                BigDecimal take = left.min(l.size());
                filled = filled.add(take);
                cost = cost.add(take.multiply(l.price()));
                fee = fee.add(fees.taker(venue, feeMarket, l.price(), take));
                left = left.subtract(take);
            }
            BigDecimal net = filled.signum() == 0 ? null : cost.add(fee).divide(filled, 6, RoundingMode.HALF_EVEN);
            return new Quote(venue, market, instrument, outcome, filled, cost, fee, net, top, null);
        } catch (RuntimeException unreadable) {
            return new Quote(venue, market, instrument, outcome, BigDecimal.ZERO, null, null, null, null,
                    "the book cannot be read now (" + unreadable.getMessage() + ")");
        }
    }

    static String plain(BigDecimal d) {
        return d == null ? "-" : d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }
}
