package com.oddsgate.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.ledger.LedgerFaults;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.message.ApiRefusal;
import com.oddsgate.message.Flow;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.VenueOutcome;
import com.oddsgate.polymarket.protocol.PolymarketRecovery;
import com.oddsgate.kalshi.KalshiAccounts;
import com.oddsgate.kalshi.KalshiVenue;
import com.oddsgate.polymarket.protocol.PolymarketAccount;
import com.oddsgate.polymarket.protocol.PolymarketAccounts;
import com.oddsgate.polymarket.protocol.PolymarketMarkets;
import com.oddsgate.venue.CancelAnswer;
import com.oddsgate.venue.CancelCall;

/**
 * {@code DELETE /api/orders?venue=&market=&tokenId=}, {@code ?ids=1,2,3} and {@code ?all=true}: which
 * venue calls cancel the selected orders, and what each answer does to them in the ledger.
 * Polymarket has calls for a market ({@code DELETE /cancel-market-orders}), for everything
 * ({@code DELETE /cancel-all}) and for a list ({@code DELETE /orders}); Kalshi cancels a list of its
 * order ids in batches ({@code DELETE …/orders/batched}). Who asked is the {@code X-Requested-By}
 * header (else "api"); it goes into every affected order's history with the venue's answer.
 */
public class BulkCancels {

    /** Orders per venue list call. */
    static final int BATCH = 15;
    static final String CALLS = "oddsgateCancelCalls";
    static final String RESULTS = "oddsgateCancelResults";

    private final OrderLedger ledger;
    private final PolymarketMarkets markets;
    private final PolymarketAccounts polymarketAccounts;
    private final KalshiAccounts kalshiAccounts;
    private final KalshiVenue kalshi;

    public BulkCancels(OrderLedger ledger, PolymarketMarkets markets, PolymarketAccounts polymarketAccounts,
            KalshiAccounts kalshiAccounts, KalshiVenue kalshi) {
        this.ledger = ledger;
        this.markets = markets;
        this.polymarketAccounts = polymarketAccounts;
        this.kalshiAccounts = kalshiAccounts;
        this.kalshi = kalshi;
    }

    /** Property: the ids= orders whose result line is written already (looked up first, and not resting). */
    static final String ANSWERED = "oddsgateCancelAnswered";

    /**
     * The orders ids= names whose placement's answer is unknown (PENDING_SUBMIT, UNKNOWN), for the
     * route to look up first (routes/cancels.camel.yaml, resolve-for-cancel) as a single cancel does;
     * starts the request's results. Ids that are not numbers are left for {@link #plan} to refuse.
     */
    public List<OrderRecord> unresolvedAmongIds(Exchange exchange) {
        exchange.setProperty(RESULTS, Collections.synchronizedList(new ArrayList<Map<String, Object>>()));
        exchange.setProperty(ANSWERED, Collections.synchronizedSet(new HashSet<Long>()));
        String ids = trim(exchange.getIn().getHeader("ids", String.class));
        String venue = lower(exchange.getIn().getHeader("venue", String.class));
        List<OrderRecord> out = new ArrayList<>();
        if (ids == null) {
            return out;
        }
        for (String id : distinct(ids)) {
            try {
                ledger.find(Long.parseLong(id)).filter(r -> r.state().unresolved() && (venue == null || venue.equals(r.venue())))
                        .ifPresent(out::add);
            } catch (NumberFormatException e) {
                return List.of();
            }
        }
        return out;
    }

    /**
     * After an ids= order was looked up first: its line, unless it rests at the venue (then the plan
     * cancels it with the others) — CANCELED (not there, and never sent again), still unknown (the
     * cancel stands), or ended otherwise (FILLED, say).
     */
    public void resolvedForCancel(Exchange exchange) {
        OrderRecord r = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        if (r.state().restingAtVenue()) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", r.id());
        line.put("venue", r.venue());
        line.put("result", r.state() == OrderState.CANCELED ? "canceled" : "not_canceled");
        line.put("state", r.state().name());
        line.put("reason", r.state().unresolved() ? OrderCancels.cancelStands(r) : r.reason());
        results(exchange).add(line);
        answered(exchange).add(r.id());
    }

    /** The account an order was placed with, by name: each venue call is made with one account. */
    private String accountOf(OrderRecord r) {
        try {
            return "kalshi".equals(r.venue()) ? kalshiAccounts.of(r).name() : polymarketAccounts.of(r).name();
        } catch (OrderRejectedException unknown) {
            return r.account(); // not configured: start-up refuses that while its orders are open, so only a race with a removal
        }
    }

    /** Calls of at most BATCH orders each, one account per call. */
    private static void perAccount(String venue, String scope, String market, List<OrderRecord> orders, String by,
            Function<OrderRecord, String> account, List<CancelCall> calls) {
        Map<String, List<OrderRecord>> byAccount = new LinkedHashMap<>();
        orders.forEach(r -> byAccount.computeIfAbsent(account.apply(r), k -> new ArrayList<>()).add(r));
        byAccount.forEach((name, of) -> {
            for (int i = 0; i < of.size(); i += BATCH) {
                calls.add(new CancelCall(venue, scope, market, null, List.copyOf(of.subList(i, Math.min(of.size(), i + BATCH))), by,
                        List.of(), name));
            }
        });
    }

    /** Builds the venue calls; a request that does not say which orders is refused (400, nothing sent). */
    public void plan(Exchange exchange) {
        Message in = exchange.getIn();
        String venue = lower(in.getHeader("venue", String.class));
        String market = trim(in.getHeader("market", String.class));
        String tokenId = trim(in.getHeader("tokenId", String.class));
        String ids = trim(in.getHeader("ids", String.class));
        boolean all = "true".equalsIgnoreCase(trim(in.getHeader("all", String.class)));
        String by = trim(in.getHeader("X-Requested-By", String.class));
        by = by == null ? "api" : actor(by);
        exchange.setProperty(CALLS, List.of());
        if (exchange.getProperty(RESULTS) == null) {
            exchange.setProperty(RESULTS, Collections.synchronizedList(new ArrayList<Map<String, Object>>()));
        }
        // A cancel of everything or of a market does not wait for a failing ledger: its calls go out on what the
        // venues list, and what the ledger could not take the open-order sync records later.
        if (exchange.getProperty(Flow.LEDGER_FAILED) == null) {
            exchange.setProperty(Flow.LEDGER_FAILED, new AtomicReference<String>());
        }
        if (venue != null && !venue.equals("polymarket") && !venue.equals("kalshi")) {
            throw ApiRefusal.badRequest("venue", "must be polymarket or kalshi");
        }
        if (!all && market == null && tokenId == null && ids == null) {
            throw ApiRefusal.badRequest("all", "say which orders to cancel: market=, tokenId=, ids= or all=true (cancelling everything"
                    + " needs all=true)");
        }
        List<CancelCall> calls = new ArrayList<>();
        if (ids != null) {
            List<OrderRecord> chosen = new ArrayList<>();
            for (String id : distinct(ids)) {
                OrderRecord r;
                try {
                    r = ledger.find(Long.parseLong(id)).orElse(null);
                } catch (NumberFormatException e) {
                    throw ApiRefusal.badRequest("ids", "'" + id + "' is not an order id");
                }
                if (r == null) {
                    results(exchange).add(Map.of("id", Long.parseLong(id), "result", "not_canceled", "reason", "no such order"));
                } else if (venue != null && !venue.equals(r.venue())) {
                    results(exchange).add(Map.of("id", r.id(), "venue", r.venue(), "result", "not_canceled", "reason",
                            "a " + r.venue() + " order; this request cancels " + venue + " orders only"));
                } else if (answered(exchange).contains(r.id())) {
                    continue; // looked up first; its line is written
                } else if (r.state().restingAtVenue()) {
                    namedAtVenue(r, exchange).ifPresent(chosen::add);
                } else if (r.state().unresolved()) {
                    results(exchange).add(Map.of("id", r.id(), "venue", r.venue(), "result", "not_canceled", "state", r.state().name(),
                            "reason", "being submitted or looked up by this gateway right now: not cancelled; ask again in a moment"));
                } else {
                    results(exchange).add(Map.of("id", r.id(), "venue", r.venue(), "result", "not_canceled", "state", r.state().name(),
                            "reason", "order is " + r.state() + "; only orders resting at the venue, or whose placement's answer is"
                                    + " unknown, can be cancelled"));
                }
            }
            for (String v : List.of("polymarket", "kalshi")) {
                perAccount(v, "ids", null, chosen.stream().filter(r -> v.equals(r.venue())).toList(), by, this::accountOf, calls);
            }
        } else {
            String conditionId = market;
            if (market != null && !"kalshi".equals(venue) && !market.matches("0x[0-9a-fA-F]{64}")) {
                try {
                    conditionId = markets.bySlug(market).conditionId(); // a Polymarket slug
                } catch (OrderRejectedException notASlug) {
                    conditionId = market; // a Kalshi ticker, or nothing we know
                }
            }
            if (venue == null || venue.equals("polymarket")) {
                String c = conditionId;
                List<OrderRecord> open = orNone(exchange, () -> ledger.open("polymarket", c, tokenId, 10_000));
                // Polymarket cancels by market or everything per API key: one call per account.
                for (PolymarketAccount a : polymarketAccounts.all()) {
                    List<OrderRecord> ours = open.stream().filter(r -> a.name().equals(accountOf(r))).toList();
                    if (all || market == null || conditionId.startsWith("0x") || !ours.isEmpty()) {
                        calls.add(new CancelCall("polymarket", all && market == null && tokenId == null ? "all" : "market",
                                conditionId, tokenId, ours, by, List.of(), a.name()));
                    }
                }
            }
            if ((venue == null || venue.equals("kalshi")) && tokenId == null) {
                kalshiCalls(exchange, market, by, calls);
            }
        }
        exchange.setProperty(CALLS, calls);
    }

    /**
     * Kalshi has no cancel-all: the orders the ledger has open there, and every order the venue
     * lists as resting (read by the route before this), so that all= and market= also reach orders
     * the ledger holds as UNKNOWN (their venue id learnt here) and orders placed elsewhere.
     */
    private void kalshiCalls(Exchange exchange, String market, String by, List<CancelCall> calls) {
        Map<Long, OrderRecord> ours = new LinkedHashMap<>();
        orNone(exchange, () -> ledger.open("kalshi", market, null, 10_000)).forEach(r -> ours.put(r.id(), r));
        Map<String, List<String>> foreign = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        Map<String, JsonNode> resting = exchange.getProperty(Flow.KALSHI_RESTING, Map.class);
        if (resting != null) {
            resting.forEach((venueId, o) -> {
                if (market != null && !market.equals(o.path("ticker").asText())) {
                    return;
                }
                // By client_order_id only on the same key and ticker (OpenOrders.kalshi alike): the id is the key's own,
                // and an order placed elsewhere under an id one of ours has would otherwise be taken for ours and never cancelled.
                KalshiVenue.Resting at = new KalshiVenue.Resting(o.path(KalshiVenue.HELD_BY).asText(kalshiAccounts.byDefault().name()),
                        o.path("ticker").asText(), o.path("client_order_id").asText(""));
                OrderRecord r = null;
                if (ledgerFailed(exchange) == null) {
                    try {
                        r = ledger.findByVenueOrder("kalshi", venueId)
                                .or(() -> ledger.findByClientOrderId(at.clientOrderId())
                                        .filter(x -> at.equals(kalshi.restingAs(x))))
                                .filter(x -> "kalshi".equals(x.venue())).orElse(null);
                        if (r != null && r.venueOrderId() == null) {
                            ledger.learnVenueOrderId(r.id(), venueId, "found resting at the venue by client_order_id");
                            r = ledger.find(r.id()).orElseThrow();
                        }
                    } catch (RuntimeException e) {
                        noteLedgerFailure(exchange, e);
                        r = null;
                    }
                }
                if (r == null) {
                    // Placed elsewhere: cancelled with the key that holds it.
                    foreign.computeIfAbsent(o.path(KalshiVenue.HELD_BY).asText(kalshiAccounts.byDefault().name()),
                            k -> new ArrayList<>()).add(venueId);
                    return;
                }
                ours.putIfAbsent(r.id(), r);
            });
        }
        String error = exchange.getProperty(Flow.KALSHI_RESTING_ERROR, String.class);
        if (error != null) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> results = exchange.getProperty(RESULTS, List.class);
            results.add(Map.of("venue", "kalshi", "result", "not_canceled", "reason", "the venue's resting orders could not be"
                    + " read (" + error + "): " + (ledgerFailed(exchange) == null ? "only the orders the ledger holds as open were cancelled"
                    : "and the ledger failed too, so none was cancelled")));
        }
        perAccount("kalshi", "ids", market, List.copyOf(ours.values()), by, this::accountOf, calls);
        foreign.forEach((key, ids) -> {
            for (int i = 0; i < ids.size(); i += BATCH) {
                calls.add(new CancelCall("kalshi", "ids", market, null, List.of(), by, List.copyOf(ids.subList(i, Math.min(ids.size(),
                        i + BATCH))), key));
            }
        });
    }

    /**
     * Whether a resting order can be named to its venue: always on Polymarket (its order hash); on
     * Kalshi by its order id — one the ledger never read is looked up by client_order_id (and kept),
     * never sent as null. Not found, or the lookup refused: empty, and the order's line says why.
     */
    private Optional<OrderRecord> namedAtVenue(OrderRecord r, Exchange exchange) {
        if (!"kalshi".equals(r.venue()) || r.venueOrderId() != null) {
            return Optional.of(r);
        }
        String why;
        try {
            VenueOutcome held = kalshi.lookup(r);
            if (held != null && held.venueOrderId() != null) {
                ledger.learnVenueOrderId(r.id(), held.venueOrderId(), "found by its client_order_id for a cancel");
                return ledger.find(r.id());
            }
            why = "Kalshi holds no order under its client_order_id " + r.clientOrderId() + " in " + r.market()
                    + ": there is nothing there to cancel";
        } catch (RuntimeException e) {
            why = "it has no Kalshi order id, and Kalshi could not be asked for it by client_order_id: " + e.getMessage();
        }
        results(exchange).add(Map.of("id", r.id(), "venue", r.venue(), "result", "not_canceled", "state", r.state().name(),
                "reason", why));
        return Optional.empty();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> results(Exchange exchange) {
        return exchange.getProperty(RESULTS, List.class);
    }

    @SuppressWarnings("unchecked")
    private static Set<Long> answered(Exchange exchange) {
        Set<Long> s = exchange.getProperty(ANSWERED, Set.class);
        return s == null ? Set.of() : s;
    }

    /** Applies one venue answer to the call's orders: CANCELED, or the venue's reason in their history. */
    public void record(Exchange exchange) {
        CancelCall call = exchange.getProperty(Flow.CANCEL_CALL, CancelCall.class);
        CancelAnswer answer = exchange.getIn().getBody(CancelAnswer.class);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = exchange.getProperty(RESULTS, List.class);
        Set<String> ours = new HashSet<>();
        String how = call.scope().equals("all") ? "cancel-all" : call.scope().equals("market") ? "market cancel" : "batch cancel";
        String source = "api-cancel:" + call.by();
        for (OrderRecord r : call.orders()) {
            String key = venueKey(r);
            ours.add(key);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("id", r.id());
            result.put("venue", r.venue());
            // The ledger failed earlier in this request: not asked again (a hanging one would cost each order its timeout).
            String unwritten = ledgerFailed(exchange);
            try {
                if (unwritten == null) {
                    recordOne(r, key, answer, call, how, source, result);
                }
            } catch (RuntimeException e) {
                noteLedgerFailure(exchange, e);
                unwritten = LedgerFaults.why(e);
            }
            if (unwritten != null) {
                result.put("result", key != null && answer.canceled().contains(key) ? "canceled" : "not_canceled");
                result.put("reason", "the venue's answer could not be written to the ledger (" + unwritten + "); the open-order"
                        + " sync records it");
            }
            results.add(result);
        }
        for (String key : answer.canceled()) {
            if (ours.contains(key)) {
                continue;
            }
            String unwritten = ledgerFailed(exchange);
            try {
                if (unwritten == null) {
                    results.add(recordOther(key, answer, call, how, source));
                }
            } catch (RuntimeException e) {
                noteLedgerFailure(exchange, e);
                unwritten = LedgerFaults.why(e);
            }
            if (unwritten != null) {
                results.add(Map.of("venue", call.venue(), "venueOrderId", key, "result", "canceled", "reason",
                        "canceled at the venue; the ledger could not be read or written (" + unwritten + "): the open-order sync"
                                + " records it"));
            }
        }
    }

    /** One of the call's orders, as the venue's answer leaves it (its ledger writes may fail: the caller notes that). */
    private void recordOne(OrderRecord r, String key, CancelAnswer answer, CancelCall call, String how, String source,
            Map<String, Object> result) {
        if (key != null && answer.canceled().contains(key)) {
            ledger.recordOutcome(r.id(), new VenueOutcome(OrderState.CANCELED, null, "canceled at the venue (" + how
                    + " requested by " + call.by() + ")", answer.raw()), source);
            result.put("result", "canceled");
        } else if (key != null && answer.found().containsKey(key)) {
            VenueOutcome truth = answer.found().get(key);
            ledger.recordOutcome(r.id(), new VenueOutcome(truth.state(), null, truth.reason() + " (" + how
                    + " requested by " + call.by() + ")", truth.rawAnswer()), source);
            boolean undecided = PolymarketRecovery.undecided(truth);
            if (undecided) {
                OrderCancels.undecided(ledger, r.id(), source);
            }
            // As the ledger holds it now: a venue's "cancelled" for an order its fills show FILLED stays FILLED.
            boolean canceled = ledger.find(r.id()).map(o -> o.state() == OrderState.CANCELED).orElse(false);
            result.put("result", canceled ? "canceled" : undecided ? "undecided" : "not_canceled");
            result.put("reason", truth.reason());
        } else {
            String why = answer.error() != null ? answer.error() : key == null ? null : answer.notCanceled().get(key);
            String reason = why != null ? "not canceled: " + why
                    : "not canceled: the venue's answer does not name this order (it may have filled or gone already)";
            ledger.recordOutcome(r.id(), new VenueOutcome(r.state(), null, reason + " (" + how + " requested by "
                    + call.by() + ")", answer.raw()), source);
            result.put("result", "not_canceled");
            result.put("reason", reason);
        }
    }

    /**
     * A cancelled order the call did not name: one the ledger holds as UNKNOWN or PENDING_SUBMIT (its
     * answer was lost) is ours after all, and now CANCELED; anything else the gateway did not place.
     */
    private Map<String, Object> recordOther(String key, CancelAnswer answer, CancelCall call, String how, String source) {
        OrderRecord r = ledger.findByVenueOrder(call.venue(), key).filter(o -> o.state().unresolved()).orElse(null);
        if (r == null) {
            return Map.of("venue", call.venue(), "venueOrderId", key, "result", "canceled",
                    "reason", "an open order the gateway did not place (e.g. through the relay)");
        }
        ledger.recordOutcome(r.id(), new VenueOutcome(OrderState.CANCELED, key, "canceled at the venue (" + how
                + " requested by " + call.by() + "), its placement answer never read", answer.raw()), source);
        return Map.of("id", r.id(), "venue", call.venue(), "result", "canceled");
    }

    /** A call the venue could not be reached for, after redeliveries: each order keeps its state; history says so. */
    public void unreachable(Exchange exchange) {
        CancelCall call = exchange.getProperty(Flow.CANCEL_CALL, CancelCall.class);
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String reason = "cancel not delivered: " + (e == null ? "venue unreachable" : e.getMessage());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = exchange.getProperty(RESULTS, List.class);
        for (OrderRecord r : call.orders()) {
            try {
                if (ledgerFailed(exchange) == null) {
                    ledger.recordOutcome(r.id(), new VenueOutcome(r.state(), null, reason, null), "api-cancel:" + call.by());
                }
            } catch (RuntimeException unwritten) {
                noteLedgerFailure(exchange, unwritten);
            }
            results.add(Map.of("id", r.id(), "venue", r.venue(), "result", "not_canceled", "reason", reason));
        }
        if (call.orders().isEmpty()) {
            results.add(Map.of("venue", call.venue(), "result", "not_canceled", "reason", reason));
        }
    }

    /** The answer: every order touched, with its result, and counts; 200 even when some were not cancelled. */
    public Map<String, Object> summary(Exchange exchange) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = List.copyOf(exchange.getProperty(RESULTS, List.class));
        long canceled = results.stream().filter(r -> "canceled".equals(r.get("result"))).count();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("canceled", canceled);
        out.put("notCanceled", results.size() - canceled);
        out.put("venueCalls", exchange.getProperty(CALLS, List.class).size());
        out.put("orders", results);
        String ledgerFailed = ledgerFailed(exchange);
        if (ledgerFailed != null) {
            out.put("ledgerError", "the ledger failed (" + ledgerFailed + "): the venues were asked all the same, on what they"
                    + " list; orders the ledger holds open that a venue cancelled stay open in it until the open-order sync"
                    + " reads the venues");
        }
        return out;
    }

    /** The ledger's orders, or none when the ledger cannot be read (noted): a cancel of everything or of a market goes on without. */
    private static List<OrderRecord> orNone(Exchange exchange, Supplier<List<OrderRecord>> read) {
        if (ledgerFailed(exchange) != null) {
            return List.of(); // failed once in this request: not waited for again
        }
        try {
            return read.get();
        } catch (RuntimeException e) {
            noteLedgerFailure(exchange, e);
            return List.of();
        }
    }

    /** Notes a ledger failure on the request (its first); anything else is thrown on. */
    private static void noteLedgerFailure(Exchange exchange, RuntimeException e) {
        if (!LedgerFaults.in(e)) {
            throw e;
        }
        @SuppressWarnings("unchecked")
        AtomicReference<String> failed = exchange.getProperty(Flow.LEDGER_FAILED, AtomicReference.class);
        if (failed != null) {
            failed.compareAndSet(null, LedgerFaults.why(e));
        } else {
            throw e;
        }
    }

    private static String ledgerFailed(Exchange exchange) {
        @SuppressWarnings("unchecked")
        AtomicReference<String> failed = exchange.getProperty(Flow.LEDGER_FAILED, AtomicReference.class);
        return failed == null ? null : failed.get();
    }

    /** The ids of an ids= list, trimmed, each once (7 and 07 are one order); what is not a number is kept for {@link #plan} to refuse. */
    private static Set<String> distinct(String ids) {
        Set<String> out = new LinkedHashSet<>();
        for (String id : ids.split(",")) {
            try {
                out.add(Long.toString(Long.parseLong(id.trim())));
            } catch (NumberFormatException e) {
                out.add(id.trim());
            }
        }
        return out;
    }

    /** Who asked, as it goes into history (the event source holds 32 characters). */
    static String actor(String requestedBy) {
        String a = requestedBy.trim().replaceAll("[^\\w.@:-]", "_");
        return a.length() > 20 ? a.substring(0, 20) : a;
    }

    private static String venueKey(OrderRecord r) {
        return "polymarket".equals(r.venue()) ? lower(r.orderHash()) : r.venueOrderId();
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String lower(String s) {
        return s == null || s.isBlank() ? null : s.trim().toLowerCase(Locale.ROOT);
    }
}
