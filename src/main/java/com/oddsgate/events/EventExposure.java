package com.oddsgate.events;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;

import com.oddsgate.fills.FillQueries;
import com.oddsgate.fills.Position;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.order.CanonicalOrder;

/**
 * The net position in one event across both venues, counted in the event's orientation (its YES is
 * Polymarket's YES): Polymarket YES shares minus NO shares, plus Kalshi's YES contracts (minus them
 * when the pairing is inverted). A YES bought on each side of an inverted pair nets to zero: a hedge.
 * Open orders are shown apart, as what could still be added on each side.
 */
public class EventExposure {

    /** Orders whose unfilled size may still add to a holding: open, or possibly so, or MATCHED lately with its trades not read yet. */
    private static final String OPEN = "(state IN ('PENDING_SUBMIT', 'UNKNOWN', 'LIVE', 'DELAYED', 'PARTIALLY_FILLED')"
            + " OR (state = 'MATCHED' AND updated_at > CURRENT_TIMESTAMP - INTERVAL '10' MINUTE))";

    /** Holdings and open orders in event terms; {@code adding}/{@code taking} are the open orders' unfilled sizes. */
    public record Figures(BigDecimal polymarketYes, BigDecimal polymarketNo, BigDecimal kalshiYes, BigDecimal net,
            BigDecimal openLong, BigDecimal openShort) {
    }

    /**
     * One account's share of an event: its name (the same name on both venues is one book), what its
     * fills carry on each venue (Polymarket funder, Kalshi key id), and whether orders recorded
     * without an account are its ({@code main}'s). Null: every account together.
     */
    public record Scope(String account, String polymarketId, String kalshiId, boolean polymarketDefault, boolean kalshiDefault) {
    }

    private final FillQueries book;
    private final JdbcTemplate jdbc;

    public EventExposure(FillQueries book, JdbcTemplate jdbc) {
        this.book = book;
        this.jdbc = jdbc;
    }

    /** +1 when the order adds to the event's YES, −1 when to its NO; Polymarket per token, Kalshi on the YES book. */
    public static int direction(EventRegistry.Entry e, String venue, String side, String outcome) {
        int d = ("BUY".equals(side) ? 1 : -1) * ("NO".equals(outcome) ? -1 : 1);
        return "kalshi".equals(venue) ? d * e.pair().orientation().kalshiSign() : d;
    }

    /** The order's size in event terms, signed. */
    public static BigDecimal of(EventRegistry.Entry e, CanonicalOrder o) {
        String outcome = o.outcome() == null ? "YES" : o.outcome().name();
        if ("polymarket".equals(o.venue()) && o.tokenId() != null) {
            outcome = o.tokenId().equals(e.polymarket().noTokenId()) ? "NO" : "YES";
        }
        return o.size().multiply(BigDecimal.valueOf(direction(e, o.venue(), o.side().name(), outcome)));
    }

    /** @param leaveOut order ids not to count among the open orders (the order being checked, an amend's original) */
    public Figures figures(EventRegistry.Entry e, long... leaveOut) {
        return figures(e, null, leaveOut);
    }

    /** {@link #figures(EventRegistry.Entry, long...)} of one account (null: all). */
    public Figures figures(EventRegistry.Entry e, Scope scope, long... leaveOut) {
        return figures(e, scope, List.of(), leaveOut);
    }

    /**
     * {@link #figures(EventRegistry.Entry, Scope, long...)}, counting as open also the orders in
     * {@code admitted} while they are still RECEIVED (they passed the risk limits and are on their way).
     */
    public Figures figures(EventRegistry.Entry e, Scope scope, List<Long> admitted, long... leaveOut) {
        List<Position> polymarket = book.positions("polymarket", Arrays.asList(e.polymarket().yesTokenId(), e.polymarket().noTokenId())).stream()
                .filter(p -> scope == null || p.account().equalsIgnoreCase(scope.polymarketId())).toList();
        BigDecimal yes = held(polymarket, e.polymarket().yesTokenId());
        BigDecimal no = held(polymarket, e.polymarket().noTokenId());
        BigDecimal kalshi = held(book.positions("kalshi", Collections.singletonList(e.kalshi().market())).stream()
                .filter(p -> scope == null || p.account().equalsIgnoreCase(scope.kalshiId())).toList(), e.kalshi().market());
        BigDecimal net = yes.subtract(no).add(kalshi.multiply(BigDecimal.valueOf(e.pair().orientation().kalshiSign())));
        BigDecimal openLong = BigDecimal.ZERO;
        BigDecimal openShort = BigDecimal.ZERO;
        long a = leaveOut.length > 0 ? leaveOut[0] : -1L;
        long b = leaveOut.length > 1 ? leaveOut[1] : -1L;
        List<Object> args = new ArrayList<>(admitted);
        String counted = admitted.isEmpty() ? OPEN : "(" + OPEN + " OR (state = 'RECEIVED' AND id IN ("
                + String.join(",", Collections.nCopies(admitted.size(), "?")) + ")))";
        args.addAll(List.of(a, b, e.polymarket().yesTokenId(), e.polymarket().noTokenId(), e.kalshi().market()));
        List<Map<String, Object>> open = jdbc.queryForList("SELECT venue, side, outcome, token_id, size, filled_size, account FROM " + OrderLedger.ORDERS
                + " WHERE " + counted + " AND id <> ? AND id <> ? AND ((venue = 'polymarket' AND token_id IN (?, ?))"
                + " OR (venue = 'kalshi' AND market = ?))", args.toArray());
        for (Map<String, Object> o : open) {
            String venue = (String) o.get("venue");
            if (scope != null && !mine(scope, venue, (String) o.get("account"))) {
                continue;
            }
            String outcome = "polymarket".equals(venue) ? (e.polymarket().noTokenId().equals(o.get("token_id")) ? "NO" : "YES")
                    : o.get("outcome") == null ? "YES" : (String) o.get("outcome");
            BigDecimal filled = o.get("filled_size") == null ? BigDecimal.ZERO : (BigDecimal) o.get("filled_size");
            BigDecimal left = ((BigDecimal) o.get("size")).subtract(filled).max(BigDecimal.ZERO);
            if (direction(e, venue, (String) o.get("side"), outcome) > 0) {
                openLong = openLong.add(left);
            } else {
                openShort = openShort.add(left);
            }
        }
        return new Figures(yes, no, kalshi, net, openLong, openShort);
    }

    private static boolean mine(Scope scope, String venue, String account) {
        if (account == null) {
            return "kalshi".equals(venue) ? scope.kalshiDefault() : scope.polymarketDefault();
        }
        return account.equals(scope.account());
    }

    private static BigDecimal held(List<Position> positions, String instrument) {
        return positions.stream().filter(p -> instrument.equals(p.tokenId())).map(Position::size)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** {@code GET /api/events/{id}/exposure}. */
    public Map<String, Object> view(EventRegistry.Entry e) {
        Figures f = figures(e);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("event", e.pair().id());
        v.put("title", e.pair().title());
        v.put("orientation", e.pair().orientation().name().toLowerCase(Locale.ROOT));
        v.put("net", plain(f.net()));
        v.put("direction", f.net().signum() > 0 ? "long YES" : f.net().signum() < 0 ? "long NO" : "flat");
        Map<String, Object> poly = new LinkedHashMap<>();
        poly.put("market", e.pair().polymarket());
        poly.put("yes", plain(f.polymarketYes()));
        poly.put("no", plain(f.polymarketNo()));
        poly.put("eventYes", plain(f.polymarketYes().subtract(f.polymarketNo())));
        Map<String, Object> kalshi = new LinkedHashMap<>();
        kalshi.put("market", e.kalshi().market());
        kalshi.put("yes", plain(f.kalshiYes()));
        kalshi.put("eventYes", plain(f.kalshiYes().multiply(BigDecimal.valueOf(e.pair().orientation().kalshiSign()))));
        v.put("polymarket", poly);
        v.put("kalshi", kalshi);
        Map<String, Object> open = new LinkedHashMap<>();
        open.put("long", plain(f.openLong()));
        open.put("short", plain(f.openShort()));
        open.put("worstLong", plain(f.net().add(f.openLong())));
        open.put("worstShort", plain(f.net().subtract(f.openShort())));
        v.put("openOrders", open);
        return v;
    }

    static String plain(BigDecimal d) {
        return d == null ? null : d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }
}
