package com.oddsgate.polymarket.protocol;

import java.util.Arrays;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.oddsgate.order.OrderTicket;
import com.oddsgate.venue.NamedAccounts;

/** The Polymarket accounts the gateway trades for, by name (see {@link NamedAccounts}). */
public class PolymarketAccounts extends NamedAccounts<PolymarketAccount> {

    private static final Logger LOG = LoggerFactory.getLogger(PolymarketAccounts.class);

    public PolymarketAccounts(List<PolymarketAccount> accounts) {
        this(accounts, null);
    }

    /** @param settings for each account's funder, which must not be another account's too (their books would merge) */
    public PolymarketAccounts(List<PolymarketAccount> accounts, PolymarketSettings settings) {
        super("Polymarket", accounts, PolymarketAccount::name, a -> Arrays.asList(a.wallet().address(), a.apiKeyIfKnown(),
                settings == null ? null : "maker:" + a.maker(settings)));
    }

    /** One account only (tools and tests). */
    public static PolymarketAccounts of(PolymarketAccount account) {
        return new PolymarketAccounts(List.of(account));
    }

    /**
     * Asks for the credentials still to be created or derived (L1), once the venue routes run: an
     * account the venue cannot give them to now stays without, says so, and is asked again when it
     * is next used (its orders fail as if the venue were unreachable; nothing is signed without them).
     * @return how many accounts are still without credentials
     */
    public int deriveCredentials() {
        int without = 0;
        for (PolymarketAccount a : all()) {
            if (a.apiKeyIfKnown() != null) {
                continue;
            }
            try {
                a.credentials();
            } catch (RuntimeException e) {
                without++;
                LOG.error("Polymarket account {}: API credentials cannot be created or derived now ({}); asked again on its next use",
                        a.name(), e.getMessage());
            }
        }
        return without;
    }

    /** The route step: the order names a known account, and from now on names it explicitly. */
    public OrderTicket resolve(OrderTicket ticket) {
        PolymarketAccount a = of(ticket.getOrder().account());
        ticket.setOrder(ticket.getOrder().withAccount(a.name()));
        return ticket;
    }
}
