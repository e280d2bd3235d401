package com.oddsgate.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.oddsgate.kalshi.KalshiVenue;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.ops.GatewayMetrics;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.VenueOutcome;
import com.oddsgate.polymarket.protocol.PolymarketRecovery;

/**
 * Open-order sync: the venue's open orders against the ledger's. An order the venue holds open
 * that the ledger has as DELAYED becomes LIVE; one the ledger has resting but the venue no longer
 * lists is looked up (Polymarket: its trades, whose fills are recorded first; Kalshi: the order by
 * client_order_id) and gets its true state — CANCELED when it neither filled nor rests. Orders
 * placed after the sync began are left to the next one (the venue's list may predate them). Failures are
 * logged, counted and, at the start of a failing streak, noted in every open order's history.
 */
public class OpenOrders {

    private static final Logger LOG = LoggerFactory.getLogger(OpenOrders.class);
    static final String RESULTS = "oddsgateSyncResults";
    static final String VENUE = "oddsgateSyncVenue";

    private final OrderLedger ledger;
    private final PolymarketRecovery polymarket;
    private final KalshiVenue kalshi;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final Map<String, String> failing = new ConcurrentHashMap<>();
    /** How long a Polymarket order must have been missing, neither open nor traded, before it is taken for cancelled. */
    private final Duration missingFor;

    public OpenOrders(OrderLedger ledger, PolymarketRecovery polymarket, KalshiVenue kalshi, GatewayMetrics metrics, Clock clock,
            Duration missingFor) {
        this.ledger = ledger;
        this.polymarket = polymarket;
        this.kalshi = kalshi;
        this.metrics = metrics;
        this.clock = clock;
        this.missingFor = missingFor;
    }

    public void begin(Exchange exchange) {
        exchange.setProperty(RESULTS, Collections.synchronizedMap(new LinkedHashMap<String, Object>()));
        exchange.setProperty("oddsgateSyncStarted", clock.instant());
    }

    public void polymarket(Exchange exchange) {
        exchange.setProperty(VENUE, "polymarket");
        Instant started = exchange.getProperty("oddsgateSyncStarted", Instant.class);
        // Orders an earlier look found off the book (a sync's, a cancel's; on any instance), and since when.
        Map<Long, Instant> seenMissing = ledger.missingSince("polymarket");
        Set<String> open = polymarket.openOrderHashes();
        Set<Long> missedNow = ConcurrentHashMap.newKeySet();
        reconcile(exchange, "polymarket", started, open, List.of(), true, r -> r.orderHash() == null ? null : r.orderHash().toLowerCase(Locale.ROOT), polymarket::lookup, r -> {
            VenueOutcome seen = polymarket.lookup(r); // records the fills of its trades, if any
            if (seen != null && (seen.state().restingAtVenue() || seen.state() == OrderState.UNKNOWN)) {
                // The venue holds it (open, or under a status word we cannot name), the list did not show
                // it (yet): never cancelled in the ledger.
                return null;
            }
            OrderRecord now = ledger.find(r.id()).orElseThrow();
            if (!now.state().restingAtVenue()) {
                return null;
            }
            if (seen != null && seen.state() == OrderState.FAILED) { // its whole size matched, every match failed
                return new VenueOutcome(OrderState.CANCELED, null, seen.reason() + " (open-order sync)", null);
            }
            if (seen != null && PolymarketRecovery.saidByItsStatus(seen)
                    && (seen.state() == OrderState.MATCHED || seen.state() == OrderState.CANCELED)) {
                // The order object itself says how it left the book: taken as said (its fills count either way),
                // never the two looks' guess — a "matched" whose trades trail is no cancel.
                return new VenueOutcome(seen.state(), null, seen.reason() + " (open-order sync)", null);
            }
            // Off the book short of its size (its fills recorded above): cancelled — or matched a moment ago
            // with its trades not listed yet (or held by a matching delay). Concluded only when a later look,
            // at least missingFor after the first (a sync's, or a cancel's), still finds it so.
            missedNow.add(r.id());
            Instant look = clock.instant();
            Instant first = seenMissing.get(r.id());
            if (first == null) {
                ledger.sawMissing(r.id(), look);
                return null;
            }
            if (Duration.between(first, look).compareTo(missingFor) < 0) {
                return null;
            }
            return new VenueOutcome(OrderState.CANCELED, null, "no longer open at the venue at two looks "
                    + Duration.between(first, look).toSeconds() + " s apart, "
                    + (now.filledSize() != null && now.filledSize().signum() > 0 ? "traded " + now.filledSize().toPlainString()
                            + " of " + now.size().toPlainString() + " (its fills count)" : "nor traded")
                    + ": cancelled outside the gateway or by the venue", null);
        });
        // What this sync did not find missing (listed again) is forgotten; a look since it began (a cancel's) is kept.
        seenMissing.forEach((id, since) -> {
            if (!missedNow.contains(id) && since.isBefore(started)) {
                ledger.foundAgain(id, since);
            }
        });
    }

    public void kalshi(Exchange exchange) {
        exchange.setProperty(VENUE, "kalshi");
        Instant started = exchange.getProperty("oddsgateSyncStarted", Instant.class);
        Map<String, KalshiVenue.Resting> listed = kalshi.openOrderIds();
        Set<String> open = new HashSet<>(listed.keySet());
        // (key, ticker, client_order_id) → the venue's id: an order whose placement answer was never read is known by ours.
        Map<KalshiVenue.Resting, String> byClientOrderId = new HashMap<>();
        listed.forEach((id, at) -> {
            if (!at.clientOrderId().isEmpty()) {
                byClientOrderId.put(at, id);
            }
        });
        // Read by its id where the venue gave one (one small read), else found by client_order_id.
        Function<OrderRecord, VenueOutcome> read = r -> r.venueOrderId() != null ? kalshi.order(r) : kalshi.lookup(r);
        Function<OrderRecord, String> key = r -> {
            if (r.venueOrderId() != null) {
                return r.venueOrderId();
            }
            KalshiVenue.Resting at = kalshi.restingAs(r);
            return at == null ? null : byClientOrderId.get(at);
        };
        List<String> clientOrderIds = byClientOrderId.entrySet().stream().filter(e -> open.contains(e.getValue()))
                .map(e -> e.getKey().clientOrderId()).toList();
        reconcile(exchange, "kalshi", started, open, clientOrderIds, false, key, read, read);
    }

    /** Orders of the ledger read per page: however many are open, the sync walks them in this much memory. */
    static final int PAGE = 500;

    private void reconcile(Exchange exchange, String venue, Instant started, Set<String> open, List<String> clientOrderIds,
            boolean byOrderHash,
            Function<OrderRecord, String> key, Function<OrderRecord, VenueOutcome> lookup, Function<OrderRecord, VenueOutcome> missing) {
        int live = 0;
        int atVenue = open.size();
        List<Map<String, Object>> changed = new ArrayList<>();
        long after = 0;
        for (List<OrderRecord> page = ledger.openAfter(venue, after, PAGE); !page.isEmpty();
                page = page.size() < PAGE ? List.of() : ledger.openAfter(venue, after, PAGE)) {
            after = page.get(page.size() - 1).id();
            for (OrderRecord r : page) {
                String k = key.apply(r);
                // Ours: taken off the venue's list, so what is left there at the end was not placed by the gateway.
                boolean listed = k != null && open.remove(k);
                if (!r.createdAt().isBefore(started)) { // placed while the venue's list was read: next sync
                    continue;
                }
                if (listed && !byOrderHash && r.venueOrderId() == null) {
                    ledger.learnVenueOrderId(r.id(), k, "listed open by the venue under this order's client_order_id (open-order sync)");
                }
                if (listed) {
                    live++;
                    if (r.state() == OrderState.DELAYED) {
                        ledger.recordOutcome(r.id(), new VenueOutcome(OrderState.LIVE, null, "open at the venue (open-order sync)", null),
                                "sync");
                        changed.add(Map.of("id", r.id(), "from", r.state().name(), "to", OrderState.LIVE.name()));
                    }
                    continue;
                }
                VenueOutcome outcome = missing.apply(r);
                if (outcome != null && outcome.state() != r.state()) {
                    ledger.recordOutcome(r.id(), outcome, "sync");
                }
                OrderRecord now = ledger.find(r.id()).orElseThrow();
                if (now.state() != r.state()) {
                    changed.add(Map.of("id", r.id(), "from", r.state().name(), "to", now.state().name()));
                }
            }
        }
        List<Map<String, Object>> reopened = reopen(venue, started, open, clientOrderIds, byOrderHash, key, lookup);
        long foreign = open.size();
        if (failing.remove(venue) != null) {
            LOG.info("open-order sync with {} works again", venue);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("openAtVenue", atVenue);
        result.put("openInLedger", live);
        result.put("notPlacedByGateway", foreign);
        result.put("changed", changed);
        result.put("reopened", reopened);
        results(exchange).put(venue, result);
        if (!changed.isEmpty()) {
            LOG.info("open-order sync with {}: {} orders changed state", venue, changed.size());
        }
    }

    /**
     * Orders the venue lists open that the ledger ended (CANCELED, REJECTED, UNMATCHED, FAILED) well
     * before this sync began ({@link #SETTLED}): the conclusion came from answers that missed the
     * order (a lookup of open orders only, trades that trailed, a refused re-send). Each is looked up
     * once more and, held open, reopened — money at the venue must not be another story in the ledger.
     * Taken off {@code open} (they are the gateway's, not foreign). Unless only the sync itself had ever ended it
     * ("cancelled outside the gateway": nobody here asked for that), it was not meant to rest — a
     * trader's cancel, an amend, the kill switch, recovery giving it up, a refusal the trader was told
     * of — so it is kept in {@code sync_cancels} and cancelled, by this sync and the next until it has left the book.
     */
    private List<Map<String, Object>> reopen(String venue, Instant started, Set<String> open, List<String> clientOrderIds,
            boolean byOrderHash, Function<OrderRecord, String> key, Function<OrderRecord, VenueOutcome> lookup) {
        List<Map<String, Object>> reopened = new ArrayList<>();
        if (open.isEmpty()) {
            return reopened;
        }
        Instant settledBefore = started.minus(SETTLED);
        List<OrderRecord> ended = new ArrayList<>(ledger.endedAmong(venue, open, byOrderHash));
        // Ended without the venue's id ever read (a lost placement answer, a refused re-send): known by client_order_id
        // (under its own key and ticker: the key function says which listed order it is, if any).
        if (!clientOrderIds.isEmpty()) {
            ended.addAll(ledger.endedWithoutVenueOrderIdAmong(venue, clientOrderIds));
        }
        for (OrderRecord r : ended) {
            String k = key.apply(r);
            if (k == null || !open.remove(k) || !r.updatedAt().isBefore(settledBefore)) {
                continue;
            }
            VenueOutcome seen;
            try {
                seen = lookup.apply(r);
            } catch (RuntimeException e) {
                LOG.warn("{} lists order {} ({}) open, which the ledger has {}; it could not be looked up to confirm: {}", venue, r.id(), k,
                        r.state(), e.getMessage());
                continue;
            }
            if (seen == null || !seen.state().restingAtVenue()) {
                continue; // listed, but not open when asked: the list trailed
            }
            if (r.venueOrderId() == null && !byOrderHash) {
                ledger.learnVenueOrderId(r.id(), seen.venueOrderId() != null ? seen.venueOrderId() : k,
                        "listed open by the venue under this order's client_order_id (open-order sync)"); // its cancel needs it
            }
            int reopens = ledger.reopenedBefore(r.id());
            OrderRecord now = ledger.find(r.id()).orElseThrow();
            OrderState to = now.filledSize() != null && now.filledSize().signum() > 0 ? OrderState.PARTIALLY_FILLED : OrderState.LIVE;
            String endedBy = ledger.endedOtherThanBySync(r.id());
            // Nor one a trader asked to cancel whose cancel the venue could not be seen to carry out (cancel_asked_at).
            boolean meantToRest = endedBy == null && !ledger.cancelAsked(r.id());
            if (endedBy == null && !meantToRest) {
                endedBy = "a cancel asked for it";
            }
            try {
                ledger.reopen(r.id(), now.state(), to, settledBefore, !meantToRest, "sync", "open at the venue (open-order sync, confirmed by a lookup):"
                        + " the ledger had it " + now.state() + " (" + now.reason() + "), concluded from answers that missed it"
                        + (meantToRest ? "" : "; not meant to rest (ended by " + endedBy + "): cancelled now"), seen.rawAnswer());
            } catch (IllegalStateException moved) { // ConcurrentChangeException among them
                continue; // written to meanwhile (a cancel's answer, its fills): the next sync sees it as it is
            }
            if (reopens >= ALARM_REOPENS) {
                // Listed open again after being ended again and again: a venue whose lists trail its cancels,
                // or that acknowledges cancels it does not carry out. Still reopened (the ledger says what
                // the venue holds), and an operator should look.
                LOG.error("{} order {} reopened for the {}th time: the venue keeps listing it open after it ended", venue, r.id(),
                        reopens + 1);
            }
            LOG.warn("{} order {} reopened: the venue holds it open, the ledger had it {}{}", venue, r.id(), now.state(),
                    meantToRest ? "" : " (ended by " + endedBy + "): cancelling it");
            metrics.reopened(venue);
            reopened.add(Map.of("id", r.id(), "from", now.state().name(), "to", to.name(), "cancelling", !meantToRest));
        }
        return reopened;
    }

    /** How long before the sync an order must have been ended for a listing to reopen it: the venue's lists can trail a cancel. */
    static final Duration SETTLED = Duration.ofSeconds(30);
    /** Reopens of one order after which each further one is logged as an ERROR. */
    static final int ALARM_REOPENS = 3;

    /**
     * After both venues: the reopened orders that were not meant to rest and still may (this sync's,
     * and any whose cancel failed before), as {@code oddsgateSyncToCancel} for the route to cancel.
     */
    public void cancelsDue(Exchange exchange) {
        exchange.setProperty(TO_CANCEL, ledger.syncCancelsDue());
    }

    static final String TO_CANCEL = "oddsgateSyncToCancel";

    /** A sync that failed: logged, counted, and (once per failing streak) noted in each open order's history. */
    public void failed(Exchange exchange) {
        String venue = exchange.getProperty(VENUE, "unknown", String.class);
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String why = e == null ? "unknown error" : e.getMessage();
        metrics.openOrderSyncFailed(venue);
        LOG.warn("open-order sync with {} failed: {}", venue, why);
        if (failing.put(venue, why) == null) {
            long after = 0;
            for (List<OrderRecord> page = ledger.openAfter(venue, after, PAGE); !page.isEmpty();
                    page = page.size() < PAGE ? List.of() : ledger.openAfter(venue, after, PAGE)) {
                after = page.get(page.size() - 1).id();
                page.forEach(r -> ledger.note(r.id(), "sync", "open-order sync with " + venue + " failed: " + why
                        + " (state as last known)"));
            }
        }
        results(exchange).put(venue, Map.of("error", why));
    }

    /** What each venue's sync found (or why it failed). */
    public Map<String, Object> summary(Exchange exchange) {
        return Map.copyOf(results(exchange));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> results(Exchange exchange) {
        return exchange.getProperty(RESULTS, Map.class);
    }
}
