package com.oddsgate.polymarket.protocol;

import java.util.Arrays;
import java.util.List;

import com.oddsgate.order.OrderTicket;
import com.oddsgate.venue.NamedAccounts;

/** The Polymarket accounts the gateway trades for, by name (see {@link NamedAccounts}). */
public class PolymarketAccounts extends NamedAccounts<PolymarketAccount> {

    public PolymarketAccounts(List<PolymarketAccount> accounts) {
        this(accounts, null);
    }

    /** @param settings for each account's funder, which must not be another account's too (their books would merge) */
    public PolymarketAccounts(List<PolymarketAccount> accounts, PolymarketSettings settings) {
        super("Polymarket", accounts, PolymarketAccount::name, a -> Arrays.asList(a.wallet().address(), a.credentials().apiKey(),
                settings == null ? null : "maker:" + a.maker(settings)));
    }

    /** One account only (tools and tests). */
    public static PolymarketAccounts of(PolymarketAccount account) {
        return new PolymarketAccounts(List.of(account));
    }

    /** The route step: the order names a known account, and from now on names it explicitly. */
    public OrderTicket resolve(OrderTicket ticket) {
        PolymarketAccount a = of(ticket.getOrder().account());
        ticket.setOrder(ticket.getOrder().withAccount(a.name()));
        return ticket;
    }
}
