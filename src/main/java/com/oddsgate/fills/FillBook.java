package com.oddsgate.fills;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.order.OrderState;

/**
 * The fills ledger and the only writer of fills. Exactly once comes from the table's unique key
 * (venue, trade id, bucket, venue order id), not from memory: a repeat — WebSocket redelivery, a
 * reconnect, polling overlap, a restart — finds its row and can only move its status forward. What
 * follows from fills (an order's filled size, average price and state; positions) is recomputed
 * from the rows that count, so applying the same fills twice cannot change it.
 */
public class FillBook {

    /** Less than this left unfilled is dust: the order counts as FILLED. */
    public static final BigDecimal DUST = new BigDecimal("0.01");

    private static final String COLUMNS = "id, venue, trade_id, bucket_index, venue_order_id, order_id, account, market,"
            + " token_id, outcome, side, price, size, role, status, match_group, matched_at, first_source, deliveries,"
            + " created_at, updated_at";

    /** What one batch did. */
    public record Applied(int added, int advanced, int repeated) {
    }

    /** Told after a batch is committed, e.g. for metrics. */
    public interface Listener {
        Listener NONE = (venue, source, applied) -> { };

        void applied(String venue, String source, Applied applied);

        /** A trade or fill that could not be read or stored was quarantined. */
        default void quarantined(String venue) {
        }
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final OrderLedger ledger;
    private final Clock clock;
    private final Listener listener;
    /** Venue order id → our order id; only found ones are kept (an id, once given, never changes). */
    private final Map<String, Long> orderIds = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > 100_000;
        }
    };

    public FillBook(JdbcTemplate jdbc, TransactionTemplate tx, OrderLedger ledger, Clock clock, Listener listener) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.ledger = ledger;
        this.clock = clock;
        this.listener = listener;
    }

    /**
     * Records a batch of fills from one source in one transaction. Serialized in this process; the
     * unique key guards against anything else writing the same fill. Works in chunks: one query
     * finds which fills are known, then inserts and updates go as JDBC batches.
     */
    public synchronized Applied apply(List<Fill> fills, String source) {
        if (fills == null || fills.isEmpty()) {
            return new Applied(0, 0, 0);
        }
        try {
            return applyAll(fills, source);
        } catch (DataIntegrityViolationException unstorable) {
            // Some fill does not fit the ledger (an over-long id, an absurd number): store the others one
            // by one and quarantine that one, so the poll goes on and the cursor may pass it. A ledger
            // that cannot be reached is not this case: that error goes up and no cursor moves.
            int[] sum = new int[3];
            // What the rolled-back lookups learnt (order ids, a venue id) is looked up again, one by one.
            fills.forEach(f -> orderIds.remove(f.venue() + "/" + f.venueOrderId()));
            for (Fill f : fills) {
                try {
                    Applied one = applyAll(List.of(f), source);
                    sum[0] += one.added();
                    sum[1] += one.advanced();
                    sum[2] += one.repeated();
                } catch (DataIntegrityViolationException e) {
                    quarantine(f.venue(), f.tradeId(), f.toString(), "cannot be stored: " + e.getMostSpecificCause().getMessage());
                }
            }
            return new Applied(sum[0], sum[1], sum[2]);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(FillBook.class);

    /**
     * A trade or fill that cannot be read or stored is kept whole as a dead letter (once, however
     * often the venue repeats it), counted and logged: a human looks at it, the other fills go on.
     */
    public void quarantine(String venue, String tradeId, String raw, String reason) {
        String route = "fills-" + venue;
        Integer seen = jdbc.queryForObject("SELECT COUNT(*) FROM dead_letters WHERE route_id = ? AND original_message = ?",
                Integer.class, route, raw);
        if (seen != null && seen > 0) {
            return;
        }
        jdbc.update("INSERT INTO dead_letters (at, route_id, order_id, reason, original_message) VALUES (?,?,?,?,?)",
                Timestamp.from(clock.instant()), route, null, OrderLedger.truncate("trade " + tradeId + " quarantined, "
                        + reason), raw);
        listener.quarantined(venue);
        LOG.warn("{} trade {} quarantined as a dead letter ({}); the other fills go on", venue, tradeId, reason);
    }

    private Applied applyAll(List<Fill> fills, String source) {
        Applied applied = tx.execute(s -> {
            int[] counts = new int[3];
            Set<Long> touched = new LinkedHashSet<>();
            for (int from = 0; from < fills.size(); from += CHUNK) {
                applyChunk(fills.subList(from, Math.min(fills.size(), from + CHUNK)), source, counts, touched);
            }
            recompute(touched, source);
            return new Applied(counts[0], counts[1], counts[2]);
        });
        listener.applied(fills.get(0).venue(), source, applied);
        return applied;
    }

    private static final int CHUNK = 500;

    /** A known fill row as this batch sees it. */
    private static final class Row {
        final Long id;
        final Long orderId;
        TradeStatus status;
        int repeats;
        boolean advanced;

        Row(Long id, Long orderId, TradeStatus status) {
            this.id = id;
            this.orderId = orderId;
            this.status = status;
        }
    }

    private void applyChunk(List<Fill> chunk, String source, int[] counts, Set<Long> touched) {
        Map<String, Row> rows = known(chunk);
        resolveOrders(chunk);
        Map<String, Fill> inserts = new LinkedHashMap<>();
        Map<String, Long> insertOrders = new LinkedHashMap<>();
        for (Fill f : chunk) {
            String key = f.key();
            Row row = rows.get(key);
            Fill pending = inserts.get(key);
            if (row == null && pending == null) {
                inserts.put(key, f);
                Long orderId = orderIdFor(f);
                insertOrders.put(key, orderId);
                if (orderId != null) {
                    touched.add(orderId);
                }
                counts[0]++;
            } else if (pending != null) {
                // The same fill twice in one batch: the later status wins if it is a step forward.
                if (pending.status().canBecome(f.status())) {
                    inserts.put(key, f);
                    counts[1]++;
                } else {
                    counts[2]++;
                }
            } else if (row.status.canBecome(f.status())) {
                row.status = f.status();
                row.advanced = true;
                row.repeats++;
                counts[1]++;
                if (row.orderId != null) {
                    touched.add(row.orderId);
                    if (f.status() == TradeStatus.FAILED) {
                        ledger.note(row.orderId, "fills", "trade " + f.tradeId() + " FAILED at the venue: its fill of "
                                + f.size().toPlainString() + " no longer counts");
                    }
                }
            } else {
                row.repeats++;
                counts[2]++;
            }
        }
        Timestamp now = Timestamp.from(clock.instant());
        if (!inserts.isEmpty()) {
            Map<Long, String[]> tokens = orderTokens(inserts, insertOrders);
            List<Object[]> args = new ArrayList<>(inserts.size());
            inserts.forEach((key, f) -> args.add(new Object[] {f.venue(), f.tradeId(), f.bucketIndex(), f.venueOrderId(),
                    insertOrders.get(key), f.account(), f.market(), f.tokenId(), outcome(f, tokens.get(insertOrders.get(key))),
                    f.side().name(), f.price(),
                    f.size(), f.role(), f.status().name(), f.matchGroup(), Timestamp.from(f.matchedAt()), source, now, now}));
            jdbc.batchUpdate("INSERT INTO fills (venue, trade_id, bucket_index, venue_order_id, order_id, account, market,"
                    + " token_id, outcome, side, price, size, role, status, match_group, matched_at, first_source,"
                    + " deliveries, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?)", args);
        }
        List<Object[]> advanced = new ArrayList<>();
        List<Object[]> repeated = new ArrayList<>();
        for (Row r : rows.values()) {
            if (r.advanced) {
                advanced.add(new Object[] {r.status.name(), r.repeats, now, r.id});
            } else if (r.repeats > 0) {
                repeated.add(new Object[] {r.repeats, r.id});
            }
        }
        if (!advanced.isEmpty()) {
            jdbc.batchUpdate("UPDATE fills SET status = ?, deliveries = deliveries + ?, updated_at = ? WHERE id = ?", advanced);
        }
        if (!repeated.isEmpty()) {
            jdbc.batchUpdate("UPDATE fills SET deliveries = deliveries + ? WHERE id = ?", repeated);
        }
    }

    /** Token id and outcome of the orders of the fills whose venue did not say YES or NO. */
    private Map<Long, String[]> orderTokens(Map<String, Fill> inserts, Map<String, Long> insertOrders) {
        Set<Long> ids = new LinkedHashSet<>();
        inserts.forEach((key, f) -> {
            if (f.outcome() == null && insertOrders.get(key) != null) {
                ids.add(insertOrders.get(key));
            }
        });
        Map<Long, String[]> out = new HashMap<>();
        if (!ids.isEmpty()) {
            jdbc.query("SELECT id, token_id, outcome FROM orders WHERE id IN (" + String.join(",", Collections.nCopies(ids.size(), "?"))
                    + ")", rs -> {
                        out.put(rs.getLong(1), new String[] {rs.getString(2), rs.getString(3)});
                    }, ids.toArray());
        }
        return out;
    }

    /**
     * The fill's outcome is YES or NO of its token, never the venue's label (a candidate's name, a
     * long phrase): when the label is not YES/NO, it is the order's outcome on the order's token and
     * the other one on the complementary token; unknown (null) without an order.
     */
    private static String outcome(Fill f, String[] orderToken) {
        if (f.outcome() != null || orderToken == null || orderToken[0] == null || orderToken[1] == null) {
            return f.outcome();
        }
        boolean same = orderToken[0].equals(f.tokenId());
        return same ? orderToken[1] : orderToken[1].equals("YES") ? "NO" : "YES";
    }

    /** The rows already holding any of these fills, by key. */
    private Map<String, Row> known(List<Fill> chunk) {
        Map<String, Row> rows = new HashMap<>();
        Map<String, List<String>> tradesByVenue = new LinkedHashMap<>();
        for (Fill f : chunk) {
            tradesByVenue.computeIfAbsent(f.venue(), v -> new ArrayList<>()).add(f.tradeId());
        }
        // One indexed lookup per trade: measured faster on H2 than one IN list per chunk (replays
        // 6.8-7.7 k fills/s against 3.2-3.8 k, scripts/load.sh fills --count 20000).
        tradesByVenue.forEach((venue, tradeIds) -> {
            for (String tradeId : tradeIds.stream().distinct().toList()) {
                jdbc.query("SELECT id, trade_id, bucket_index, venue_order_id, status, order_id FROM fills WHERE venue = ?"
                        + " AND trade_id = ?", rs -> {
                            long order = rs.getLong(6);
                            Long orderId = rs.wasNull() ? null : order;
                            rows.put(venue + "/" + rs.getString(2) + "/" + rs.getInt(3) + "/" + rs.getString(4),
                                    new Row(rs.getLong(1), orderId, TradeStatus.valueOf(rs.getString(5))));
                        }, venue, tradeId);
            }
        });
        return rows;
    }

    /** Attaches fills that arrived before their order's venue id was known (e.g. a fill before the placement answer). */
    public synchronized int adoptOrphans() {
        List<Object[]> orphans = jdbc.query("SELECT f.id, o.id FROM fills f JOIN orders o ON o.venue = f.venue"
                + " AND (o.venue_order_id = f.venue_order_id OR o.order_hash = f.venue_order_id) WHERE f.order_id IS NULL",
                (rs, i) -> new Object[] {rs.getLong(1), rs.getLong(2)});
        if (orphans.isEmpty()) {
            return 0;
        }
        tx.executeWithoutResult(s -> {
            Set<Long> touched = new LinkedHashSet<>();
            for (Object[] o : orphans) {
                jdbc.update("UPDATE fills SET order_id = ? WHERE id = ? AND order_id IS NULL", o[1], o[0]);
                touched.add((Long) o[1]);
            }
            recompute(touched, "fills");
        });
        return orphans.size();
    }

    /** An order's figures as they follow from its fills. */
    private static final class Figures {
        OrderState state;
        BigDecimal size;
        String outcome;
        String type;
        BigDecimal filled = BigDecimal.ZERO;
        BigDecimal notional = BigDecimal.ZERO;
        boolean complement;
    }

    /**
     * Filled size, average price and state of these orders, from their fills that count: two
     * queries and one batch per chunk of orders, then a state move where one is due.
     */
    private void recompute(Set<Long> orderIds, String source) {
        List<Long> ids = List.copyOf(orderIds);
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            String marks = String.join(",", Collections.nCopies(chunk.size(), "?"));
            Map<Long, Figures> figures = new LinkedHashMap<>();
            jdbc.query("SELECT id, state, size, outcome, order_type FROM orders WHERE id IN (" + marks + ")", rs -> {
                Figures f = new Figures();
                f.state = OrderState.valueOf(rs.getString(2));
                f.size = rs.getBigDecimal(3);
                f.outcome = rs.getString(4);
                f.type = rs.getString(5);
                figures.put(rs.getLong(1), f);
            }, chunk.toArray());
            jdbc.query("SELECT order_id, size, price, outcome FROM fills WHERE order_id IN (" + marks + ") AND status <> 'FAILED'",
                    rs -> {
                        Figures f = figures.get(rs.getLong(1));
                        BigDecimal size = rs.getBigDecimal(2);
                        f.filled = f.filled.add(size);
                        f.notional = f.notional.add(size.multiply(rs.getBigDecimal(3)));
                        f.complement = f.outcome != null && rs.getString(4) != null && !f.outcome.equals(rs.getString(4));
                    }, chunk.toArray());
            List<OrderLedger.Filled> filled = new ArrayList<>();
            figures.forEach((id, f) -> filled.add(new OrderLedger.Filled(id, f.filled, average(f))));
            ledger.recordFilled(filled);
            figures.forEach((id, f) -> move(id, f, source));
        }
    }

    private static BigDecimal average(Figures f) {
        if (f.filled.signum() == 0) {
            return null;
        }
        BigDecimal average = f.notional.divide(f.filled, 10, RoundingMode.HALF_EVEN);
        return f.complement ? BigDecimal.ONE.subtract(average) : average; // a NO order filled on Kalshi's YES book
    }

    /** Moves the order to what its fills say, if the state machine allows it. */
    private void move(long orderId, Figures fig, String source) {
        OrderState state = fig.state;
        BigDecimal size = fig.size;
        BigDecimal filled = fig.filled;
        String type = fig.type;
        BigDecimal average = average(fig);
        String detail = "filled " + filled.stripTrailingZeros().toPlainString()
                + (size == null ? "" : " of " + size.stripTrailingZeros().toPlainString())
                + (average == null ? "" : " at average " + average.stripTrailingZeros().toPlainString()) + " (" + source + ")";
        // The placement answer can move the order between our read and our move: read again.
        for (int attempt = 0; attempt < 3; attempt++) {
            OrderState target;
            if (filled.signum() > 0) {
                target = size == null || size.subtract(filled).compareTo(DUST) < 0 ? OrderState.FILLED : OrderState.PARTIALLY_FILLED;
            } else if (state == OrderState.PARTIALLY_FILLED || state == OrderState.FILLED) {
                // Every fill was taken back (FAILED trades): a resting order rests again, a marketable one failed.
                target = "FOK".equals(type) || "FAK".equals(type) ? OrderState.FAILED : OrderState.LIVE;
            } else {
                return;
            }
            if (target == state || !state.canBecome(target) || ledger.moveIfStill(orderId, state, target, "fills", detail)) {
                return;
            }
            state = OrderState.valueOf(jdbc.queryForObject("SELECT state FROM orders WHERE id = ?", String.class, orderId));
        }
    }

    private Long orderIdFor(Fill f) {
        return orderIds.get(f.venue() + "/" + f.venueOrderId());
    }

    /**
     * Finds our orders for a chunk's venue order ids (order hash, venue id, or the clientOrderId the
     * venue echoes) with three queries per venue, and remembers the ones found.
     */
    private void resolveOrders(List<Fill> chunk) {
        Map<String, List<Fill>> byVenue = new LinkedHashMap<>();
        for (Fill f : chunk) {
            if (!orderIds.containsKey(f.venue() + "/" + f.venueOrderId())) {
                byVenue.computeIfAbsent(f.venue(), v -> new ArrayList<>()).add(f);
            }
        }
        byVenue.forEach((venue, fills) -> {
            List<String> ids = fills.stream().map(Fill::venueOrderId).distinct().toList();
            lookup(venue, "order_hash", ids, ids);
            lookup(venue, "venue_order_id", ids, ids);
            List<Fill> open = fills.stream().filter(f -> f.clientOrderId() != null
                    && !orderIds.containsKey(venue + "/" + f.venueOrderId())).toList();
            if (!open.isEmpty()) {
                lookup(venue, "client_order_id", open.stream().map(Fill::clientOrderId).toList(),
                        open.stream().map(Fill::venueOrderId).toList());
            }
        });
    }

    /** Remembers venue order id → our id for the orders whose {@code column} is one of {@code values}. */
    private void lookup(String venue, String column, List<String> values, List<String> venueOrderIds) {
        Map<String, String> venueIdByValue = new HashMap<>();
        for (int i = 0; i < values.size(); i++) {
            venueIdByValue.put(values.get(i), venueOrderIds.get(i));
        }
        List<String> distinct = List.copyOf(venueIdByValue.keySet());
        List<Object> args = new ArrayList<>(distinct);
        args.add(venue);
        Map<Long, String> found = new LinkedHashMap<>();
        jdbc.query("SELECT id, " + column + " FROM orders WHERE " + column + " IN ("
                + String.join(",", Collections.nCopies(distinct.size(), "?")) + ") AND venue = ?",
                rs -> {
                    String venueOrderId = venueIdByValue.get(rs.getString(2));
                    orderIds.put(venue + "/" + venueOrderId, rs.getLong(1));
                    found.put(rs.getLong(1), venueOrderId);
                }, args.toArray());
        if (column.equals("client_order_id")) {
            // Found by the clientOrderId the venue echoes: the venue's id is learnt here when the
            // placement answer never told it (lost, or refused on a retry).
            found.forEach((orderId, venueOrderId) -> ledger.learnVenueOrderId(orderId, venueOrderId,
                    "learnt from its fills (found by client_order_id)"));
        }
    }

    // ---- reads ---------------------------------------------------------------------------------

    public List<FillRecord> forOrder(long orderId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM fills WHERE order_id = ? ORDER BY matched_at, trade_id, bucket_index",
                FillBook::map, orderId);
    }

    /** Fills, newest first, optionally of one order, one venue, or first seen at or after {@code since}. */
    public List<FillRecord> list(Long orderId, String venue, Instant since, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM fills WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (orderId != null) {
            sql.append(" AND order_id = ?");
            args.add(orderId);
        }
        if (venue != null && !venue.isBlank()) {
            sql.append(" AND venue = ?");
            args.add(venue.trim().toLowerCase(Locale.ROOT));
        }
        if (since != null) {
            sql.append(" AND updated_at >= ?");
            args.add(Timestamp.from(since));
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(limit);
        return jdbc.query(sql.toString(), FillBook::map, args.toArray());
    }

    public long count() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM fills", Long.class);
        return n == null ? 0 : n;
    }

    /** Positions per venue, account and instrument, from the fills that count; flat ones included. */
    public List<Position> positions(String venue) {
        String where = venue == null || venue.isBlank() ? "" : " AND venue = ?";
        Object[] args = venue == null || venue.isBlank() ? new Object[0] : new Object[] {venue.trim().toLowerCase(Locale.ROOT)};
        return jdbc.query("SELECT venue, account, MAX(market), token_id, MAX(outcome),"
                + " SUM(CASE WHEN side = 'BUY' THEN size ELSE 0 END),"
                + " SUM(CASE WHEN side = 'SELL' THEN size ELSE 0 END),"
                + " SUM(CASE WHEN side = 'BUY' THEN size * price ELSE 0 END),"
                + " SUM(CASE WHEN status = 'CONFIRMED' THEN 0 WHEN side = 'BUY' THEN size ELSE -size END), COUNT(*)"
                + " FROM fills WHERE status <> 'FAILED'" + where + " GROUP BY venue, account, token_id ORDER BY venue, account, token_id",
                (rs, i) -> {
                    BigDecimal bought = strip(rs.getBigDecimal(6));
                    BigDecimal sold = strip(rs.getBigDecimal(7));
                    BigDecimal cost = rs.getBigDecimal(8);
                    return new Position(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), strip(bought.subtract(sold)), bought, sold,
                            bought.signum() == 0 ? null : strip(cost.divide(bought, 10, RoundingMode.HALF_EVEN)),
                            strip(rs.getBigDecimal(9)), rs.getLong(10));
                }, args);
    }

    /** Match time of the oldest fill whose trade may still change (MATCHED, MINED, RETRYING, UNKNOWN), if any. */
    public Optional<Instant> oldestUnsettled(String venue) {
        Timestamp t = jdbc.queryForObject("SELECT MIN(matched_at) FROM fills WHERE venue = ? AND status IN"
                + " ('MATCHED', 'MINED', 'RETRYING', 'UNKNOWN')", Timestamp.class, venue);
        return Optional.ofNullable(t).map(Timestamp::toInstant);
    }

    // ---- where each source resumes ---------------------------------------------------------------

    public Optional<String> cursor(String venue, String source) {
        return jdbc.query("SELECT position FROM fill_cursors WHERE venue = ? AND source = ?", (rs, i) -> rs.getString(1),
                venue, source).stream().findFirst();
    }

    /**
     * Where a source's next poll starts: its cursor less {@code overlap} (venues publish late), or
     * {@code lookback} ago on the first poll.
     */
    public Instant resumeAt(String venue, String source, Duration overlap, Duration lookback) {
        return cursor(venue, source).map(s -> Instant.ofEpochSecond(Long.parseLong(s)).minus(overlap))
                .orElse(clock.instant().minus(lookback));
    }

    /** Moves a source's cursor (epoch seconds) to the newest match among {@code fills}; never backwards. */
    public void advanceCursor(String venue, String source, List<Fill> fills) {
        long newest = fills.stream().mapToLong(f -> f.matchedAt().getEpochSecond()).max().orElse(-1);
        long current = cursor(venue, source).map(Long::parseLong).orElse(-1L);
        if (newest > current) {
            saveCursor(venue, source, Long.toString(newest));
        }
    }

    public void saveCursor(String venue, String source, String position) {
        Timestamp now = Timestamp.from(clock.instant());
        if (jdbc.update("UPDATE fill_cursors SET position = ?, updated_at = ? WHERE venue = ? AND source = ?", position, now,
                venue, source) == 0) {
            jdbc.update("INSERT INTO fill_cursors (venue, source, position, updated_at) VALUES (?,?,?,?)", venue, source,
                    position, now);
        }
    }

    private static FillRecord map(ResultSet rs, int row) throws SQLException {
        long order = rs.getLong("order_id");
        Long orderId = rs.wasNull() ? null : order;
        return new FillRecord(rs.getLong("id"), rs.getString("venue"), rs.getString("trade_id"), rs.getInt("bucket_index"),
                rs.getString("venue_order_id"), orderId, rs.getString("account"), rs.getString("market"),
                rs.getString("token_id"), rs.getString("outcome"), rs.getString("side"), strip(rs.getBigDecimal("price")),
                strip(rs.getBigDecimal("size")), rs.getString("role"), TradeStatus.valueOf(rs.getString("status")),
                rs.getString("match_group"), rs.getTimestamp("matched_at").toInstant(), rs.getString("first_source"),
                rs.getInt("deliveries"), rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }

    private static BigDecimal strip(BigDecimal d) {
        return d == null ? null : d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
    }
}
