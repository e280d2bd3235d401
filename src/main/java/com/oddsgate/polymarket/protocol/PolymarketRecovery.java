package com.oddsgate.polymarket.protocol;

import java.math.BigDecimal;
import java.util.Map;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.Set;
import java.util.HashSet;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.fills.Fill;
import com.oddsgate.fills.FillBook;
import com.oddsgate.fills.TradeStatus;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.ledger.RecoveryScan;
import com.oddsgate.order.Decimals;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.VenueOutcome;
import com.oddsgate.venue.ListPage;
import com.oddsgate.venue.VenueReads;

/**
 * Resolves an order whose venue answer was lost: the precomputed order hash is the venue's order
 * id, so {@code GET /data/order/{hash}} tells whether the venue has it. When it does not, the same
 * recorded signed payload is sent again; the venue can never end up with two orders.
 */
public class PolymarketRecovery {

    /** The lookup's reason for an order not open whose every trade FAILED. */
    public static final String TRADES_FAILED = "not open at the venue, and every trade of it (found by order hash, its whole size) FAILED";

    private final PolymarketAccounts accounts;
    private final PolymarketSettings settings;
    private final VenueReads reads;
    private final Clock clock;
    private final PolymarketTrades trades;
    private final FillBook book;
    private final OrderLedger ledger;

    public PolymarketRecovery(PolymarketAccounts accounts, PolymarketSettings settings, VenueReads reads, Clock clock,
            PolymarketTrades trades, FillBook book, OrderLedger ledger) {
        this.accounts = accounts;
        this.settings = settings;
        this.reads = reads;
        this.clock = clock;
        this.trades = trades;
        this.book = book;
        this.ledger = ledger;
    }

    /**
     * The venue's view of the order, or null when the venue has never seen it. {@code /data/order}
     * knows only open orders; one that traded (or traded and was cancelled) is found in the
     * account's trades of its market, whose fills are recorded on the way: MATCHED, or FAILED when
     * every one of its trades FAILED and they add up to its whole size (not open, nothing left to
     * match, nothing traded: no fill of it will ever count; short of its size, a trade of it not
     * listed yet may still count, and its fills decide).
     */
    public VenueOutcome lookup(OrderRecord order) {
        return lookup(accounts.of(order), order.orderHash(), order.market(), order.createdAt().getEpochSecond() - 60, order.size());
    }

    /** The same for an order being sent whose earlier attempt's answer was lost: its trades since it was received. */
    public VenueOutcome lookup(OrderTicket ticket) {
        Instant received = ticket.getReceivedAt() != null ? ticket.getReceivedAt()
                : clock.instant().minus(Duration.ofDays(1));
        return lookup(accounts.of(ticket), ticket.getOrderHash(), ticket.getMarket() == null ? null : ticket.getMarket().conditionId(),
                received.getEpochSecond() - 60, ticket.getOrder() == null ? null : ticket.getOrder().size());
    }

    /** Looked up with the account that signed it: the venue answers for an API key's own orders and trades only. */
    private VenueOutcome lookup(PolymarketAccount account, String orderHash, String market, long since, BigDecimal size) {
        return look(account, orderHash, market, since, size).outcome();
    }

    /** What a lookup found, and how much of the order its trades that count add up to (zero when none, or open). */
    private record Seen(VenueOutcome outcome, BigDecimal traded) {
    }

    private Seen look(PolymarketAccount account, String orderHash, String market, long since, BigDecimal size) {
        VenueOutcome open = lookupOpen(account, orderHash);
        if (open != null || market == null) {
            return new Seen(open, BigDecimal.ZERO);
        }
        List<Fill> fills = trades.fetch(account, "market=" + market + "&after=" + since);
        List<Fill> its = fills.stream().filter(f -> f.venueOrderId().equalsIgnoreCase(orderHash)).toList();
        if (its.isEmpty()) {
            return new Seen(null, BigDecimal.ZERO);
        }
        book.apply(fills, "recovery");
        BigDecimal failed = its.stream().filter(f -> f.status() == TradeStatus.FAILED).map(Fill::size).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal all = its.stream().map(Fill::size).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (failed.compareTo(all) == 0 && size != null && size.subtract(failed).compareTo(Decimals.DUST) < 0) {
            return new Seen(new VenueOutcome(OrderState.FAILED, orderHash, TRADES_FAILED, null), BigDecimal.ZERO);
        }
        return new Seen(new VenueOutcome(OrderState.MATCHED, orderHash, "found in the venue's trades by order hash", null),
                all.subtract(failed));
    }

    /**
     * The start of the reason of a cancel's answer that cannot be decided: the venue no longer holds
     * the order open, and neither its words nor its trades tell a cancel from a match whose trades
     * are not listed yet. The order stays as the ledger has it; the open-order sync decides.
     */
    public static final String UNDECIDED = "not canceled for sure: the venue no longer holds it open, and neither its answer nor"
            + " its trades tell whether it was cancelled or matched";

    /** Whether a cancel's answer is {@link #UNDECIDED}. */
    public static boolean undecided(VenueOutcome outcome) {
        return outcome != null && outcome.reason() != null && outcome.reason().startsWith(UNDECIDED);
    }

    /** What a venue's reason for not cancelling says of the order. */
    enum Says { TRADED, CANCELLED, NOTHING }

    /**
     * "… it is matched" says traded; "… it is canceled" / "already cancelled" says cancelled; the
     * venue's "order can't be found - already canceled or matched" (its words for any order off its
     * book), "order not found", or both, say nothing. "Can't be canceled" is not "canceled".
     */
    static Says says(String why) {
        String r = why == null ? "" : why.toLowerCase(Locale.ROOT);
        if (r.contains("canceled or matched") || r.contains("cancelled or matched")) {
            return Says.NOTHING;
        }
        boolean traded = r.contains("matched") || r.contains("filled");
        boolean cancelled = CANCELLED_WORDS.matcher(r).find();
        return traded == cancelled ? Says.NOTHING : traded ? Says.TRADED : Says.CANCELLED;
    }

    private static final Pattern CANCELLED_WORDS = Pattern.compile("\\b(is|already|was|been)\\s+cancell?ed\\b");

    /**
     * A cancel the venue answered without cancelling this order ({@code not_canceled}), or whose
     * answer could not be read: looked up, so that the ledger holds the venue's truth now where it
     * can. Still open: not cancelled, with the venue's reason. Its whole size traded, or the venue
     * says matched: its fills tell the state. Off the book, every trade FAILED, or the venue says
     * cancelled: CANCELED (by an earlier attempt of this cancel whose answer was lost, or elsewhere;
     * what traded still counts, and late fills of its whole size move it on to FILLED). Off the book
     * short of its size and the venue's words tell nothing: {@link #UNDECIDED} — a trader is never
     * told "cancelled" of an order that may have matched a moment ago (review). Not readable: not
     * cancelled.
     */
    public VenueOutcome afterNotCanceled(OrderRecord order, String why, String raw) {
        Seen seen;
        try {
            seen = look(accounts.of(order), order.orderHash(), order.market(), order.createdAt().getEpochSecond() - 60, order.size());
        } catch (RuntimeException e) {
            return new VenueOutcome(order.state(), null, "not canceled: " + why + "; the order could not be looked up ("
                    + e.getMessage() + ")", raw);
        }
        VenueOutcome found = seen.outcome();
        if (found != null && (found.state().restingAtVenue() || found.state() == OrderState.UNKNOWN)) {
            return new VenueOutcome(order.state(), null, "not canceled: " + why + "; " + found.reason(), raw);
        }
        if (found != null && found.state() == OrderState.FAILED) {
            // Off the book, its whole size matched and every match failed: no fill will ever tell its state
            // (a venue saying "matched" speaks of those matches).
            return new VenueOutcome(OrderState.CANCELED, null, "the venue answered not canceled (" + why + "); " + found.reason(), raw);
        }
        Says says = says(why);
        boolean whole = order.size() != null && order.size().subtract(seen.traded()).compareTo(Decimals.DUST) < 0;
        if (whole || says == Says.TRADED) {
            return new VenueOutcome(order.state(), null, "not canceled: " + why + "; no longer open at the venue, "
                    + (found != null ? "its trades are recorded" : "its trades not visible yet") + ": its fills tell the state", raw);
        }
        if (says == Says.CANCELLED) {
            return new VenueOutcome(OrderState.CANCELED, null, "the venue answered not canceled (" + why + ") and no longer holds"
                    + " the order open" + (found == null ? ", nor did it trade" : "; its trades are recorded") + ": it left the book"
                    + " (cancelled by an earlier attempt whose answer was lost, or elsewhere)", raw);
        }
        return new VenueOutcome(order.state(), null, UNDECIDED + " (" + why + "; " + (found == null ? "no trade listed"
                : seen.traded().toPlainString() + " of " + order.size().toPlainString() + " traded") + "): the open-order sync"
                + " decides once its trades have had time to be listed", raw);
    }

    /**
     * What the venue holds as matched of an open order ({@code size_matched} of {@code GET
     * /data/order/{hash}}): the matching engine's own figure, which its trades list can trail. Null
     * when the order is not open; throws when the venue cannot be read or its answer does not say.
     */
    public BigDecimal sizeMatched(OrderRecord order) {
        JsonNode open = openOrder(accounts.of(order), order.orderHash());
        if (open == null) {
            return null;
        }
        if (!open.hasNonNull("size_matched")) {
            throw new IllegalStateException("GET /data/order answered the open order without size_matched");
        }
        return new BigDecimal(open.get("size_matched").asText());
    }

    /** The name of the account the order was placed with (the default one for orders recorded without). */
    public String accountName(OrderRecord order) {
        return accounts.of(order).name();
    }

    /**
     * Records the order's trades (those of its market since it was received) as fills: what it traded
     * up to now as the venue tells it, for an amend that places what was left after the cancel. Throws
     * when the venue cannot be read.
     */
    public void recordTrades(OrderRecord order) {
        if (order.market() == null) {
            return;
        }
        book.apply(trades.fetch(accounts.of(order), "market=" + order.market() + "&after=" + (order.createdAt().getEpochSecond() - 60)),
                "amend");
    }

    /**
     * {@code GET /data/order/{hash}}: the open order, or null only when the venue says it has none
     * open (404, or the JSON {@code null} it answers). Anything else — an error status, a CDN page, a
     * body we cannot read — is no answer: it throws, and the order stays unresolved. An unknown
     * status word is an order the venue holds, in a state we cannot name: UNKNOWN, never "not held".
     */
    private VenueOutcome lookupOpen(PolymarketAccount account, String orderHash) {
        JsonNode j = openOrder(account, orderHash);
        if (j == null) {
            return null;
        }
        String status = j.get("status").asText();
        OrderState state = PolymarketAnswers.placementState(status);
        if (state == null) {
            return new VenueOutcome(OrderState.UNKNOWN, orderHash, "held at the venue with an unknown status '" + status
                    + "'; looked up again later", ApiKeyFields.removed(j).toString());
        }
        return new VenueOutcome(state, orderHash, FOUND_BY_STATUS + status + ")", ApiKeyFields.removed(j).toString());
    }

    private static final String FOUND_BY_STATUS = "found at the venue by order hash (status ";

    /** Whether a lookup's answer is the order object's own status word (not a conclusion from its trades). */
    public static boolean saidByItsStatus(VenueOutcome seen) {
        return seen.reason() != null && seen.reason().startsWith(FOUND_BY_STATUS);
    }

    /** The open order as {@code GET /data/order/{hash}} answers it (with its status), null when not open; throws when unreadable. */
    private JsonNode openOrder(PolymarketAccount account, String orderHash) {
        VenueReads.Response r = reads.get("polymarket-order", Map.of("orderHash", orderHash), "", account.l2(clock));
        if (r.status() == 404) {
            return null;
        }
        JsonNode j = r.json();
        if (!r.ok() || j == null || (!j.isNull() && !j.hasNonNull("status"))) {
            // What it said is kept out of the message (it goes to histories and logs): an order object names our API key.
            String shown = j != null && j.isObject() ? ApiKeyFields.removed(j).toString() : r.body() == null ? "" : r.body();
            throw new IllegalStateException("order lookup answered HTTP " + r.status() + " without a readable order: "
                    + shown.substring(0, Math.min(200, shown.length())));
        }
        return j.isNull() ? null : j;
    }

    /**
     * The hashes of every open order of every account (lower case): only the ids are kept, so that
     * a sync of a book with very many open orders stays small in memory.
     */
    public Set<String> openOrderHashes() {
        Set<String> out = new HashSet<>();
        accounts.all().forEach(a -> openOrders(a, (hash, o) -> out.add(hash)));
        return out;
    }

    /** Every open order of one account ({@code GET /data/orders}, cursor paging MA== … LTE=), page by page: hash, order. */
    public void openOrders(PolymarketAccount account, BiConsumer<String, JsonNode> each) {
        String cursor = "MA==";
        for (int page = 0; !"LTE=".equals(cursor); page++) {
            if (page == 10_000) {
                // Better no answer than a partial list (each order missing from it would be looked up one by one).
                throw new IllegalStateException("GET /data/orders did not end after 10,000 pages");
            }
            VenueReads.Response r = reads.get("polymarket-open-orders", Map.of(), "next_cursor=" + URLEncoder.encode(cursor,
                    StandardCharsets.UTF_8), account.l2(clock));
            if (!r.ok() || r.json() == null) {
                throw new IllegalStateException("GET /data/orders answered HTTP " + r.status());
            }
            ListPage.items(r.json(), "data", "GET /data/orders").forEach(o -> each.accept(o.path("id").asText().toLowerCase(Locale.ROOT), o));
            String next = ListPage.cursor(r.json(), "next_cursor", "GET /data/orders");
            if (next.equals(cursor)) {
                throw new IllegalStateException("GET /data/orders returned the same cursor twice");
            }
            cursor = next.isEmpty() ? "LTE=" : next;
        }
    }

    /**
     * The answer to a re-send of the recorded bytes, after the venue said the order is neither open
     * nor traded: "Duplicated" means the venue has seen this very signature. It is looked up once
     * more (another re-send of the same bytes may have placed it meanwhile): open or traded as found;
     * else it was placed and has left the book without trading — cancelled there. A refusal of the
     * re-send is not final either (see the code): CANCELED, not REJECTED.
     */
    public VenueOutcome afterResend(VenueOutcome answer, OrderRecord order) {
        if (answer != null && answer.state() == OrderState.REJECTED) {
            // One that matched at once is no longer open and its trades can trail the match.
            return RecoveryScan.afterRefusedResend(answer);
        }
        if (answer != null && answer.state() == OrderState.UNKNOWN && answer.reason() != null
                && answer.reason().contains("duplicated")) {
            // Another re-send of the same bytes (another instance, a replay) may have placed it just now.
            VenueOutcome again = lookup(order);
            if (again != null) {
                return again;
            }
            return new VenueOutcome(OrderState.CANCELED, answer.venueOrderId(), "the venue knows this signed order "
                    + PolymarketAnswers.HELD + " but holds it neither open nor traded: it was cancelled at the venue", answer.rawAnswer());
        }
        return answer;
    }

    /**
     * Before a re-send: an order whose very bytes the venue once answered "Duplicated" to (it held
     * them) and that the lookup finds neither open nor traded was placed and has left the book —
     * cancelled there. It is not re-sent (a refusal of the re-send, say for another order version,
     * would tell nothing about it). Anything else: the lookup's answer as it was.
     */
    public VenueOutcome heldOnce(VenueOutcome seen, OrderRecord order) {
        if (seen == null && heldBefore(order)) {
            return new VenueOutcome(OrderState.CANCELED, order.orderHash(), "the venue held this signed order "
                    + PolymarketAnswers.HELD + " but holds it neither open nor traded: it was cancelled at the venue", null);
        }
        return seen;
    }

    /**
     * Whether the venue ever answered these bytes "Duplicated": in the order's reason, or anywhere in
     * its history — a later reason (a look that found it not yet gone, a sync's note) must not make
     * recovery forget it and send the bytes once more.
     */
    private boolean heldBefore(OrderRecord order) {
        if (order.reason() != null && order.reason().contains(PolymarketAnswers.HELD)) {
            return true;
        }
        return ledger != null && ledger.historySays(order.id(), PolymarketAnswers.HELD);
    }

    /** A ticket that re-sends exactly what was recorded. */
    public OrderTicket resend(OrderRecord order) {
        return OrderTicket.resend(order.id(), order.orderHash(), order.signedPayload(), accounts.of(order).name());
    }
}
