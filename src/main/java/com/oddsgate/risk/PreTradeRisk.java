package com.oddsgate.risk;

import static com.oddsgate.order.Decimals.plain;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.events.EventExposure;
import com.oddsgate.events.EventRegistry;
import com.oddsgate.fills.FillQueries;
import com.oddsgate.fills.Position;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.message.Json;
import com.oddsgate.order.CanonicalOrder;
import com.oddsgate.order.Decimals;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.Side;

/**
 * Pre-trade risk, one method per limit (routes/risk.camel.yaml calls each as its own step, before
 * anything is signed): the order's notional, the open orders, the position in the instrument after
 * the order, the day's notional, and the price band around the book's midpoint. A limit left empty
 * is off. A refusal is a 400 naming the limit and the figures. Limits come from the configuration
 * until changed while running ({@link #change}); every change is kept in the ledger with who made
 * it, and the newest is in force for every gateway on that ledger (read at most once per refresh).
 */
public class PreTradeRisk {

    private static final Logger LOG = LoggerFactory.getLogger(PreTradeRisk.class);

    /** The limits; null means off. Sizes in shares or contracts, amounts in the venue's dollars. */
    public record Limits(BigDecimal maxOrderNotional, Integer maxOpenOrders, BigDecimal maxPosition, BigDecimal maxDailyNotional,
            BigDecimal priceBand, BigDecimal maxEventPosition) {

        /** Whether a limit on totals (open orders, positions, daily notional) is on: those are checked one order at a time. */
        public boolean onTotals() {
            return maxOpenOrders != null || maxPosition != null || maxDailyNotional != null || maxEventPosition != null;
        }

        public Map<String, Object> view() {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("maxOrderNotional", plain(maxOrderNotional));
            v.put("maxOpenOrders", maxOpenOrders);
            v.put("maxPosition", plain(maxPosition));
            v.put("maxDailyNotional", plain(maxDailyNotional));
            v.put("priceBand", plain(priceBand));
            v.put("maxEventPosition", plain(maxEventPosition));
            return v;
        }

        /** From JSON: decimals as strings or numbers, an absent or null field is off. */
        public static Limits from(JsonNode j) {
            j.fieldNames().forEachRemaining(f -> {
                if (!FIELDS.contains(f)) {
                    throw new OrderRejectedException(f, "is not a risk limit (" + String.join(", ", FIELDS) + ")");
                }
            });
            return new Limits(decimal(j, "maxOrderNotional"), j.hasNonNull("maxOpenOrders") && !j.get("maxOpenOrders").asText().isBlank()
                    ? whole(j.get("maxOpenOrders")) : null,
                    decimal(j, "maxPosition"), decimal(j, "maxDailyNotional"), decimal(j, "priceBand"), decimal(j, "maxEventPosition"));
        }
    }

    /** States in which an order may still fill (open at the venue, or possibly so). */
    private static final String OPEN_STATES = "('PENDING_SUBMIT', 'UNKNOWN', 'LIVE', 'DELAYED', 'PARTIALLY_FILLED')";
    /**
     * Orders whose unfilled size may still add to a position: the open ones, and those answered MATCHED
     * recently — the venue matched them, their trades not read yet (they trail the answer by seconds),
     * so their size is in no position yet and a burst of marketable orders must not pass the limit
     * several times over. Only for ten minutes: one whose trades never count (all FAILED) stays
     * MATCHED, and must not hold the limit for good (EventExposure counts the same).
     */
    private static final String EXPOSED = "(state IN ('PENDING_SUBMIT', 'UNKNOWN', 'LIVE', 'DELAYED', 'PARTIALLY_FILLED')"
            + " OR (state = 'MATCHED' AND updated_at > CURRENT_TIMESTAMP - INTERVAL '10' MINUTE))";

    static final List<String> FIELDS = List.of("maxOrderNotional", "maxOpenOrders", "maxPosition", "maxDailyNotional", "priceBand",
            "maxEventPosition");

    /** The midpoint of the book of the order's outcome, or null when the book has no two sides. */
    public interface Midpoints {
        BigDecimal of(OrderTicket ticket);
    }

    /**
     * How an account is named in the ledger: the limits hold per account (an order's account is a
     * name; its fills carry the Polymarket funder or the Kalshi key id).
     */
    public interface Accounts {
        /** What the fills of the venue's account carry; null: the venue has no such account. */
        String fillsId(String venue, String account);

        /** Whether orders recorded without an account are this one's ({@code main}: orders from before accounts). */
        boolean isDefault(String venue, String account);

        /** Every account counted together (tools and tests with one account). */
        Accounts TOGETHER = new Accounts() {
            @Override
            public String fillsId(String venue, String account) {
                return null;
            }

            @Override
            public boolean isDefault(String venue, String account) {
                return true;
            }
        };
    }

    private final JdbcTemplate jdbc;
    private final FillQueries book;
    private final EventRegistry events;
    private final EventExposure exposure;
    private final Accounts accounts;
    private final Midpoints midpoints;
    private final Clock clock;
    private final Limits configured;
    private final Duration refresh;
    private volatile Limits cached;
    private volatile Instant readAt = Instant.MIN;
    /**
     * Orders of this gateway that passed every limit but are not recorded as sent yet (still RECEIVED):
     * counted as open, so that orders checked one right after the other see each other (id → when).
     */
    private final Map<Long, Instant> admitted = new ConcurrentHashMap<>();
    private volatile OrderLedger ledger;
    /** One account's checks one after the other (per account name; one for all when limits hold together). */
    private final Map<String, ReentrantLock> holds = new ConcurrentHashMap<>();
    /** How long an order waits for its account's checks before it is answered 503 (try again). */
    private volatile Duration holdWait = Duration.ofSeconds(5);
    /** Exchange property: the account's hold this exchange took. */
    static final String HELD = "oddsgateRiskHeld";
    /** With other gateways on the ledger: their checks too wait for an account's lease ({@link #sharesLedger}). */
    private volatile RiskHolds shared;

    /** An account's checks held: this instance's lock, and the ledger's lease when the ledger is shared. */
    private record Held(ReentrantLock lock, String key, String lease) {
    }
    /** An admitted order still RECEIVED after this long is waiting for nothing any more: no longer counted here. */
    private static final Duration ADMITTED_FOR = Duration.ofMinutes(10);
    private static final String ADMITTED_SINCE = "CURRENT_TIMESTAMP - INTERVAL '" + ADMITTED_FOR.toMinutes() + "' MINUTE";
    /**
     * Amends on their way: a replacement passes the limits (its original left out) before its
     * original is cancelled, and is recorded only after that cancel; in between neither would count.
     * So from its pass until it is recorded ({@link #recorded}) or its amend ends ({@link #amendEnded},
     * whatever happened: {@link #untilAmendEnds}) each check adds it as an open order of its own.
     * Keyed by the replacement's ticket itself: two amends of one original are two entries.
     */
    private final Map<OrderTicket, Pending> replacements = new ConcurrentHashMap<>();
    /** A backstop only (every amend removes its own entry when it ends): far beyond an amend's slowest cancel. */
    private static final Duration REPLACEMENT_FOR = ADMITTED_FOR;

    private record Pending(CanonicalOrder order, Instant at) {
    }

    public PreTradeRisk(JdbcTemplate jdbc, FillQueries book, EventRegistry events, EventExposure exposure, Midpoints midpoints,
            Clock clock, Limits configured, Duration refresh) {
        this(jdbc, book, events, exposure, Accounts.TOGETHER, midpoints, clock, configured, refresh);
    }

    /** @param accounts how each order's account is named in the ledger: every limit holds per account */
    public PreTradeRisk(JdbcTemplate jdbc, FillQueries book, EventRegistry events, EventExposure exposure, Accounts accounts,
            Midpoints midpoints, Clock clock, Limits configured, Duration refresh) {
        this.jdbc = jdbc;
        this.book = book;
        this.events = events;
        this.exposure = exposure;
        this.accounts = accounts;
        this.midpoints = midpoints;
        this.clock = clock;
        this.configured = configured;
        this.refresh = refresh;
    }

    public Limits limits() {
        Instant now = clock.instant();
        if (cached == null || readAt.plus(refresh).isBefore(now)) {
            cached = jdbc.query("SELECT limits FROM risk_limit_changes ORDER BY id DESC LIMIT 1",
                    (rs, i) -> Limits.from(Json.tryRead(rs.getString(1)))).stream().findFirst().orElse(configured);
            readAt = now;
        }
        return cached;
    }

    /** Replaces the limits in force (all of them: an absent field is off), recorded with who changed them. */
    public synchronized Limits change(Limits limits, String by) {
        jdbc.update("INSERT INTO risk_limit_changes (at, requested_by, limits) VALUES (?,?,?)", Timestamp.from(clock.instant()),
                by == null || by.isBlank() ? "api" : by, Json.write(limits.view()));
        cached = null;
        return limits();
    }

    /** The latest changes, newest first. */
    public List<Map<String, Object>> history(int limit) {
        return jdbc.query("SELECT at, requested_by, limits FROM risk_limit_changes ORDER BY id DESC LIMIT ?", (rs, i) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", rs.getTimestamp(1).toInstant().toString());
            m.put("by", rs.getString(2));
            m.put("limits", Json.tryRead(rs.getString(3)));
            return m;
        }, limit);
    }

    /**
     * The last step: the order passed every limit. An amend's replacement passes them before its
     * original is cancelled (with the original left out of the counts) and is not checked again.
     */
    public void passed(OrderTicket ticket, Exchange exchange) {
        if (ticket.getOrderId() != null && counted(ticket)) {
            if (ledger != null) {
                // Its token, market and account, for the position limits; on a shared ledger, in the same
                // transaction, this instance's lease of the account confirmed still standing.
                Held held = exchange == null ? null : exchange.getProperty(HELD, Held.class);
                if (!ledger.recordInstrument(ticket, held == null || held.lease() == null ? () -> true
                        : () -> shared.stillHeld(held.key(), held.lease()))) {
                    throw new OrderRejectedException("risk", "the risk checks took longer than their " + RiskHolds.LEASE.toSeconds()
                            + " s lease, so another gateway may have counted without this order; nothing was sent, try again", 503);
                }
            }
            admitted.put(ticket.getOrderId(), clock.instant());
        } else if (ticket.getOrderId() == null && ticket.getReplacesOrderId() != null && counted(ticket)) {
            replacements.put(ticket, new Pending(ticket.getOrder(), clock.instant()));
        }
        // Last: a step that failed above (its write) leaves the order unchecked, never passed unrecorded.
        ticket.setRiskChecked(true);
    }

    /**
     * After the order is recorded (routes/orders.camel.yaml): an amend's replacement that passed here
     * counts as itself from now on (admitted by its id), no longer as a pending replacement.
     */
    public void recorded(OrderTicket ticket) {
        if (ticket == null || ticket.getReplacesOrderId() == null || ticket.getOrderId() == null || !ticket.isRiskChecked()) {
            return;
        }
        if (ticket.isDuplicate() || !counted(ticket)) {
            // A duplicate's clientOrderId is an order's already (which counts as itself): nothing new to count.
            replacements.remove(ticket);
            return;
        }
        // Admitted whether or not its pending entry is still there: first counted as itself, then no
        // longer as pending (a check reads the pending ones first, so it sees it at least once).
        admitted.put(ticket.getOrderId(), clock.instant());
        replacements.remove(ticket);
        if (ledger != null) {
            ledger.recordInstrument(ticket, () -> true);
        }
    }

    /** An amend ended: a replacement that was not recorded (not placed) counts no more; else nothing to do. */
    public void amendEnded(OrderTicket replacement) {
        if (replacement != null) {
            replacements.remove(replacement);
        }
    }

    /**
     * Before an amend's replacement is checked (routes/amends.camel.yaml): when the exchange ends, by
     * any path (refused, failed, answered), {@link #amendEnded} runs for it, so no pending replacement
     * outlives its amend. The routes also end it before they answer (the exchange ends only after its
     * answer is written), so that the trader's next order does not find it still counted.
     */
    public void untilAmendEnds(Exchange exchange) {
        OrderTicket replacement = exchange.getIn().getBody(OrderTicket.class);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                amendEnded(replacement);
            }
        });
    }

    /** How many amends' replacements count as pending now (none once every amend under way has ended). */
    public int pendingReplacements() {
        return replacements.size();
    }

    /** The pending replacements of the order's venue and account (the order's own excepted). */
    private List<CanonicalOrder> replacementsBeside(OrderTicket ticket) {
        CanonicalOrder o = ticket.getOrder();
        List<CanonicalOrder> out = new ArrayList<>();
        replacements.forEach((replacement, p) -> {
            if (replacement != ticket && p.order().venue().equals(o.venue()) && sameBook(p.order(), o)) {
                out.add(p.order());
            }
        });
        return out;
    }

    private boolean sameBook(CanonicalOrder a, CanonicalOrder b) {
        return accounts == Accounts.TOGETHER || Objects.equals(a.account(), b.account());
    }

    /**
     * The first step: the checks of the order's account run one after the other from here to
     * {@link #release} (routes/risk.camel.yaml, in a doFinally), so that two orders cannot both pass
     * against the same totals. Nothing to hold when every limit is off or the order was checked already.
     */
    public void hold(Exchange exchange) {
        OrderTicket ticket = exchange.getIn().getBody(OrderTicket.class);
        if (ticket == null || ticket.getOrder() == null || skip(ticket) || !counted(ticket)) {
            return;
        }
        String key = accounts == Accounts.TOGETHER ? "*" : String.valueOf(ticket.getOrder().account());
        // Fair: with a bounded wait, the orders that waited longest go first rather than time out.
        ReentrantLock lock = holds.computeIfAbsent(key, k -> new ReentrantLock(true));
        // Bounded: an order whose checks hang (a ledger that does not answer) must not stall every
        // later order of the account, each holding a request thread; they are told to try again.
        long start = System.nanoTime();
        boolean held;
        String lease = null;
        try {
            held = lock.tryLock(holdWait.toMillis(), TimeUnit.MILLISECONDS);
            if (held && shared != null) {
                // Then the other gateways': this one's orders ask the ledger one at a time (the lock above).
                lease = shared.take(key, holdWait.minusNanos(System.nanoTime() - start));
                if (lease == null) {
                    lock.unlock();
                    held = false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (lock.isHeldByCurrentThread()) {
                lock.unlock();
            }
            held = false;
        } catch (RuntimeException e) {
            if (lock.isHeldByCurrentThread()) {
                lock.unlock(); // the ledger could not be asked: nothing held, the order is refused (a 5xx)
            }
            throw e;
        }
        if (!held) {
            throw new OrderRejectedException("risk", "the risk checks" + of(ticket.getOrder()) + " are busy with another order for"
                    + " more than " + holdWait.toMillis() + " ms; nothing was sent, try again", 503);
        }
        exchange.setProperty(HELD, new Held(lock, key, lease));
        forgetMovedOn();
    }

    /**
     * Admitted orders that are RECEIVED no more (recorded as sent: the state counts them; refused: they
     * count no more) are forgotten, so the set holds only orders on their way (at most the requests in flight).
     */
    private void forgetMovedOn() {
        Instant now = clock.instant();
        admitted.values().removeIf(at -> at.isBefore(now.minus(ADMITTED_FOR)));
        replacements.values().removeIf(p -> p.at().isBefore(now.minus(REPLACEMENT_FOR)));
        List<Long> ids = List.copyOf(admitted.keySet());
        if (ids.isEmpty()) {
            return;
        }
        Set<Long> waiting = new HashSet<>(jdbc.queryForList("SELECT id FROM orders WHERE state = 'RECEIVED' AND id IN ("
                + String.join(",", Collections.nCopies(ids.size(), "?")) + ")", Long.class, ids.toArray()));
        ids.stream().filter(id -> !waiting.contains(id)).forEach(admitted::remove);
    }

    /** How long an order waits for the checks of its account ({@code oddsgate.risk.hold-wait}). */
    public void holdsAtMost(Duration wait) {
        this.holdWait = wait;
    }

    /** Where an admitted order's resolved instrument is written (the ledger; none in unit tests without one). */
    public void admitsThrough(OrderLedger ledger) {
        this.ledger = ledger;
    }

    /**
     * Several gateways on one ledger ({@code oddsgate.cluster.enabled}): an account's checks wait for
     * its lease in the ledger as well, and the orders another instance admitted count here too.
     */
    public void sharesLedger() {
        this.shared = new RiskHolds(jdbc);
    }

    /** The last step, whatever happened: the next order of the account may be checked. */
    public void release(Exchange exchange) {
        if (!(exchange.removeProperty(HELD) instanceof Held held) || !held.lock().isHeldByCurrentThread()) {
            return;
        }
        try {
            if (held.lease() != null) {
                shared.give(held.key(), held.lease());
            }
        } catch (RuntimeException e) {
            // Runs out on its own (RiskHolds.LEASE): the other gateways' orders wait that long at most.
            LOG.warn("risk lease of {} not given back now ({}); it runs out within {} s", held.key(), e.toString(),
                    RiskHolds.LEASE.toSeconds());
        } finally {
            held.lock().unlock();
        }
    }

    /**
     * SQL over {@code orders}: an order counts when {@code counts} says so, or while it is RECEIVED
     * after it passed the limits here ({@link #admitted}; the ids go into {@code args}) or, on a
     * shared ledger, at another gateway ({@code risk_admitted_at}).
     */
    private String orAdmitted(String counts, List<Object> args) {
        List<Long> ids = List.copyOf(admitted.keySet());
        String others = "";
        if (shared != null) { // and those other gateways admitted (OrderLedger.recordInstrument marks them, by the ledger's clock)
            others = " OR (state = 'RECEIVED' AND risk_admitted_at > " + ADMITTED_SINCE + ")";
        }
        if (ids.isEmpty()) {
            return others.isEmpty() ? counts : "(" + counts + others + ")";
        }
        args.addAll(ids);
        return "(" + counts + others + " OR (state = 'RECEIVED' AND id IN (" + String.join(",", Collections.nCopies(ids.size(), "?"))
                + ")))";
    }

    /** The admitted orders (for the event exposure's open orders): this gateway's, and the others' on a shared ledger. */
    private List<Long> admittedIds() {
        if (shared == null) {
            return List.copyOf(admitted.keySet());
        }
        Set<Long> ids = new HashSet<>(admitted.keySet());
        ids.addAll(jdbc.queryForList("SELECT id FROM orders WHERE state = 'RECEIVED' AND risk_admitted_at > " + ADMITTED_SINCE,
                Long.class));
        return List.copyOf(ids);
    }

    private static boolean skip(OrderTicket ticket) {
        return ticket.isRiskChecked();
    }

    /** SQL: the orders of the ticket's account ({@code account = ?}, or none recorded for the default). */
    private String mine() {
        return accounts == Accounts.TOGETHER ? "" : " AND (account = ? OR (account IS NULL AND ?))";
    }

    private Object[] mineArgs(CanonicalOrder o) {
        return accounts == Accounts.TOGETHER ? new Object[0] : new Object[] {o.account(), accounts.isDefault(o.venue(), o.account())};
    }

    /** Where a refusal names the account: when limits hold per account. */
    private String of(CanonicalOrder o) {
        return accounts == Accounts.TOGETHER || o.account() == null ? "" : " for account " + o.account();
    }

    private static Object[] args(Object[] first, Object[] then) {
        Object[] out = new Object[first.length + then.length];
        System.arraycopy(first, 0, out, 0, first.length);
        System.arraycopy(then, 0, out, first.length, then.length);
        return out;
    }

    private static long own(OrderTicket ticket) {
        return ticket.getOrderId() == null ? -1L : ticket.getOrderId();
    }

    private static long replaced(OrderTicket ticket) {
        return ticket.getReplacesOrderId() == null ? -1L : ticket.getReplacesOrderId();
    }

    /**
     * What an order commits, for the notional limits: price × size — except a Kalshi SELL, an ask on
     * the YES book (or, for NO, a bid at 1 − price): without a holding to sell it opens the other
     * side, committing (1 − price) × size, as a BUY of that side would (the venue nets: selling YES is
     * buying NO). Priced by its outcome alone, a SELL at 0.05 of 1,000 would count 50 for 950 at risk.
     */
    static BigDecimal committed(CanonicalOrder o) {
        if (o.price() == null || o.size() == null) {
            return null;
        }
        return kalshiSell(o) ? BigDecimal.ONE.subtract(o.price()).multiply(o.size()) : o.notional();
    }

    /**
     * Whether the order's checks run under the account's hold and it counts once passed: a limit on
     * totals is on, or max order notional is and it is a Kalshi order — a SELL passes it only as an
     * exit, judged against every open order selling the holding (a BUY of the other side sells it
     * too), and those admitted before it must count.
     */
    private boolean counted(OrderTicket ticket) {
        Limits l = limits();
        return l.onTotals() || (l.maxOrderNotional() != null && ticket.getOrder() != null && "kalshi".equals(ticket.getOrder().venue()));
    }

    private static boolean kalshiSell(CanonicalOrder o) {
        return "kalshi".equals(o.venue()) && o.side() == Side.SELL;
    }

    /** {@link #committed} in SQL, per ledger row. */
    private static final String COMMITTED_PRICE = "(CASE WHEN venue = 'kalshi' AND side = 'SELL' THEN 1 - price ELSE price END)";

    /**
     * Max order notional. A Kalshi SELL over it passes only as an exit, judged against the account's
     * other open sells: that is decided under the account's hold ({@link #orderNotionalExit}), where the
     * sells admitted a moment before count — outside it, several exits arriving together each saw the
     * holding unsold and all passed.
     */
    public void orderNotional(OrderTicket ticket) {
        if (ticket.getOrder() != null && !kalshiSell(ticket.getOrder())) {
            notional(ticket);
        }
    }

    /** {@link #orderNotional} for a Kalshi SELL, under the account's hold (routes/risk.camel.yaml). */
    public void orderNotionalExit(OrderTicket ticket) {
        if (ticket.getOrder() != null && kalshiSell(ticket.getOrder())) {
            notional(ticket);
        }
    }

    private void notional(OrderTicket ticket) {
        BigDecimal max = limits().maxOrderNotional();
        CanonicalOrder o = ticket.getOrder();
        BigDecimal committed = committed(o);
        if (max != null && !skip(ticket) && committed != null && committed.compareTo(max) > 0 && !kalshiSellReduces(ticket)) {
            refuse("max order notional " + plain(max) + ": this order is " + plain(committed) + " ("
                    + (kalshiSell(o) ? "a Kalshi SELL commits (1 − " + plain(o.price()) + ")" : plain(o.price()))
                    + " × " + plain(o.size()) + ")");
        }
    }

    /**
     * A Kalshi SELL that, with every open order selling the same way filled too, sells no more than the
     * account holds (net, from the fills): an exit, no new commitment. Several exits that together
     * would sell past the holding are not one.
     */
    private boolean kalshiSellReduces(OrderTicket ticket) {
        return kalshiSell(ticket.getOrder()) && exposure(ticket).reduces();
    }

    public void openOrders(OrderTicket ticket) {
        Integer max = limits().maxOpenOrders();
        if (max == null || skip(ticket)) {
            return;
        }
        CanonicalOrder o = ticket.getOrder();
        // Pending replacements before the admitted orders (see recorded): one moving in between is seen.
        List<CanonicalOrder> replacing = replacementsBeside(ticket);
        List<Object> extra = new ArrayList<>();
        String counted = orAdmitted("state IN " + OPEN_STATES, extra);
        Integer open = jdbc.queryForObject("SELECT COUNT(*) FROM orders WHERE venue = ? AND id <> ? AND id <> ? AND " + counted + mine(),
                Integer.class, args(args(new Object[] {o.venue(), own(ticket), replaced(ticket)}, extra.toArray()), mineArgs(o)));
        open = (open == null ? 0 : open) + replacing.size();
        if (open + 1 > max) {
            refuse("max open orders " + max + " on " + o.venue() + of(o) + ": " + open + " are open already");
        }
    }

    /**
     * The position in the order's instrument once it fills, from the fills: Polymarket per outcome
     * token; Kalshi on the YES book (a NO bought is YES sold). An order that reduces the position
     * passes (see {@link #reduces}).
     */
    public void position(OrderTicket ticket) {
        BigDecimal max = limits().maxPosition();
        if (max == null || skip(ticket)) {
            return;
        }
        CanonicalOrder o = ticket.getOrder();
        Exposure e = exposure(ticket);
        if (e.reduces()) {
            return;
        }
        if (e.after().abs().compareTo(max) > 0) {
            refuse("max position " + plain(max) + " in " + e.instrument() + of(o) + ": " + plain(e.now()) + " now, "
                    + plain(e.after()) + " with this order" + (e.pending().signum() > 0 ? " and the open orders' "
                    + plain(e.pending()) : ""));
        }
    }

    /**
     * The order's instrument (Polymarket's outcome token, Kalshi's ticker on the YES book), the position
     * in it now (from the fills), and the worst case once this order and every open order of the
     * instrument in the same direction fill (amend replacements under way included).
     */
    private record Exposure(String instrument, BigDecimal now, int direction, BigDecimal pending, BigDecimal after) {
        boolean reduces() {
            return PreTradeRisk.reduces(now, direction, after);
        }
    }

    private Exposure exposure(OrderTicket ticket) {
        CanonicalOrder o = ticket.getOrder();
        boolean kalshi = "kalshi".equals(o.venue());
        String instrument = kalshi ? o.market() : o.tokenId();
        String fillsId = accounts.fillsId(o.venue(), o.account());
        BigDecimal now = book.positions(o.venue(), Collections.singletonList(instrument)).stream()
                .filter(p -> fillsId == null || fillsId.equalsIgnoreCase(p.account()))
                .map(Position::size).reduce(BigDecimal.ZERO, BigDecimal::add);
        int direction = direction(kalshi, o.side().name(), o.outcome() == null ? "YES" : o.outcome().name());
        BigDecimal step = o.size().multiply(BigDecimal.valueOf(direction));
        BigDecimal pending = BigDecimal.ZERO;
        List<CanonicalOrder> replacing = replacementsBeside(ticket);
        List<Object> extra = new ArrayList<>();
        String counted = orAdmitted(EXPOSED, extra);
        for (Map<String, Object> open : jdbc.queryForList("SELECT side, outcome, size, filled_size FROM " + OrderLedger.ORDERS + " WHERE venue = ?"
                + " AND " + (kalshi ? "market" : "token_id") + " = ? AND id <> ? AND id <> ? AND " + counted + mine(),
                args(args(new Object[] {o.venue(), instrument, own(ticket), replaced(ticket)}, extra.toArray()), mineArgs(o)))) {
            if (direction(kalshi, (String) open.get("side"), open.get("outcome") == null ? "YES" : (String) open.get("outcome"))
                    == direction) {
                BigDecimal filled = open.get("filled_size") == null ? BigDecimal.ZERO : (BigDecimal) open.get("filled_size");
                pending = pending.add(((BigDecimal) open.get("size")).subtract(filled).max(BigDecimal.ZERO));
            }
        }
        for (CanonicalOrder r : replacing) {
            if (instrument.equals(kalshi ? r.market() : r.tokenId())
                    && direction(kalshi, r.side().name(), r.outcome() == null ? "YES" : r.outcome().name()) == direction) {
                pending = pending.add(r.size());
            }
        }
        BigDecimal after = now.add(step).add(pending.multiply(BigDecimal.valueOf(direction)));
        return new Exposure(instrument, now, direction, pending, after);
    }

    /**
     * A true reduction: the order goes against the position and, with every open order going the
     * same way filled too, the position stays on its side of flat (several reducing orders that
     * together would flip it past the limit are not exempt).
     */
    private static boolean reduces(BigDecimal now, int direction, BigDecimal worstAfter) {
        return now.signum() != 0 && now.signum() != direction && (worstAfter.signum() == now.signum() || worstAfter.signum() == 0);
    }

    /**
     * The net position in the order's event across both venues once it fills (an instrument in no
     * verified or confirmed pairing passes): in the event's orientation, with every open order of
     * the event in the same direction counted as filled. An order that reduces the exposure passes
     * (see {@link #reduces}). An order on a market of a pairing that could not be checked yet is
     * refused (503) rather than let through unlimited.
     */
    public void eventPosition(OrderTicket ticket) {
        BigDecimal max = limits().maxEventPosition();
        if (max == null || skip(ticket)) {
            return;
        }
        CanonicalOrder o = ticket.getOrder();
        Optional<EventRegistry.Entry> event = events.of(o.venue(), "kalshi".equals(o.venue()) ? o.market() : o.tokenId());
        if (event.isEmpty()) {
            String market = "kalshi".equals(o.venue()) ? o.market() : ticket.getMarket() == null ? null : ticket.getMarket().slug();
            events.unchecked(o.venue(), market, o.tokenId()).ifPresent(u -> {
                throw new OrderRejectedException("risk", "max event position " + plain(max) + ": the pairing " + u.pair().id()
                        + " of this market could not be checked against the venues yet (" + String.join("; ", u.findings())
                        + "); its orders wait until it is", 503);
            });
            return;
        }
        EventRegistry.Entry e = event.get();
        List<CanonicalOrder> replacing = replacementsOfEvent(e, o, ticket);
        EventExposure.Figures now = exposure.figures(e, scope(o), admittedIds(), own(ticket), replaced(ticket));
        BigDecimal step = EventExposure.of(e, o);
        BigDecimal openLong = now.openLong();
        BigDecimal openShort = now.openShort();
        for (CanonicalOrder r : replacing) {
            BigDecimal size = EventExposure.of(e, r);
            openLong = size.signum() > 0 ? openLong.add(size) : openLong;
            openShort = size.signum() < 0 ? openShort.add(size.negate()) : openShort;
        }
        BigDecimal pending = step.signum() > 0 ? openLong : openShort.negate();
        BigDecimal after = now.net().add(step).add(pending);
        if (reduces(now.net(), step.signum(), after)) {
            return;
        }
        if (after.abs().compareTo(max) > 0) {
            refuse("max event position " + plain(max) + " in event " + e.pair().id() + of(o) + ": " + plain(now.net()) + " now (YES "
                    + "positive), " + plain(after) + " with this order" + (pending.signum() != 0 ? " and the open orders' "
                    + plain(pending.abs()) : ""));
        }
    }

    /** The pending replacements on either venue's instruments of the event, of the order's book. */
    private List<CanonicalOrder> replacementsOfEvent(EventRegistry.Entry e, CanonicalOrder o, OrderTicket ticket) {
        List<CanonicalOrder> out = new ArrayList<>();
        replacements.forEach((replacement, p) -> {
            CanonicalOrder r = p.order();
            boolean inEvent = "kalshi".equals(r.venue()) ? e.kalshi().market().equals(r.market())
                    : r.tokenId() != null && (r.tokenId().equals(e.polymarket().yesTokenId()) || r.tokenId().equals(e.polymarket().noTokenId()));
            if (replacement != ticket && inEvent && sameBook(r, o)) {
                out.add(r);
            }
        });
        return out;
    }

    /** The order's account across both venues (the same name is one book), or null when limits hold for all together. */
    private EventExposure.Scope scope(CanonicalOrder o) {
        if (accounts == Accounts.TOGETHER) {
            return null;
        }
        String name = o.account();
        return new EventExposure.Scope(name, accounts.fillsId("polymarket", name), accounts.fillsId("kalshi", name),
                accounts.isDefault("polymarket", name), accounts.isDefault("kalshi", name));
    }

    /** +1 when the order adds to the instrument's position, −1 when it takes from it (Kalshi on the YES book). */
    private static int direction(boolean kalshi, String side, String outcome) {
        boolean adds = "BUY".equals(side);
        if (kalshi && "NO".equals(outcome)) {
            adds = !adds;
        }
        return adds ? 1 : -1;
    }

    /** What was placed today (UTC) on the order's venue, counting a cancelled order only for what it filled. */
    public void dailyNotional(OrderTicket ticket) {
        BigDecimal max = limits().maxDailyNotional();
        CanonicalOrder o = ticket.getOrder();
        if (max == null || committed(o) == null || skip(ticket)) {
            return;
        }
        Instant midnight = LocalDate.now(clock.withZone(ZoneOffset.UTC)).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<CanonicalOrder> replacing = replacementsBeside(ticket);
        List<Object> extra = new ArrayList<>();
        String counted = orAdmitted("state NOT IN ('RECEIVED', 'REJECTED')", extra);
        // An amend's original counts as the cancelled order it is about to be: for what it filled.
        BigDecimal today = jdbc.queryForObject("SELECT COALESCE(SUM(CASE WHEN state IN ('CANCELED', 'UNMATCHED', 'FAILED')"
                + " OR id = ? THEN " + COMMITTED_PRICE + " * COALESCE(filled_size, 0) ELSE " + COMMITTED_PRICE + " * size END), 0) FROM "
                + OrderLedger.ORDERS
                + " WHERE venue = ? AND created_at >= ?"
                + " AND " + counted + " AND id <> ?" + mine(), BigDecimal.class,
                args(args(new Object[] {replaced(ticket), o.venue(), Timestamp.from(midnight)}, extra.toArray()),
                        args(new Object[] {own(ticket)}, mineArgs(o))));
        for (CanonicalOrder r : replacing) {
            today = (today == null ? BigDecimal.ZERO : today).add(committed(r) == null ? BigDecimal.ZERO : committed(r));
        }
        BigDecimal after = (today == null ? BigDecimal.ZERO : today).add(committed(o));
        // A Kalshi exit passes, as it does the position limits: the (1 − price) it is counted at is no new commitment.
        if (after.compareTo(max) > 0 && !kalshiSellReduces(ticket)) {
            refuse("max daily notional " + plain(max) + " on " + o.venue() + of(o) + ": " + plain(today) + " placed today, "
                    + plain(after) + " with this order");
        }
    }

    /** A fat-finger guard: the price at most {@code priceBand} from the midpoint of the outcome's book. */
    public void priceBand(OrderTicket ticket) {
        BigDecimal band = limits().priceBand();
        CanonicalOrder o = ticket.getOrder();
        if (band == null || o.price() == null || skip(ticket)) {
            return;
        }
        BigDecimal mid;
        try {
            mid = midpoints.of(ticket);
        } catch (RuntimeException unreadable) {
            throw new OrderRejectedException("risk", "price band " + plain(band) + ": the book cannot be read now ("
                    + unreadable.getMessage() + ")", 503);
        }
        if (mid == null) {
            refuse("price band " + plain(band) + ": the book has no midpoint to compare with (no bid or no ask)");
        }
        if (o.price().subtract(mid).abs().compareTo(band) > 0) {
            refuse("price band " + plain(band) + " around the midpoint " + plain(mid) + ": this order's price is "
                    + plain(o.price()));
        }
    }

    private static void refuse(String reason) {
        throw new OrderRejectedException("risk", reason);
    }

    private static BigDecimal decimal(JsonNode j, String field) {
        if (!j.hasNonNull(field) || j.get(field).asText().isBlank()) {
            return null;
        }
        BigDecimal d;
        try {
            d = Decimals.parse(j.get(field).asText().trim());
        } catch (IllegalArgumentException e) {
            throw new OrderRejectedException(field, "must be a decimal number");
        }
        if (d.signum() < 0) {
            throw new OrderRejectedException(field, "must not be negative");
        }
        return d;
    }

    private static Integer whole(JsonNode n) {
        try {
            int v = Integer.parseInt(n.asText().trim());
            if (v < 0) {
                throw new OrderRejectedException("maxOpenOrders", "must not be negative");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new OrderRejectedException("maxOpenOrders", "must be a whole number");
        }
    }
}
