package com.oddsgate.kalshi;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import com.oddsgate.order.CanonicalOrder;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.Side;
import com.oddsgate.venue.VenueReads;
import com.oddsgate.venue.Reservations;
import com.oddsgate.venue.RetryableVenueException;

/**
 * Money check before a Kalshi BUY is signed: contracts × price (in the order's own outcome) plus
 * the taker fee, ⌈feeMultiplier × C × P × (1 − P)⌉ to the cent (Kalshi's published formula), must
 * fit the balance ({@code GET /portfolio/balance}, cents). Read at most once per {@code ttl}; BUYs
 * admitted since are reserved locally.
 */
public class KalshiFunds {

    /** One key's balance as last read and what its orders in flight hold of it. */
    private static final class Purse {
        BigDecimal balance;
        Instant readAt = Instant.MIN;
        final Reservations reservations = new Reservations();
    }

    private final KalshiAccounts accounts;
    private final KalshiSettings settings;
    private final VenueReads reads;
    private final Clock clock;
    private final Duration ttl;
    private final BigDecimal feeMultiplier;
    private final Map<String, Purse> purses = new HashMap<>();
    private int instances = 1;

    public KalshiFunds(KalshiAccounts accounts, KalshiSettings settings, VenueReads reads, Clock clock, Duration ttl, BigDecimal feeMultiplier) {
        this.accounts = accounts;
        this.settings = settings;
        this.reads = reads;
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
            purse(accounts.of(ticket)).reservations.release(ticket.getReserved(), ticket.getReservedAgainst());
            ticket.setReserved(null);
        }
    }

    /** {@code instances} gateways now share every key's balance. */
    public synchronized void share(int instances) {
        this.instances = instances;
        purses.values().forEach(p -> p.reservations.share(instances));
    }

    /** The worst-case taker fee for {@code count} contracts at {@code price}, rounded up to the cent. */
    public BigDecimal fee(BigDecimal price, BigDecimal count) {
        return feeMultiplier.multiply(count).multiply(price).multiply(BigDecimal.ONE.subtract(price)).setScale(2, RoundingMode.UP);
    }

    /** The check; what it reserves is noted on the ticket, to be released if the order is not placed. */
    public synchronized OrderTicket reserve(OrderTicket ticket) {
        CanonicalOrder o = ticket.getOrder();
        KalshiAccount account = accounts.of(ticket);
        if (o.side() != Side.BUY || !account.configured()) {
            ticket.setReserved(BigDecimal.ZERO);
            return ticket;
        }
        BigDecimal cost = o.notional().setScale(2, RoundingMode.UP);
        BigDecimal fee = fee(o.price(), o.size());
        BigDecimal needed = cost.add(fee);
        Purse purse = purse(account);
        BigDecimal balance = balance(account);
        if (!purse.reservations.tryReserve(balance, needed)) {
            throw new OrderRejectedException("size", "not enough balance: this BUY needs " + plain(cost) + " + fee " + plain(fee)
                    + " = " + plain(needed) + " USD; Kalshi balance" + (accounts.configuredAccounts().size() > 1 ? " of key "
                    + account.name() : "") + " is " + plain(balance) + " USD" + purse.reservations.explain("USD"));
        }
        ticket.setReserved(needed);
        ticket.setReservedAgainst(purse.reservations.reading());
        return ticket;
    }

    /** A key's balance as Kalshi reports it now (read afresh). */
    public synchronized BigDecimal currentBalance(KalshiAccount account) {
        purse(account).readAt = Instant.MIN;
        return balance(account);
    }

    /** The venue refused for balance: read that key's again next time. */
    public synchronized void forget(String account) {
        purse(accounts.of(account)).readAt = Instant.MIN;
    }

    private Purse purse(KalshiAccount account) {
        return purses.computeIfAbsent(account.name(), n -> {
            Purse p = new Purse();
            p.reservations.share(instances);
            return p;
        });
    }

    private BigDecimal balance(KalshiAccount account) {
        Purse purse = purse(account);
        if (purse.balance != null && purse.readAt.plus(ttl).isAfter(clock.instant())) {
            return purse.balance;
        }
        VenueReads.Response r;
        try {
            r = reads.get("kalshi-balance", Map.of(), "", account.signed(settings));
        } catch (RetryableVenueException e) {
            throw new OrderRejectedException("account", "the Kalshi balance cannot be read now (" + e.getMessage()
                    + "): BUY orders are refused until it can", 503);
        }
        if (!r.ok() || r.json() == null || !r.json().has("balance")) {
            throw new OrderRejectedException("account", "Kalshi did not give the balance (HTTP " + r.status() + ")", 503);
        }
        purse.balance = BigDecimal.valueOf(r.json().get("balance").asLong()).movePointLeft(2);
        purse.readAt = clock.instant();
        purse.reservations.reset();
        return purse.balance;
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }
}
