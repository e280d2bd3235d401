package com.oddsgate.kalshi;

import java.util.Arrays;
import java.util.List;

import com.oddsgate.order.OrderTicket;
import com.oddsgate.venue.NamedAccounts;

/**
 * The Kalshi API keys the gateway trades with, by name (see {@link NamedAccounts}); a single
 * unconfigured one when Kalshi has no key. Fills and positions are kept per key.
 */
public class KalshiAccounts extends NamedAccounts<KalshiAccount> {

    public KalshiAccounts(List<KalshiAccount> accounts) {
        super("Kalshi", accounts, KalshiAccount::name, a -> Arrays.asList(a.configured() ? a.signer().keyId() : null));
    }

    public static KalshiAccounts of(KalshiAccount account) {
        return new KalshiAccounts(List.of(account));
    }

    /** Whether Kalshi has a key at all. */
    public boolean configured() {
        return all().stream().anyMatch(KalshiAccount::configured);
    }

    /** The configured keys. */
    public List<KalshiAccount> configuredAccounts() {
        return all().stream().filter(KalshiAccount::configured).toList();
    }

    @Override
    protected List<String> names() {
        return configuredAccounts().stream().map(KalshiAccount::name).toList();
    }

    /** The route step: the order names a known key, and from now on names it explicitly. */
    public OrderTicket resolve(OrderTicket ticket) {
        KalshiAccount a = of(ticket.getOrder().account());
        a.signer(); // refuses clearly when Kalshi has no key
        ticket.setOrder(ticket.getOrder().withAccount(a.name()));
        return ticket;
    }
}
