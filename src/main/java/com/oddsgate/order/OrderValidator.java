package com.oddsgate.order;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The trading rules an order must meet before anything is signed: first those that need no market
 * data, then the market's own (tick grid, minimum size, $1 marketable minimum).
 */
public class OrderValidator {

    /**
     * A GTD order's expiration is when the trader wants it off the book; it must lie at least this far
     * ahead. (Polymarket's one-minute security threshold is added by its adapter, not asked of the trader.)
     */
    public static final long GTD_MIN_LEAD_SECONDS = 5;

    /** Unix seconds beyond this (the year 5138) are a timestamp in milliseconds, not a wish to rest for millennia. */
    static final long LATEST_EXPIRATION = 100_000_000_000L;
    private static final Pattern CLIENT_ORDER_ID = Pattern.compile("[-\\w:+=/.]{1,64}");

    /** Venues with a branch in the order router (routes/orders.camel.yaml). */
    static final String SUPPORTED_VENUES = "polymarket, kalshi, best (with an event)";

    private final Clock clock;

    public OrderValidator(Clock clock) {
        this.clock = clock;
    }

    /** Throws when normalization or the market-independent rules found a problem. */
    public void validate(OrderTicket ticket) {
        List<Violation> v = new ArrayList<>(ticket.getViolations());
        CanonicalOrder o = ticket.getOrder();
        if (o != null) {
            if (o.price() != null && (o.price().signum() <= 0 || o.price().compareTo(BigDecimal.ONE) >= 0)) {
                v.add(new Violation("price", "must be between 0 and 1 exclusive, got " + o.price().toPlainString()));
            }
            if (o.size() != null && o.size().stripTrailingZeros().scale() > 2) {
                v.add(new Violation("size", "has at most 2 decimals, got " + o.size().toPlainString()));
            }
            if (o.type() == OrderType.MARKET && !o.timeInForce().marketable()) {
                v.add(new Violation("timeInForce", "a MARKET order is FOK or FAK, got " + o.timeInForce()));
            }
            if (o.postOnly() && o.timeInForce().marketable()) {
                v.add(new Violation("postOnly", "only with GTC or GTD, not " + o.timeInForce()));
            }
            if (o.timeInForce() == TimeInForce.GTD) {
                long earliest = clock.instant().getEpochSecond() + GTD_MIN_LEAD_SECONDS;
                if (o.expiration() == null) {
                    v.add(new Violation("expiration", "is required for GTD (unix seconds)"));
                } else if (o.expiration() < earliest) {
                    v.add(new Violation("expiration", "must be at least now + " + GTD_MIN_LEAD_SECONDS + " s ("
                            + earliest + "), got " + o.expiration()));
                } else if (o.expiration() > LATEST_EXPIRATION) {
                    // Milliseconds (a browser's Date.now()) would rest for thousands of years at the venue.
                    v.add(new Violation("expiration", "is unix seconds; " + o.expiration() + " looks like milliseconds"));
                }
            } else if (o.expiration() != null && o.expiration() != 0) {
                v.add(new Violation("expiration", "only with GTD, not " + o.timeInForce()));
            }
            if (o.reduceOnly() && "polymarket".equals(o.venue())) {
                // Polymarket's order has no such flag: accepted, it would be placed as a plain (opening) order.
                v.add(new Violation("reduceOnly", "Polymarket has no reduce-only orders (Kalshi only)"));
            }
            if (o.clientOrderId() != null && !CLIENT_ORDER_ID.matcher(o.clientOrderId()).matches()) {
                v.add(new Violation("clientOrderId", "1-64 characters of letters, digits and -_:+=/."));
            } else if (o.clientOrderId() != null && o.clientOrderId().indexOf('.') >= 0
                    && ("kalshi".equals(o.venue()) || "best".equals(o.venue()))) {
                // Kalshi's client_order_id is ^[-\w:+=/]{1,64}$: a dot would be signed, sent and refused there.
                v.add(new Violation("clientOrderId", "Kalshi takes letters, digits and -_:+=/ only (no dot)"));
            }
        }
        if (!v.isEmpty()) {
            throw new OrderRejectedException(v);
        }
    }

    /** The content-based router's last branch: no route for this venue. */
    public void unknownVenue(OrderTicket ticket) {
        throw new OrderRejectedException("venue", "unknown venue '" + ticket.getVenue() + "'; supported: " + SUPPORTED_VENUES);
    }

    /** Throws when the order breaks one of the market's rules. */
    public void validateForMarket(OrderTicket ticket) {
        CanonicalOrder o = ticket.getOrder();
        MarketInfo m = ticket.getMarket();
        List<Violation> v = new ArrayList<>();
        BigDecimal tick = m.tickSize();
        BigDecimal maxPrice = BigDecimal.ONE.subtract(tick);
        if (o.price().remainder(tick).signum() != 0) {
            v.add(new Violation("price", o.price().toPlainString() + " is not on the market's tick grid of "
                    + tick.toPlainString()));
        } else if (o.price().compareTo(tick) < 0 || o.price().compareTo(maxPrice) > 0) {
            v.add(new Violation("price", "must be within [" + tick.toPlainString() + ", " + maxPrice.toPlainString()
                    + "], got " + o.price().toPlainString()));
        }
        if (m.minimumSize() != null && o.size().compareTo(m.minimumSize()) < 0) {
            v.add(new Violation("size", o.size().toPlainString() + " is below the market's minimum of "
                    + m.minimumSize().toPlainString()));
        }
        BigDecimal floor = m.marketableBuyMinimum();
        if (floor != null && o.side() == Side.BUY && o.timeInForce().marketable() && o.notional().compareTo(floor) < 0) {
            v.add(new Violation("size", "a marketable BUY needs at least $" + floor.toPlainString() + ", got $"
                    + o.notional().toPlainString()));
        }
        if (!v.isEmpty()) {
            throw new OrderRejectedException(v);
        }
    }
}
