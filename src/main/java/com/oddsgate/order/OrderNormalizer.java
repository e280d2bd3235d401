package com.oddsgate.order;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Turns any accepted input shape into a {@link CanonicalOrder}, collecting every problem instead of
 * stopping at the first. Accepted shapes:
 * <ul>
 * <li>canonical: {@code venue, market|tokenId, outcome, side (BUY/SELL), price|priceCents, size,
 * type, timeInForce, expiration, postOnly, clientOrderId}; with {@code venue: best}, {@code event}
 * (a pairing of the event registry) instead of a market;</li>
 * <li>dashboard click-to-trade: {@code venue, tokenId, conditionId, tickSize, negRisk,
 * side (yes/no = outcome), priceCents, contracts, action (buy/sell)}; for Kalshi
 * {@code venue, marketTicker, side, priceCents, contracts, action}.</li>
 * </ul>
 * Numbers arrive as strings or exact decimals; a double never gets this far.
 */
public class OrderNormalizer {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    /** The ledger's columns: price NUMERIC(12, 6), size NUMERIC(24, 6). */
    private static final BigDecimal PRICE_BOUND = BigDecimal.TEN.pow(6);
    private static final BigDecimal SIZE_BOUND = BigDecimal.TEN.pow(18);

    public void normalize(OrderTicket ticket, Map<String, Object> given, String defaultClientOrderId) {
        List<Violation> v = ticket.getViolations();
        Map<String, Object> in = withoutControlCharacters(given, v);
        boolean dashboard = in.containsKey("action") || in.containsKey("contracts");

        String venue = lower(text(in, "venue"));
        if (venue == null) {
            v.add(new Violation("venue", "is required"));
        }

        Side side;
        Outcome outcome;
        if (dashboard) {
            side = parseEnum(Side.class, text(in, "action"), "action", v, true);
            outcome = parseEnum(Outcome.class, text(in, "side"), "side", v, false);
        } else {
            side = parseEnum(Side.class, text(in, "side"), "side", v, true);
            outcome = parseEnum(Outcome.class, text(in, "outcome"), "outcome", v, false);
        }

        BigDecimal price = price(in, v);
        BigDecimal size = decimal(in, dashboard ? "contracts" : "size", v);
        if (size != null && size.signum() <= 0) {
            v.add(new Violation(dashboard ? "contracts" : "size", "must be greater than 0"));
        }

        String market = text(in, "market");
        if (market == null) {
            market = text(in, "conditionId");
        }
        if (market == null) {
            market = text(in, "marketTicker");
        }
        if (market == null) {
            market = text(in, "event");
        }
        String tokenId = text(in, "tokenId");
        if (market == null && tokenId == null) {
            v.add("best".equals(venue) ? new Violation("event", "is required with venue best (an id from GET /api/events)")
                    : new Violation("market", "market (slug or condition id) or tokenId is required"));
        }
        if (tokenId != null && !tokenId.matches("\\d{1,78}")) {
            v.add(new Violation("tokenId", "must be the decimal ERC-1155 token id"));
            tokenId = null; // refused; not recorded as given (it may not fit the ledger)
        }
        if (tokenId == null && outcome == null && market != null) {
            v.add(new Violation("outcome", "is required (YES or NO) when tokenId is not given"));
        }

        OrderType type = parseEnum(OrderType.class, text(in, "type"), "type", v, false);
        if (type == null) {
            type = OrderType.LIMIT;
        }
        TimeInForce tif = parseEnum(TimeInForce.class, text(in, "timeInForce"), "timeInForce", v, false);
        if (tif == null) {
            tif = type == OrderType.MARKET ? TimeInForce.FOK : TimeInForce.GTC;
        }
        Long expiration = null;
        String exp = text(in, "expiration");
        if (exp != null) {
            try {
                expiration = Long.parseLong(exp);
            } catch (NumberFormatException e) {
                v.add(new Violation("expiration", "must be unix seconds"));
            }
        }
        Boolean postOnly = bool(in, "postOnly", v);
        Boolean reduceOnly = bool(in, "reduceOnly", v);

        String clientOrderId = text(in, "clientOrderId");
        if (clientOrderId == null) {
            clientOrderId = defaultClientOrderId != null ? defaultClientOrderId : "og-" + UUID.randomUUID();
        }

        // What the ledger cannot hold is refused by field here, and not recorded as given (raw_request keeps it):
        // the request is still recorded, REJECTED with a 400, rather than failing its record with a 500.
        if (venue != null && venue.length() > 32) {
            v.add(new Violation("venue", "unknown venue (more than 32 characters)"));
            venue = null;
        }
        if (market != null && market.length() > 128) {
            v.add(new Violation(in.containsKey("market") ? "market" : in.containsKey("conditionId") ? "conditionId"
                    : in.containsKey("marketTicker") ? "marketTicker" : "event", "at most 128 characters"));
            market = null;
        }
        // Compared as the ledger stores them (6 decimals, rounded half up), so a figure rounding up to the bound is caught too.
        if (price != null && price.setScale(6, RoundingMode.HALF_UP).abs().compareTo(PRICE_BOUND) >= 0) {
            v.add(new Violation(in.get("price") != null ? "price" : "priceCents", "must be between 0 and 1 exclusive, got "
                    + price.toPlainString()));
            price = null;
        }
        if (size != null && size.setScale(6, RoundingMode.HALF_UP).abs().compareTo(SIZE_BOUND) >= 0) {
            v.add(new Violation(dashboard ? "contracts" : "size", "at most " + SIZE_BOUND.subtract(BigDecimal.ONE).toPlainString()));
            size = null;
        }
        if (clientOrderId.length() > 100) {
            v.add(new Violation("clientOrderId", "1-64 characters of letters, digits and -_:+=/."));
            clientOrderId = "og-" + UUID.randomUUID(); // recorded under an id of its own; the request keeps what was sent
        }

        String account = text(in, "account");
        if (account != null && !account.matches("[a-z0-9_-]{1,64}")) {
            v.add(new Violation("account", "1-64 lower-case letters, digits, - and _ (a name from the gateway's configuration)"));
            account = null; // refused; not recorded as a name
        }
        ticket.setOrder(new CanonicalOrder(venue, market, tokenId, outcome, side, price, size, type, tif, expiration,
                Boolean.TRUE.equals(postOnly), Boolean.TRUE.equals(reduceOnly), clientOrderId, account));
    }

    private static BigDecimal price(Map<String, Object> in, List<Violation> v) {
        if (in.get("price") != null) {
            return decimal(in, "price", v);
        }
        BigDecimal cents = decimal(in, "priceCents", v);
        if (cents == null && in.get("priceCents") == null) {
            v.add(new Violation("price", "price or priceCents is required"));
        }
        return cents == null ? null : cents.divide(HUNDRED).stripTrailingZeros();
    }

    /**
     * The fields without those whose text holds a control character, each refused by name: PostgreSQL
     * cannot store a NUL at all (the request would fail its record with a 500), and no field of an
     * order has a use for one. Nothing of the value is echoed.
     */
    private static Map<String, Object> withoutControlCharacters(Map<String, Object> in, List<Violation> v) {
        Map<String, Object> out = null;
        for (Map.Entry<String, Object> e : in.entrySet()) {
            if (e.getValue() instanceof String s && s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                if (out == null) {
                    out = new LinkedHashMap<>(in);
                }
                out.remove(e.getKey());
                String field = e.getKey().replaceAll("\\p{Cntrl}", "?");
                v.add(new Violation(field.length() > 64 ? field.substring(0, 64) : field, "must not contain control characters"));
            }
        }
        return out == null ? in : out;
    }

    static String text(Map<String, Object> in, String field) {
        Object o = in.get(field);
        if (o == null) {
            return null;
        }
        String s = o instanceof BigDecimal d ? d.toPlainString() : o.toString().trim();
        return s.isEmpty() ? null : s;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static BigDecimal decimal(Map<String, Object> in, String field, List<Violation> v) {
        Object o = in.get(field);
        if (o == null || (o instanceof String s && s.isBlank())) {
            if (!field.equals("priceCents")) {
                v.add(new Violation(field, "is required"));
            }
            return null;
        }
        if (o instanceof Double || o instanceof Float) {
            // Only reachable if a caller parsed JSON with doubles; refuse rather than round.
            v.add(new Violation(field, "must be an exact decimal"));
            return null;
        }
        try {
            // Bounded before any arithmetic: 1e500000000 would keep a request busy for minutes.
            return Decimals.parse(o.toString().trim());
        } catch (IllegalArgumentException e) {
            v.add(new Violation(field, "must be a decimal number of at most 24 integer and 18 fraction digits, got '"
                    + abbreviate(o.toString()) + "'"));
            return null;
        }
    }

    private static Boolean bool(Map<String, Object> in, String field, List<Violation> v) {
        String s = text(in, field);
        if (s == null) {
            return null;
        }
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.valueOf(s);
        }
        v.add(new Violation(field, "must be true or false"));
        return null;
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String value, String field, List<Violation> v,
            boolean required) {
        if (value == null) {
            if (required) {
                v.add(new Violation(field, "is required"));
            }
            return null;
        }
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            StringBuilder allowed = new StringBuilder();
            for (E c : type.getEnumConstants()) {
                allowed.append(allowed.length() == 0 ? "" : ", ").append(c.name());
            }
            v.add(new Violation(field, "must be one of " + allowed + ", got '" + abbreviate(value) + "'"));
            return null;
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
