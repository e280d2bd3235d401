package com.oddsgate.ledger;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

import com.oddsgate.order.CanonicalOrder;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.VenueOutcome;

/**
 * The orders ledger: every request leaves a row, every state change an event, and nothing is sent
 * to a venue before its signed intent is here. State changes are compare-and-set on the current
 * state, so two writers can never both move an order.
 */
public class OrderLedger {

    /**
     * An order as read: its row and its fill sums, kept apart (V17) since fills change them often; it
     * was last updated when either changed (H2's GREATEST is NULL when one side is, PostgreSQL's not).
     */
    private static final String COLUMNS = "id, COALESCE(client_order_id, released_client_order_id) AS client_order_id, source, venue, market, token_id, outcome, side, price,"
            + " size, order_type, time_in_force, expiration, post_only, reduce_only, state, venue_order_id, order_hash,"
            + " signed_payload, reason, created_at, COALESCE(GREATEST(updated_at, filled_at), updated_at) AS updated_at, COALESCE(filled_size, 0) AS filled_size,"
            + " avg_fill_price, replaces_order_id, account";

    /** Orders with their fill sums; the columns of both tables are named apart, so none needs a table's name. */
    public static final String ORDERS = "orders LEFT JOIN order_fills ON order_id = id";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final LedgerListener listener;

    /** The gateway instance that records orders here (see InstanceLease); null in tools that only read. */
    private volatile String owner;

    public void ownedBy(String instance) {
        this.owner = instance;
    }

    /** How a write (a few statements that belong together) is made durable: its own transaction, or a group commit. */
    @FunctionalInterface
    public interface Writes {
        void run(Runnable work);
    }

    private volatile Writes writes;

    /** Writes of concurrent orders share commits from now on (see {@link GroupCommit}). */
    public void committedBy(GroupCommit group) {
        this.writes = group::run;
    }

    public OrderLedger(JdbcTemplate jdbc, TransactionTemplate tx, Clock clock, LedgerListener listener) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.listener = listener;
        this.writes = work -> tx.executeWithoutResult(s -> work.run());
    }

    /**
     * Records a new request as RECEIVED, or, when its clientOrderId is known, marks the ticket as a
     * duplicate of the existing order and notes the repeat in that order's history.
     */
    public OrderTicket recordReceived(OrderTicket t) {
        CanonicalOrder o = t.getOrder();
        Optional<OrderRecord> existing = findByClientOrderId(o.clientOrderId());
        if (existing.isPresent()) {
            return markDuplicate(t, existing.get());
        }
        try {
            writes.run(() -> {
                Instant now = clock.instant();
                GeneratedKeyHolder keys = new GeneratedKeyHolder();
                jdbc.update(con -> {
                    var ps = con.prepareStatement("INSERT INTO orders (client_order_id, source, venue, market, token_id,"
                            + " outcome, side, price, size, order_type, time_in_force, expiration, post_only, state,"
                            + " raw_request, created_at, updated_at, reduce_only, owner, account) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                            new String[] {"id"});
                    ps.setString(1, o.clientOrderId());
                    ps.setString(2, t.getSource());
                    ps.setString(3, o.venue());
                    ps.setString(4, o.market());
                    ps.setString(5, o.tokenId());
                    ps.setString(6, name(o.outcome()));
                    ps.setString(7, name(o.side()));
                    ps.setBigDecimal(8, o.price());
                    ps.setBigDecimal(9, o.size());
                    ps.setString(10, name(o.type()));
                    ps.setString(11, name(o.timeInForce()));
                    ps.setObject(12, o.expiration());
                    ps.setBoolean(13, o.postOnly());
                    ps.setString(14, OrderState.RECEIVED.name());
                    ps.setString(15, storable(t.getRaw()));
                    ps.setTimestamp(16, Timestamp.from(now));
                    ps.setTimestamp(17, Timestamp.from(now));
                    ps.setBoolean(18, o.reduceOnly());
                    ps.setString(19, owner);
                    ps.setString(20, o.account());
                    return ps;
                }, keys);
                long id = keys.getKey().longValue();
                t.setOrderId(id);
                t.setReceivedAt(now);
                event(id, now, null, OrderState.RECEIVED, t.getSource(), null, null);
                if (t.getReplacesOrderId() != null) {
                    jdbc.update("UPDATE orders SET replaces_order_id = ? WHERE id = ?", t.getReplacesOrderId(), id);
                    note(t.getReplacesOrderId(), "api-amend", "replaced by order " + id);
                }
            });
        } catch (DuplicateKeyException race) {
            // The same clientOrderId arrived concurrently; the other request owns the order.
            Optional<OrderRecord> same = findByClientOrderId(o.clientOrderId());
            if (same.isPresent()) {
                return markDuplicate(t, same.get());
            }
            // Or another amend of the same order placed its replacement first (an order is replaced once).
            List<Long> first = t.getReplacesOrderId() == null ? List.of() : replacementsOf(t.getReplacesOrderId());
            if (first.isEmpty()) {
                throw race;
            }
            return markDuplicate(t, find(first.get(0)).orElseThrow(), "another amend of order " + t.getReplacesOrderId()
                    + " (clientOrderId " + o.clientOrderId() + ") arrived while this one replaced it; answered with this order,"
                    + " no venue call");
        }
        listener.recorded(t.getSource());
        return t;
    }

    private OrderTicket markDuplicate(OrderTicket t, OrderRecord existing) {
        return markDuplicate(t, existing, "same clientOrderId received again; answered with the existing order, no venue call");
    }

    private OrderTicket markDuplicate(OrderTicket t, OrderRecord existing, String why) {
        t.setDuplicate(true);
        t.setOrderId(existing.id());
        event(existing.id(), clock.instant(), existing.state(), existing.state(), t.getSource(), why, null);
        return t;
    }

    /** RECEIVED → REJECTED (or PENDING_SUBMIT/UNKNOWN → REJECTED) with the violations as reason. */
    public void reject(long orderId, OrderRejectedException e, String source) {
        OrderRecord r = find(orderId).orElseThrow();
        transition(orderId, r.state(), OrderState.REJECTED, source, e.getMessage(), null, null);
    }

    /**
     * A RECEIVED order that passed the risk limits: its resolved market, token, outcome and account
     * written now (not only with its signed intent), so that the limits on positions count it, and
     * when (by the ledger's clock: every gateway on the ledger counts it while RECEIVED), but only if
     * {@code first}, asked in the same transaction, says yes; whether it did.
     */
    public boolean recordInstrument(OrderTicket t, BooleanSupplier first) {
        CanonicalOrder o = t.getOrder();
        boolean[] recorded = {false};
        writes.run(() -> {
            // A no writes nothing: the group this write shares a transaction with commits as it is.
            recorded[0] = first.getAsBoolean();
            if (recorded[0]) {
                jdbc.update("UPDATE orders SET market = ?, token_id = ?, outcome = ?, account = ?, risk_admitted_at = CURRENT_TIMESTAMP"
                        + " WHERE id = ? AND state = ?", o.market(), o.tokenId(), name(o.outcome()), o.account(), t.getOrderId(),
                        OrderState.RECEIVED.name());
            }
        });
        return recorded[0];
    }

    /**
     * Records the signed order (PENDING_SUBMIT) with its resolved market, token and account; the
     * exact signed payload before any send.
     */
    public void recordIntent(OrderTicket t) {
        CanonicalOrder o = t.getOrder();
        Instant now = clock.instant();
        writes.run(() -> {
            int n = jdbc.update("UPDATE orders SET state = ?, market = ?, token_id = ?, outcome = ?, order_hash = ?,"
                    + " signed_payload = ?, updated_at = ?, account = ? WHERE id = ? AND state = ?",
                    OrderState.PENDING_SUBMIT.name(), o.market(), o.tokenId(), name(o.outcome()), t.getOrderHash(),
                    t.getSignedPayload(), Timestamp.from(now), o.account(), t.getOrderId(), OrderState.RECEIVED.name());
            if (n != 1) {
                throw new IllegalStateException("order " + t.getOrderId() + " is no longer RECEIVED");
            }
            event(t.getOrderId(), now, OrderState.RECEIVED, OrderState.PENDING_SUBMIT, "gateway",
                    "signed; order hash " + t.getOrderHash(), null);
        });
        listener.moved(OrderState.RECEIVED, OrderState.PENDING_SUBMIT, "gateway", null);
    }

    /**
     * The venue refused the signed order for its protocol version and it was signed again for the
     * version the venue expects: the new hash and bytes replace the refused ones before they are sent.
     */
    public void recordResigned(OrderTicket t, String supersededHash) {
        Instant now = clock.instant();
        writes.run(() -> {
            int n = jdbc.update("UPDATE orders SET order_hash = ?, signed_payload = ?, updated_at = ? WHERE id = ? AND state = ?",
                    t.getOrderHash(), t.getSignedPayload(), Timestamp.from(now), t.getOrderId(), OrderState.PENDING_SUBMIT.name());
            if (n != 1) {
                throw new IllegalStateException("order " + t.getOrderId() + " is no longer PENDING_SUBMIT");
            }
            event(t.getOrderId(), now, OrderState.PENDING_SUBMIT, OrderState.PENDING_SUBMIT, "gateway",
                    "venue refused order version of " + supersededHash + "; signed again for the venue's version: order hash "
                            + t.getOrderHash(), null);
        });
    }

    /** The orders that replaced this one (amends), oldest first. */
    public List<Long> replacementsOf(long orderId) {
        return jdbc.queryForList("SELECT id FROM orders WHERE replaces_order_id = ? ORDER BY id", Long.class, orderId);
    }

    /**
     * Orders that may rest at a venue (LIVE, DELAYED, PARTIALLY_FILLED), optionally of one market
     * and/or outcome token, oldest first.
     */
    public List<OrderRecord> open(String venue, String market, String tokenId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM " + ORDERS + " WHERE state IN ('LIVE', 'DELAYED', 'PARTIALLY_FILLED')");
        List<Object> args = new ArrayList<>();
        if (venue != null) {
            sql.append(" AND venue = ?");
            args.add(venue);
        }
        if (market != null) {
            sql.append(" AND market = ?");
            args.add(market);
        }
        if (tokenId != null) {
            sql.append(" AND token_id = ?");
            args.add(tokenId);
        }
        sql.append(" ORDER BY id LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), ORDER, args.toArray());
    }

    /** The states an order may rest at a venue in, each read as its own index range (OPEN_AFTER, missingSince). */
    private static final List<String> RESTING = Stream.of(OrderState.values()).filter(OrderState::restingAtVenue).map(Enum::name).toList();

    /**
     * One page of a venue's orders that may rest there (LIVE, DELAYED, PARTIALLY_FILLED), after an
     * id, oldest first: a sync walks them page by page, however many there are.
     */
    public List<OrderRecord> openAfter(String venue, long afterId, int limit) {
        List<Object> args = new ArrayList<>();
        RESTING.forEach(state -> args.addAll(List.of(venue, afterId, limit)));
        args.add(limit);
        return jdbc.query(OPEN_AFTER, ORDER, args.toArray());
    }

    /**
     * One indexed range per resting state, {@code (venue, state, id)}, in one statement (one
     * snapshot), each read in the index's order so that H2 stops at the page's end (ordered by
     * {@code id} alone it reads the whole range and sorts it): with {@code state IN (...)} H2 used only
     * the index's venue and read every order the venue ever had — ended ones too — on each page of
     * each sync, so a sync's cost grew with the ledger and with the square of the open book.
     */
    static final String OPEN_AFTER = "SELECT * FROM (" + RESTING.stream()
            .map(state -> "(SELECT " + COLUMNS + " FROM " + ORDERS + " WHERE venue = ? AND state = '" + state + "' AND id > ? ORDER BY venue, state, id LIMIT ?)")
            .collect(Collectors.joining(" UNION ALL ")) + ") o ORDER BY id LIMIT ?";

    /**
     * Applies a venue's answer to an order that was sent (or may have been). A fill can move the
     * order while its answer is on the way; that race is re-read, never a failure. True when this
     * answer moved the order (to its state); false when it was there already or could not go there.
     */
    public boolean recordOutcome(long orderId, VenueOutcome outcome, String source) {
        return recordOutcome(orderId, outcome, source, null);
    }

    /**
     * What recovery found, written only while this instance owns the order — checked in the very
     * UPDATE, so an instance that stalled between its fence and its write (a pause, a slow ledger)
     * cannot write a stale "not at the venue" over what the order's new owner found. Taken over: the
     * finding goes to the order's history only (a "(duplicated)" there still tells the new owner the
     * venue held those bytes) and {@link InstanceLease.LeaseLapsed} is thrown.
     */
    public boolean recordRecovered(long orderId, VenueOutcome outcome) {
        if (owner == null) {
            return recordOutcome(orderId, outcome, "recovery");
        }
        try {
            return recordOutcome(orderId, outcome, "recovery", owner);
        } catch (InstanceLease.LeaseLapsed takenOver) {
            OrderRecord r = find(orderId).orElseThrow();
            event(orderId, clock.instant(), r.state(), r.state(), "recovery", "found by an instance that no longer owns it, not"
                    + " recorded as its state: " + outcome.state() + " (" + outcome.reason() + ")", outcome.rawAnswer());
            throw takenOver;
        }
    }

    private boolean recordOutcome(long orderId, VenueOutcome outcome, String source, String fencedOwner) {
        for (int attempt = 1; ; attempt++) {
            OrderRecord r = find(orderId).orElseThrow();
            if (r.state().filling() && (outcome.state().placed()
                    || (r.state() == OrderState.FILLED && outcome.state() == OrderState.PARTIALLY_FILLED))) {
                // Fills (WebSocket, polling) already told more than this answer — a placement answer, or one read
                // before the last fills (a lookup's "resting, 4 of 10 filled"): keep them. Only the fills' own
                // roll-up takes a FILLED order back (trades FAILED), never a venue answer that is older than they are.
                jdbc.update("UPDATE orders SET venue_order_id = COALESCE(?, venue_order_id), updated_at = ? WHERE id = ?",
                        outcome.venueOrderId(), Timestamp.from(clock.instant()), orderId);
                event(orderId, clock.instant(), r.state(), r.state(), source, "venue answered " + outcome.state()
                        + " after its fills arrived: " + outcome.reason(), outcome.rawAnswer());
                return false;
            }
            if (r.state() == outcome.state()) {
                // Repeated news (e.g. an unresolved order polled again) is written once.
                if (!Objects.equals(r.reason(), truncate(outcome.reason()))) {
                    if (jdbc.update("UPDATE orders SET reason = ?, updated_at = ? WHERE id = ?" + ownerClause(fencedOwner),
                            fenced(fencedOwner, truncate(outcome.reason()), Timestamp.from(clock.instant()), orderId)) != 1) {
                        throw takenOver(orderId);
                    }
                    event(orderId, clock.instant(), r.state(), r.state(), source, outcome.reason(), outcome.rawAnswer());
                }
                return false;
            }
            if (!r.state().canBecome(outcome.state())) {
                // News that would move the order backwards (an unknown status word about a LIVE order, a
                // late answer after its fills): kept in its history, the state stays what the ledger knows.
                event(orderId, clock.instant(), r.state(), r.state(), source, "venue said " + outcome.state() + " ("
                        + outcome.reason() + "); kept " + r.state(), outcome.rawAnswer());
                return false;
            }
            try {
                transition(orderId, r.state(), outcome.state(), source, outcome.reason(), outcome.rawAnswer(),
                        outcome.venueOrderId(), fencedOwner);
                return true;
            } catch (ConcurrentChangeException raced) {
                if (attempt >= 3) {
                    throw raced;
                }
            }
        }
    }

    /** The extra condition of a write made only while {@code owner} (when given) owns the order. */
    private static String ownerClause(String owner) {
        return owner == null ? "" : " AND owner = ?";
    }

    private static Object[] fenced(String owner, Object... args) {
        if (owner == null) {
            return args;
        }
        Object[] out = Arrays.copyOf(args, args.length + 1);
        out[args.length] = owner;
        return out;
    }

    private static InstanceLease.LeaseLapsed takenOver(long orderId) {
        return new InstanceLease.LeaseLapsed("order " + orderId + " was taken over by another instance: what recovery found here"
                + " is not recorded as its state");
    }

    /** Another writer moved the order between our read and our compare-and-set. */
    public static class ConcurrentChangeException extends IllegalStateException {
        ConcurrentChangeException(String message) {
            super(message);
        }
    }

    /** Moves an order; refuses a move the state machine forbids or that lost a race. */
    public void transition(long orderId, OrderState from, OrderState to, String source, String reason, String answer,
            String venueOrderId) {
        transition(orderId, from, to, source, reason, answer, venueOrderId, null);
    }

    private void transition(long orderId, OrderState from, OrderState to, String source, String reason, String answer,
            String venueOrderId, String fencedOwner) {
        if (!from.canBecome(to)) {
            throw new IllegalStateException("order " + orderId + " cannot go from " + from + " to " + to);
        }
        Instant now = clock.instant();
        writes.run(() -> {
            // A move forgets when the order was first found off the venue's book (V23): a later look starts afresh.
            int n = jdbc.update("UPDATE orders SET state = ?, reason = ?, venue_order_id = COALESCE(?, venue_order_id),"
                    + " updated_at = ?, missing_since = NULL WHERE id = ? AND state = ?" + ownerClause(fencedOwner),
                    fenced(fencedOwner, to.name(), truncate(reason), venueOrderId, Timestamp.from(now), orderId, from.name()));
            if (n != 1) {
                if (fencedOwner != null && !fencedOwner.equals(jdbc.queryForObject("SELECT owner FROM orders WHERE id = ?",
                        String.class, orderId))) {
                    throw takenOver(orderId);
                }
                throw new ConcurrentChangeException("order " + orderId + " is no longer " + from);
            }
            event(orderId, now, from, to, source, reason, answer);
            if (from == OrderState.RECEIVED && to == OrderState.REJECTED) {
                releaseClientOrderId(orderId, now);
            }
        });
        listener.moved(from, to, source, reason);
    }

    /**
     * Refused before it was signed, the order never reached a venue: its clientOrderId is released,
     * so a retry of the same request (once the balance is readable again, the rate limit has room,
     * the heartbeats are back) is placed instead of being answered with this refusal.
     */
    private void releaseClientOrderId(long orderId, Instant now) {
        if (jdbc.update("UPDATE orders SET released_client_order_id = client_order_id, client_order_id = NULL"
                + " WHERE id = ? AND client_order_id IS NOT NULL AND signed_payload IS NULL", orderId) == 1) {
            event(orderId, now, OrderState.REJECTED, OrderState.REJECTED, "gateway",
                    "clientOrderId released: nothing was sent, the same id may be sent again", null);
        }
    }

    /**
     * The fills' move ({@link OrderState#canBecomeByFills}): an order still in {@code from}, inside the
     * caller's transaction; false when another writer moved it first (the caller's next pass sees the new state).
     */
    public boolean moveIfStill(long orderId, OrderState from, OrderState to, String source, String reason) {
        if (!from.canBecomeByFills(to)) {
            return false;
        }
        Instant now = clock.instant();
        if (jdbc.update("UPDATE orders SET state = ?, updated_at = ?, missing_since = NULL WHERE id = ? AND state = ?", to.name(),
                Timestamp.from(now), orderId, from.name()) != 1) {
            return false;
        }
        event(orderId, now, from, to, source, reason, null);
        listener.moved(from, to, source, reason);
        return true;
    }

    /**
     * An order's filled size, the sum of size x price and the average fill price, as its fills that
     * count add up; {@code wasSize} and {@code wasNotional} are what the caller read before.
     */
    public record Filled(long orderId, BigDecimal size, BigDecimal notional, BigDecimal averagePrice, BigDecimal wasSize,
            BigDecimal wasNotional) {
    }

    /**
     * The fill book's roll-up of orders' fills (in the caller's transaction): one batch, each row
     * written only if its sums are still what the caller read. Returns the orders that had moved on
     * (another writer in between): not written, to be read again.
     */
    public List<Long> recordFilled(List<Filled> figures) {
        if (figures.isEmpty()) {
            return List.of();
        }
        Timestamp now = Timestamp.from(clock.instant());
        int[] written = jdbc.batchUpdate("UPDATE order_fills SET filled_size = ?, filled_notional = ?, avg_fill_price = ?, filled_at = ?"
                + " WHERE order_id = ? AND filled_size = ? AND filled_notional = ?", figures.stream().map(f -> new Object[] {f.size(),
                        f.notional(), f.averagePrice(), now, f.orderId(), f.wasSize(), f.wasNotional()}).toList());
        List<Long> movedOn = new ArrayList<>();
        List<Filled> first = new ArrayList<>();
        for (int i = 0; i < written.length; i++) {
            Filled f = figures.get(i);
            if (written[i] == 1) {
                continue;
            }
            if (written[i] != 0) {
                // A driver that cannot tell (SUCCESS_NO_INFO): "moved on" would read again in this
                // transaction, see its own write, and add the change twice. H2 and pgjdbc tell.
                throw new IllegalStateException("the database did not report whether order " + f.orderId() + "'s sums were written");
            }
            if (f.wasSize().signum() == 0 && f.wasNotional().signum() == 0) {
                first.add(f); // read as no sums yet: its first fills, unless a row came meanwhile
            } else {
                movedOn.add(f.orderId());
            }
        }
        if (!first.isEmpty()) {
            // Only where no row is: one written by another writer since the caller's read is not overwritten.
            int[] inserted = jdbc.batchUpdate("INSERT INTO order_fills (order_id, filled_size, filled_notional, avg_fill_price, filled_at)"
                    + " SELECT CAST(? AS BIGINT), CAST(? AS NUMERIC(24, 6)), CAST(? AS NUMERIC(38, 12)), CAST(? AS NUMERIC(18, 10)),"
                    + " CAST(? AS TIMESTAMP WITH TIME ZONE) WHERE NOT EXISTS (SELECT 1 FROM order_fills WHERE order_id = ?)",
                    first.stream().map(f -> new Object[] {f.orderId(), f.size(), f.notional(), f.averagePrice(), now, f.orderId()})
                            .toList());
            for (int i = 0; i < inserted.length; i++) {
                if (inserted[i] == 0) {
                    movedOn.add(first.get(i).orderId());
                } else if (inserted[i] != 1) {
                    throw new IllegalStateException("the database did not report whether order " + first.get(i).orderId()
                            + "'s first sums were written");
                }
            }
        }
        return movedOn;
    }

    /** The venue told us the id of an order whose placement answer we never read: kept, and noted. */
    public void learnVenueOrderId(long orderId, String venueOrderId, String how) {
        if (jdbc.update("UPDATE orders SET venue_order_id = ? WHERE id = ? AND venue_order_id IS NULL", venueOrderId, orderId) == 1) {
            note(orderId, "gateway", "venue order id " + venueOrderId + " " + how);
        }
    }

    /**
     * A RECEIVED order given its venue by the gateway (a best-venue order): the venue, market, token
     * and outcome it will be placed as, and why, in its history. Before anything is signed.
     */
    public void rehome(long orderId, CanonicalOrder o, String source, String why) {
        writes.run(() -> {
            int n = jdbc.update("UPDATE orders SET venue = ?, market = ?, token_id = ?, outcome = ?, updated_at = ? WHERE id = ?"
                    + " AND state = 'RECEIVED'", o.venue(), o.market(), o.tokenId(), name(o.outcome()), Timestamp.from(clock.instant()),
                    orderId);
            if (n != 1) {
                throw new ConcurrentChangeException("order " + orderId + " is no longer RECEIVED: its venue cannot change");
            }
            event(orderId, clock.instant(), OrderState.RECEIVED, OrderState.RECEIVED, source, why, null);
        });
    }

    /** Notes something in an order's history without changing its state (caller's transaction). */
    public void note(long orderId, String source, String detail) {
        find(orderId).ifPresent(r -> event(orderId, clock.instant(), r.state(), r.state(), source, detail, null));
    }

    public Optional<OrderRecord> find(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM " + ORDERS + " WHERE id = ?", ORDER, id).stream().findFirst();
    }

    /** The order a venue names by its id (Kalshi) or its order hash (Polymarket), if it is ours. */
    public Optional<OrderRecord> findByVenueOrder(String venue, String venueOrderId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM " + ORDERS + " WHERE venue = ? AND (venue_order_id = ? OR LOWER(order_hash) = ?)",
                ORDER, venue, venueOrderId, venueOrderId.toLowerCase(Locale.ROOT)).stream().findFirst();
    }

    /**
     * Orders of a venue, named by their order hashes (Polymarket) or venue ids (Kalshi), that the
     * ledger holds as ended without filling: CANCELED, REJECTED, UNMATCHED, FAILED. For the open-order
     * sync, when the venue lists such an order open (see {@link #reopen}).
     */
    public List<OrderRecord> endedAmong(String venue, Collection<String> keys, boolean byOrderHash) {
        List<OrderRecord> out = new ArrayList<>();
        List<String> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += 500) {
            List<String> part = all.subList(from, Math.min(all.size(), from + 500));
            String marks = String.join(",", Collections.nCopies(part.size(), "?"));
            List<Object> args = new ArrayList<>(List.of(venue));
            args.addAll(part);
            out.addAll(jdbc.query("SELECT " + COLUMNS + " FROM " + ORDERS + " WHERE venue = ? AND " + (byOrderHash ? "order_hash" : "venue_order_id")
                    + " IN (" + marks + ") AND state IN ('CANCELED', 'REJECTED', 'UNMATCHED', 'FAILED')", ORDER, args.toArray()));
        }
        return out;
    }

    /**
     * Ended orders of {@code venue} the ledger knows no venue id for, among these client order ids
     * (Kalshi echoes ours as client_order_id): orders whose placement answer was never read.
     */
    public List<OrderRecord> endedWithoutVenueOrderIdAmong(String venue, Collection<String> clientOrderIds) {
        List<OrderRecord> out = new ArrayList<>();
        List<String> all = new ArrayList<>(clientOrderIds);
        for (int from = 0; from < all.size(); from += 500) {
            List<String> part = all.subList(from, Math.min(all.size(), from + 500));
            List<Object> args = new ArrayList<>(List.of(venue));
            args.addAll(part);
            out.addAll(jdbc.query("SELECT " + COLUMNS + " FROM " + ORDERS + " WHERE venue = ? AND venue_order_id IS NULL AND client_order_id IN ("
                    + String.join(",", Collections.nCopies(part.size(), "?")) + ") AND state IN (" + ENDED + ")", ORDER, args.toArray()));
        }
        return out;
    }

    /**
     * The one move against {@link OrderState#canBecome}: an order the ledger ended (CANCELED,
     * REJECTED, UNMATCHED, FAILED) on evidence that proved wrong — a lookup that missed it, a list
     * that trailed — and that the venue, asked by the open-order sync, holds open. It goes back to
     * {@code to} (LIVE, or PARTIALLY_FILLED when some of it traded), compare-and-set on the ended state
     * and on nothing written to the order since {@code untouchedSince} (a cancel's answer recorded
     * meanwhile, even one that leaves the state as it was, means the venue has moved on).
     */
    public void reopen(long orderId, OrderState from, OrderState to, Instant untouchedSince, boolean cancelAfter, String source,
            String reason, String answer) {
        if (!from.ended() || !to.restingAtVenue()) {
            throw new IllegalStateException("order " + orderId + " cannot be reopened from " + from + " to " + to);
        }
        Instant now = clock.instant();
        writes.run(() -> {
            if (jdbc.update("UPDATE orders SET state = ?, reason = ?, updated_at = ?, missing_since = NULL WHERE id = ? AND state = ?"
                    + " AND updated_at < ?", to.name(),
                    truncate(reason), Timestamp.from(now), orderId, from.name(), Timestamp.from(untouchedSince)) != 1) {
                throw new ConcurrentChangeException("order " + orderId + " is no longer " + from + " as it was before " + untouchedSince);
            }
            if (cancelAfter) {
                // Kept until it has left the book: a cancel that fails is tried again by the next sync.
                jdbc.update("DELETE FROM sync_cancels WHERE order_id = ?", orderId);
                jdbc.update("INSERT INTO sync_cancels (order_id, since) VALUES (?, ?)", orderId, Timestamp.from(now));
            }
            event(orderId, now, from, to, source, reason, answer);
        });
        listener.moved(from, to, source, reason);
    }

    /**
     * The orders the sync reopened that were not meant to rest, and those a trader asked to cancel
     * while their placement's answer was unknown ({@link #askCancel}), that rest at the venue as the
     * ledger knows now (LIVE, DELAYED, PARTIALLY_FILLED), oldest first; reopened ones that have left
     * the book are struck off.
     */
    public List<Long> syncCancelsDue() {
        jdbc.update("DELETE FROM sync_cancels WHERE NOT EXISTS (SELECT 1 FROM orders WHERE orders.id = sync_cancels.order_id"
                + " AND orders.state IN ('LIVE', 'DELAYED', 'PARTIALLY_FILLED'))");
        // An asked one found off the book (missing_since) is not sent for again while it is in question: the sync decides
        // it (CANCELED), or finds it on the book again (missing_since cleared) and cancels it then.
        return jdbc.queryForList("SELECT order_id FROM sync_cancels UNION SELECT id FROM orders WHERE state IN ('LIVE', 'DELAYED',"
                + " 'PARTIALLY_FILLED') AND cancel_asked_at IS NOT NULL AND missing_since IS NULL ORDER BY 1", Long.class);
    }

    /**
     * A cancel asked for an order whose placement's answer is unknown (PENDING_SUBMIT, UNKNOWN),
     * written before any venue call: from now on it is never sent again — recovery holds it back
     * ({@link #cancelAsked}), and so does the last gate before every placement send, on any instance
     * — and wherever it turns out to rest it is cancelled (recovery, {@link #syncCancelsDue}). Noted in
     * its history. False when the order is no longer unresolved (nothing written).
     */
    public boolean askCancel(long orderId, String source, String detail) {
        boolean[] asked = {false};
        writes.run(() -> {
            asked[0] = false; // a group that failed runs its writes again, one by one
            OrderRecord r = find(orderId).orElseThrow();
            Instant now = clock.instant();
            if (!r.state().unresolved() || jdbc.update("UPDATE orders SET cancel_asked_at = COALESCE(cancel_asked_at, ?) WHERE id = ?"
                    + " AND state = ?", Timestamp.from(now), orderId, r.state().name()) != 1) {
                return;
            }
            event(orderId, now, r.state(), r.state(), source, detail, null);
            asked[0] = true;
        });
        return asked[0];
    }

    /**
     * A cancel the venue could not be seen to carry out (the order off its book, cancelled or matched
     * it cannot say) is kept as asked on a resting order too: the open-order sync cancels it wherever
     * it turns up resting ({@link #syncCancelsDue}), and, ended and found open again, it is not taken
     * for meant to rest. Noted in its history once; false when the order no longer rests in the ledger
     * or was asked already.
     */
    public boolean askCancelResting(long orderId, String source, String detail) {
        boolean[] asked = {false};
        writes.run(() -> {
            asked[0] = false; // a group that failed runs its writes again, one by one
            Instant now = clock.instant();
            // Whichever resting state it is in now (a fill may have moved it since it was read); noted once.
            if (jdbc.update("UPDATE orders SET cancel_asked_at = ? WHERE id = ? AND state IN ('LIVE', 'DELAYED', 'PARTIALLY_FILLED')"
                    + " AND cancel_asked_at IS NULL", Timestamp.from(now), orderId) != 1) {
                return;
            }
            OrderState state = find(orderId).orElseThrow().state();
            event(orderId, now, state, state, source, detail, null);
            asked[0] = true;
        });
        return asked[0];
    }

    /** The order was found off the venue's book short of its size now, unless an earlier look did (see V23). */
    public void sawMissing(long orderId) {
        sawMissing(orderId, clock.instant());
    }

    /** The resting order was found off the venue's book short of its size at this time, unless an earlier look did (see V23). */
    public void sawMissing(long orderId, Instant at) {
        jdbc.update("UPDATE orders SET missing_since = COALESCE(missing_since, ?) WHERE id = ? AND state IN ('LIVE', 'DELAYED',"
                + " 'PARTIALLY_FILLED')", Timestamp.from(at), orderId);
    }

    /** A venue's resting orders found off its book by an earlier look, and since when. */
    public Map<Long, Instant> missingSince(String venue) {
        Map<Long, Instant> out = new HashMap<>();
        // Per state, as in openAfter: the (venue, state, id) index then reads the open orders only.
        for (String state : RESTING) {
            jdbc.query("SELECT id, missing_since FROM orders WHERE venue = ? AND state = ? AND missing_since IS NOT NULL", rs -> {
                out.put(rs.getLong(1), rs.getTimestamp(2).toInstant());
            }, venue, state);
        }
        return out;
    }

    /** The order is on the book again (or no longer in question): the look of {@code since} is forgotten. */
    public void foundAgain(long orderId, Instant since) {
        jdbc.update("UPDATE orders SET missing_since = NULL WHERE id = ? AND missing_since = ?", orderId, Timestamp.from(since));
    }

    /** Whether a cancel was asked for the order while its answer was unknown ({@link #askCancel}): never sent again. */
    public boolean cancelAsked(long orderId) {
        return !cancelAskedAmong(List.of(orderId)).isEmpty();
    }

    /** What the last check before a placement leaves reads of each of its orders. */
    public record BeforeSend(long id, OrderState state, String owner, boolean cancelAsked) {
    }

    /** Each of these orders' state, owner and whether a cancel was asked for it (one query). */
    public List<BeforeSend> beforeSend(Collection<Long> orderIds) {
        if (orderIds.isEmpty()) {
            return List.of();
        }
        return jdbc.query("SELECT id, state, owner, cancel_asked_at FROM orders WHERE id IN ("
                + String.join(",", Collections.nCopies(orderIds.size(), "?")) + ")", (rs, i) -> new BeforeSend(rs.getLong(1),
                        OrderState.valueOf(rs.getString(2)), rs.getString(3), rs.getTimestamp(4) != null), orderIds.toArray());
    }

    /** The gateway instance that records orders here; null in tools that only read. */
    public String owner() {
        return owner;
    }

    /** Whether another instance holds the order now (took it over for recovery): this one writes nothing on it. */
    public boolean heldElsewhere(long orderId) {
        String me = owner;
        if (me == null) {
            return false;
        }
        List<String> owners = jdbc.query("SELECT owner FROM orders WHERE id = ?", (rs, i) -> rs.getString(1), orderId);
        return !owners.isEmpty() && owners.get(0) != null && !me.equals(owners.get(0));
    }

    /** Those of these orders a cancel was asked for while their answer was unknown (one query). */
    public List<Long> cancelAskedAmong(Collection<Long> orderIds) {
        if (orderIds.isEmpty()) {
            return List.of();
        }
        return jdbc.queryForList("SELECT id FROM orders WHERE id IN (" + String.join(",", Collections.nCopies(orderIds.size(), "?"))
                + ") AND cancel_asked_at IS NOT NULL", Long.class, orderIds.toArray());
    }

    /**
     * How often the open-order sync reopened this order (from an ended state back to a resting one;
     * not a failed FOK/FAK that its fills moved on).
     */
    public int reopenedBefore(long orderId) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM order_events WHERE order_id = ? AND from_state IN (" + ENDED + ")"
                + " AND to_state IN ('LIVE', 'DELAYED', 'PARTIALLY_FILLED') AND source = 'sync'", Integer.class, orderId);
        return n == null ? 0 : n;
    }

    /**
     * Who, other than the open-order sync, ever ended the order (the latest such source), or null
     * when only the sync's own conclusions did: a trader's cancel stays the trader's, whatever the
     * sync concluded after it.
     */
    public String endedOtherThanBySync(long orderId) {
        List<String> by = jdbc.queryForList("SELECT source FROM order_events WHERE order_id = ? AND to_state IN (" + ENDED + ")"
                + " AND (from_state IS NULL OR from_state <> to_state) AND source <> 'sync' ORDER BY id DESC LIMIT 1", String.class, orderId);
        return by.isEmpty() ? null : by.get(0);
    }

    private static final String ENDED = "'CANCELED', 'REJECTED', 'UNMATCHED', 'FAILED'";

    public Optional<OrderRecord> findByClientOrderId(String clientOrderId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM " + ORDERS + " WHERE client_order_id = ?", ORDER, clientOrderId)
                .stream().findFirst();
    }

    public List<OrderRecord> list(String state, String venue, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM " + ORDERS + " WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (state != null && !state.isBlank()) {
            sql.append(" AND state = ?");
            args.add(state.trim().toUpperCase(Locale.ROOT));
        }
        if (venue != null && !venue.isBlank()) {
            sql.append(" AND venue = ?");
            args.add(venue.trim().toLowerCase(Locale.ROOT));
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), ORDER, args.toArray());
    }

    /**
     * Ids of the orders sent or possibly sent whose outcome the ledger does not know (PENDING_SUBMIT,
     * UNKNOWN), last changed before {@code updatedBefore}, from the one after {@code afterId} (keyset
     * paging). The recovery route reads the same with its own {@code sql:} query; this is for callers outside Camel.
     */
    public List<Long> unresolvedIds(Instant updatedBefore, long afterId, int limit) {
        return jdbc.queryForList("SELECT id FROM orders WHERE state IN ('PENDING_SUBMIT', 'UNKNOWN')"
                + " AND updated_at < ? AND id > ? ORDER BY id LIMIT ?", Long.class, Timestamp.from(updatedBefore), afterId, limit);
    }

    /** RECEIVED orders last changed before {@code updatedBefore}, by id after {@code afterId} (keyset paging). */
    public List<OrderRecord> receivedBefore(Instant updatedBefore, long afterId, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM " + ORDERS + " WHERE state = 'RECEIVED' AND updated_at < ? AND id > ? ORDER BY id LIMIT ?",
                ORDER, Timestamp.from(updatedBefore), afterId, limit);
    }

    public List<OrderRecord> receivedBefore(Instant updatedBefore, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM " + ORDERS + " WHERE state = 'RECEIVED' AND updated_at < ? ORDER BY id LIMIT ?",
                ORDER, Timestamp.from(updatedBefore), limit);
    }

    public List<OrderEvent> events(long orderId) {
        return jdbc.query("SELECT id, at, from_state, to_state, source, detail, venue_answer FROM order_events"
                + " WHERE order_id = ? ORDER BY id", (rs, i) -> new OrderEvent(rs.getLong(1),
                        rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7)), orderId);
    }

    private void event(long orderId, Instant at, OrderState from, OrderState to, String source, String detail,
            String answer) {
        jdbc.update("INSERT INTO order_events (order_id, at, from_state, to_state, source, detail, venue_answer)"
                + " VALUES (?,?,?,?,?,?,?)", orderId, Timestamp.from(at), from == null ? null : from.name(), to.name(),
                source, truncate(detail), answer);
    }

    /** Whether any entry of the order's history says {@code words} (a fact once learned that later reasons may not repeat). */
    public boolean historySays(long orderId, String words) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM order_events WHERE order_id = ? AND detail LIKE ?", Integer.class,
                orderId, "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        return n != null && n > 0;
    }

    /** The text as given, with NUL written as the escape {@code \u0000}: PostgreSQL cannot store a NUL in text. */
    public static String storable(String s) {
        return s == null || s.indexOf('\u0000') < 0 ? s : s.replace("\u0000", "\\u0000");
    }

    public static String truncate(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 1997) + "...";
    }

    private static String name(Enum<?> e) {
        return e == null ? null : e.name();
    }

    private static final RowMapper<OrderRecord> ORDER = OrderLedger::map;

    private static OrderRecord map(ResultSet rs, int row) throws SQLException {
        long exp = rs.getLong("expiration");
        Long expiration = rs.wasNull() ? null : exp;
        return new OrderRecord(rs.getLong("id"), rs.getString("client_order_id"), rs.getString("source"),
                rs.getString("venue"), rs.getString("market"), rs.getString("token_id"), rs.getString("outcome"),
                rs.getString("side"), strip(rs.getBigDecimal("price")), strip(rs.getBigDecimal("size")),
                rs.getString("order_type"), rs.getString("time_in_force"), expiration, rs.getBoolean("post_only"),
                rs.getBoolean("reduce_only"), OrderState.valueOf(rs.getString("state")), rs.getString("venue_order_id"), rs.getString("order_hash"),
                rs.getString("signed_payload"), rs.getString("reason"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), strip(rs.getBigDecimal("filled_size")),
                strip(rs.getBigDecimal("avg_fill_price")), (Long) rs.getObject("replaces_order_id", Long.class),
                rs.getString("account"));
    }

    private static BigDecimal strip(BigDecimal d) {
        return d == null ? null : d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
    }
}
