package com.oddsgate.venue;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderTicket;

/**
 * A venue's accounts by name. An order names its account (none: the default, {@code main} when
 * configured, else the first); everything done for it afterwards uses the account it was recorded
 * with (null in the ledger: the default, as for every order recorded before accounts).
 */
public abstract class NamedAccounts<A> {

    /** The name of the single-account settings' account. */
    public static final String MAIN = "main";

    private final String venue;
    private final Map<String, A> byName = new LinkedHashMap<>();
    private final A first;

    protected NamedAccounts(String venue, List<A> accounts, Function<A, String> name) {
        if (accounts.isEmpty()) {
            throw new IllegalArgumentException("no " + venue + " account is configured");
        }
        this.venue = venue;
        for (A a : accounts) {
            if (byName.putIfAbsent(name.apply(a), a) != null) {
                throw new IllegalArgumentException(venue + " account '" + name.apply(a) + "' is configured twice");
            }
        }
        this.first = byName.getOrDefault(MAIN, accounts.get(0));
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

    /** The account a recorded order was signed with. */
    public A of(OrderRecord r) {
        return of(r.account());
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
