package com.oddsgate.kalshi;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.oddsgate.order.CanonicalOrder;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.Side;
import com.oddsgate.venue.JsonHttp;
import com.oddsgate.venue.Reservations;
import com.oddsgate.venue.RetryableVenueException;

/**
 * Money check before a Kalshi BUY is signed: contracts × price (in the order's own outcome) plus
 * the taker fee, ⌈feeMultiplier × C × P × (1 − P)⌉ to the cent (Kalshi's published formula), must
 * fit the balance ({@code GET /portfolio/balance}, cents). Read at most once per {@code ttl}; BUYs
 * admitted since are reserved locally.
 */
public class KalshiFunds {

    private final KalshiAccount account;
    private final KalshiSettings settings;
    private final JsonHttp http;
    private final Clock clock;
    private final Duration ttl;
    private final BigDecimal feeMultiplier;
    private BigDecimal balance;
    private Instant readAt = Instant.MIN;
    private final Reservations reservations = new Reservations();

    public KalshiFunds(KalshiAccount account, KalshiSettings settings, JsonHttp http, Clock clock, Duration ttl, BigDecimal feeMultiplier) {
        this.account = account;
        this.settings = settings;
        this.http = http;
        this.clock = clock;
        this.ttl = ttl;
        this.feeMultiplier = feeMultiplier;
    }

    /** Refuses a BUY the balance cannot pay for; reserves it, unless it was reserved already (see {@link #reserve}). */
    public OrderTicket check(OrderTicket ticket) {
        return ticket.getReserved() != null ? ticket : reserve(ticket);
    }

    /** Gives back what {@link #reserve} took for an order that is not going to be placed. */
    public synchronized void release(OrderTicket ticket) {
        if (ticket.getReserved() != null) {
            reservations.release(ticket.getReserved());
            ticket.setReserved(null);
        }
    }

    /** {@code instances} gateways now share the account's balance. */
    public void share(int instances) {
        reservations.share(instances);
    }

    /** The worst-case taker fee for {@code count} contracts at {@code price}, rounded up to the cent. */
    public BigDecimal fee(BigDecimal price, BigDecimal count) {
        return feeMultiplier.multiply(count).multiply(price).multiply(BigDecimal.ONE.subtract(price)).setScale(2, RoundingMode.UP);
    }

    /** The check; what it reserves is noted on the ticket, to be released if the order is not placed. */
    public synchronized OrderTicket reserve(OrderTicket ticket) {
        CanonicalOrder o = ticket.getOrder();
        if (o.side() != Side.BUY || !account.configured()) {
            ticket.setReserved(BigDecimal.ZERO);
            return ticket;
        }
        BigDecimal cost = o.notional().setScale(2, RoundingMode.UP);
        BigDecimal fee = fee(o.price(), o.size());
        BigDecimal needed = cost.add(fee);
        if (!reservations.tryReserve(balance(), needed)) {
            throw new OrderRejectedException("size", "not enough balance: this BUY needs " + plain(cost) + " + fee " + plain(fee)
                    + " = " + plain(needed) + " USD; Kalshi balance is " + plain(balance) + " USD" + reservations.explain("USD"));
        }
        ticket.setReserved(needed);
        return ticket;
    }

    /** The balance as Kalshi reports it now (read afresh). */
    public synchronized BigDecimal currentBalance() {
        readAt = Instant.MIN;
        return balance();
    }

    /** The venue refused for balance: read it again next time. */
    public synchronized void forget() {
        readAt = Instant.MIN;
    }

    private BigDecimal balance() {
        if (balance != null && readAt.plus(ttl).isAfter(clock.instant())) {
            return balance;
        }
        String resource = "/portfolio/balance";
        JsonHttp.Response r;
        try {
            r = http.get(settings.url(resource), account.paced("GET", settings.path(resource)));
        } catch (RetryableVenueException e) {
            throw new OrderRejectedException("account", "the Kalshi balance cannot be read now (" + e.getMessage()
                    + "): BUY orders are refused until it can", 503);
        }
        if (!r.ok() || r.json() == null || !r.json().has("balance")) {
            throw new OrderRejectedException("account", "Kalshi did not give the balance (HTTP " + r.status() + ")", 503);
        }
        balance = BigDecimal.valueOf(r.json().get("balance").asLong()).movePointLeft(2);
        readAt = clock.instant();
        reservations.reset();
        return balance;
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }
}
