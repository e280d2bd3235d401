package com.oddsgate.venue;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderTicket;

/**
 * A venue's accounts by name. An order names its account (none: the default, {@code main} when
 * configured, else the first by name); everything done for it afterwards uses the account it was
 * recorded with. A recorded order without one is {@code main}'s (orders from before accounts).
 * Two accounts on one identity (wallet, API key, key id) are refused: their orders, fills and
 * heartbeats could not be told apart.
 */
public abstract class NamedAccounts<A> {

    /** The name of the single-account settings' account. */
    public static final String MAIN = "main";

    private final String venue;
    private final Map<String, A> byName = new LinkedHashMap<>();
    private final A first;

    /** @param identities what must differ between two accounts (wallet, API key, key id); null parts are ignored */
    protected NamedAccounts(String venue, List<A> accounts, Function<A, String> name, Function<A, List<String>> identities) {
        if (accounts.isEmpty()) {
            throw new IllegalArgumentException("no " + venue + " account is configured");
        }
        this.venue = venue;
        Map<String, String> seen = new HashMap<>();
        for (A a : accounts) {
            if (byName.putIfAbsent(name.apply(a), a) != null) {
                throw new IllegalArgumentException(venue + " account '" + name.apply(a) + "' is configured twice");
            }
            for (String id : identities.apply(a)) {
                String other = id == null ? null : seen.putIfAbsent(id.toLowerCase(Locale.ROOT), name.apply(a));
                if (other != null) {
                    throw new IllegalArgumentException(venue + " accounts '" + other + "' and '" + name.apply(a)
                            + "' share a wallet or key: one identity, one account");
                }
            }
        }
        // The default: main, else the first by name (the order settings arrive in is not stable).
        this.first = byName.containsKey(MAIN) ? byName.get(MAIN)
                : byName.get(byName.keySet().stream().sorted().findFirst().orElseThrow());
    }

    /** The default account: orders that name none are its. */
    public A byDefault() {
        return first;
    }

    /** The named account; null names the default; an unknown name is a 400 naming the ones there are. */
    public A of(String name) {
        if (name == null) {
            return first;
        }
        A a = byName.get(name);
        if (a == null) {
            throw new OrderRejectedException("account", "'" + name + "' is not a " + venue + " account here (" + String.join(", ",
                    names()) + ")");
        }
        return a;
    }

    /**
     * The account a recorded order was signed with; none recorded: {@code main}, strictly (never
     * another account that happens to be the default now).
     */
    public A of(OrderRecord r) {
        return of(r.account() == null ? MAIN : r.account());
    }

    /** Whether the name is a configured account. */
    public boolean has(String name) {
        return byName.containsKey(name);
    }

    /** The account of the ticket's order (or of a re-send). */
    public A of(OrderTicket t) {
        return of(t.getAccount());
    }

    public Collection<A> all() {
        return byName.values();
    }

    /** The names an order may give. */
    protected List<String> names() {
        return List.copyOf(byName.keySet());
    }
}
