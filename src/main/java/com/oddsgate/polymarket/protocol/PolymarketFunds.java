package com.oddsgate.polymarket.protocol;

import com.oddsgate.polymarket.signing.Exchanges;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.order.CanonicalOrder;
import com.oddsgate.order.MarketInfo;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.Side;
import com.oddsgate.venue.VenueReads;
import com.oddsgate.venue.Reservations;
import com.oddsgate.venue.RetryableVenueException;

/**
 * Money checks before a BUY is signed: the market's taker fee rate ({@code GET /fee-rate}) and the
 * account's collateral and allowance for the exchange it signs against ({@code GET /balance-allowance}).
 * Amount + fee must fit; otherwise the order is refused with both figures. The balance is read at
 * most once per {@code balanceTtl}; BUYs admitted since then are reserved against it locally, so a
 * burst cannot overspend a stale figure. Fee: the taker fee of the market's {@code fd} inputs
 * ({@link TakerFee}); a post-only BUY can only make, and makers pay none.
 */
public class PolymarketFunds {

    private record Balance(BigDecimal collateral, Map<String, BigDecimal> allowances, Instant at) {
    }

    /** One account's balance as last read and what its orders in flight hold of it. */
    private static final class Purse {
        Balance balance;
        final Reservations reservations = new Reservations();
    }

    private final PolymarketAccounts accounts;
    private final PolymarketSettings settings;
    private final PolymarketVersions versions;
    private final VenueReads reads;
    private final Clock clock;
    private final Duration balanceTtl;
    private final PolymarketMarkets markets;
    private final Map<String, Purse> purses = new HashMap<>();
    private int instances = 1;

    public PolymarketFunds(PolymarketAccounts accounts, PolymarketSettings settings, PolymarketVersions versions, VenueReads reads,
            Clock clock, Duration balanceTtl, PolymarketMarkets markets) {
        this.markets = markets;
        this.accounts = accounts;
        this.settings = settings;
        this.versions = versions;
        this.reads = reads;
        this.clock = clock;
        this.balanceTtl = balanceTtl;
    }

    /**
     * Refuses a BUY whose amount + fee exceed the collateral or the exchange's allowance; SELLs pass.
     * Reserves it, unless it was reserved already (an amend's replacement, see {@link #reserve}).
     */
    public OrderTicket check(OrderTicket ticket) {
        return ticket.getReserved() != null ? ticket : reserve(ticket);
    }

    /** The same check; what it reserves is noted on the ticket, to be released if the order is not placed. */
    public OrderTicket reserve(OrderTicket ticket) {
        CanonicalOrder o = ticket.getOrder();
        if (o.side() != Side.BUY) {
            ticket.setReserved(BigDecimal.ZERO);
            return ticket;
        }
        MarketInfo m = ticket.getMarket();
        BigDecimal amount = o.notional().setScale(6, RoundingMode.UP);
        BigDecimal fee = o.postOnly() ? BigDecimal.ZERO : markets.takerFee(m.conditionId()).of(o.price(), o.size());
        BigDecimal needed = amount.add(fee);
        String exchange = Exchanges.exchangeFor(versions.current(), settings.chainId(), m.negRisk()).toLowerCase(Locale.ROOT);
        PolymarketAccount account = accounts.of(ticket);
        synchronized (this) {
            Purse purse = purse(account);
            Balance b = balance(account, false, false);
            BigDecimal allowance = b.allowances().getOrDefault(exchange, BigDecimal.ZERO);
            Reservations reservations = purse.reservations;
            if (!reservations.tryReserve(b.collateral().min(allowance), needed)) {
                String what = allowance.compareTo(b.collateral()) < 0
                        ? "allowance for exchange " + exchange + " is " + plain(allowance) + " pUSD (approve more, then GET /api/account?refresh=true)"
                        : "balance is " + plain(b.collateral()) + " pUSD";
                throw new OrderRejectedException("size", "not enough balance" + (accounts.all().size() > 1 ? " in account "
                        + account.name() : "") + ": this BUY needs " + plain(amount) + " + fee " + plain(fee) + " = " + plain(needed)
                        + " pUSD; " + what + reservations.explain("pUSD"));
            }
            ticket.setReserved(needed);
            ticket.setReservedAgainst(reservations.reading());
        }
        return ticket;
    }

    /** Gives back what {@link #reserve} took for an order that is not going to be placed. */
    public synchronized void release(OrderTicket ticket) {
        if (ticket.getReserved() != null) {
            purse(accounts.of(ticket)).reservations.release(ticket.getReserved(), ticket.getReservedAgainst());
            ticket.setReserved(null);
        }
    }

    /** What BUYs sent since the account's balance was last read hold of it. */
    public synchronized BigDecimal reserved(PolymarketAccount account) {
        return purse(account).reservations.reserved();
    }

    /** {@code instances} gateways now share every account's collateral. */
    public synchronized void share(int instances) {
        this.instances = instances;
        purses.values().forEach(p -> p.reservations.share(instances));
    }

    /** Every account's figures are stale: read them again next time. */
    public synchronized void forget() {
        purses.values().forEach(p -> p.balance = null);
        markets.forgetFees();
    }

    /** The venue refused an order for balance or allowance: that account's figures are stale; read them again next time. */
    public synchronized void forget(String account) {
        purse(accounts.of(account)).balance = null;
        markets.forgetFees();
    }

    private Purse purse(PolymarketAccount account) {
        return purses.computeIfAbsent(account.name(), n -> {
            Purse p = new Purse();
            p.reservations.share(instances);
            return p;
        });
    }

    /**
     * An account's collateral and allowances as the venue reports them now; {@code update} asks it to re-read the
     * chain first and drops the fee inputs read so far.
     */
    public synchronized Map<String, Object> describe(PolymarketAccount account, boolean update) {
        if (update) {
            markets.forgetFees();
        }
        Balance b = balance(account, true, update);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("account", account.name());
        out.put("address", account.maker(settings));
        out.put("signatureType", account.signatureType(settings));
        out.put("collateral", plain(b.collateral()));
        Map<String, String> allowances = new LinkedHashMap<>();
        b.allowances().forEach((k, v) -> allowances.put(k, plain(v)));
        out.put("allowances", allowances);
        out.put("orderVersion", versions.current().number());
        out.put("signsAgainst", Exchanges.exchangeFor(versions.current(), settings.chainId(), false));
        return out;
    }

    private Balance balance(PolymarketAccount account, boolean fresh, boolean update) {
        Purse purse = purse(account);
        Balance balance = purse.balance;
        if (!fresh && balance != null && balance.at().plus(balanceTtl).isAfter(clock.instant())) {
            return balance;
        }
        String read = update ? "polymarket-balance-update" : "polymarket-balance";
        String query = "asset_type=COLLATERAL&signature_type=" + account.signatureType(settings);
        VenueReads.Response r;
        try {
            r = reads.get(read, Map.of(), query, account.l2(clock));
        } catch (RetryableVenueException e) {
            throw new OrderRejectedException("account", "the balance cannot be read now (" + e.getMessage()
                    + "): BUY orders are refused until it can", 503);
        }
        JsonNode j = r.json();
        if (!r.ok() || j == null || !j.has("balance")) {
            throw new OrderRejectedException("account", "the venue did not give the balance (HTTP " + r.status() + ")", 503);
        }
        Map<String, BigDecimal> allowances = new LinkedHashMap<>();
        j.path("allowances").fields().forEachRemaining(e -> allowances.put(e.getKey().toLowerCase(Locale.ROOT),
                Amounts.fromUnits(new BigInteger(e.getValue().asText()))));
        balance = new Balance(Amounts.fromUnits(new BigInteger(j.get("balance").asText())), allowances, clock.instant());
        purse.balance = balance;
        purse.reservations.reset();
        return balance;
    }

    private static String plain(BigDecimal d) {
        return d.compareTo(new BigDecimal("1e30")) > 0 ? "unlimited" : d.stripTrailingZeros().toPlainString();
    }
}
