package com.oddsgate.fills;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.springframework.jdbc.core.JdbcTemplate;

/** The fills ledger's read models: fills by order, venue or time, their count, and positions. */
public class FillQueries {

    private static final String COLUMNS = "id, venue, trade_id, bucket_index, venue_order_id, order_id, account, market,"
            + " token_id, outcome, side, price, size, role, status, match_group, matched_at, first_source, deliveries,"
            + " created_at, updated_at, fee";

    private final JdbcTemplate jdbc;

    public FillQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<FillRecord> forOrder(long orderId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM fills WHERE order_id = ? ORDER BY matched_at, trade_id, bucket_index",
                FillQueries::map, orderId);
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
        return jdbc.query(sql.toString(), FillQueries::map, args.toArray());
    }

    public long count() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM fills", Long.class);
        return n == null ? 0 : n;
    }

    /** Positions per venue, account and instrument, from the fills that count; flat ones included. */
    public List<Position> positions(String venue) {
        String where = venue == null || venue.isBlank() ? "" : " AND venue = ?";
        Object[] args = venue == null || venue.isBlank() ? new Object[0] : new Object[] {venue.trim().toLowerCase(Locale.ROOT)};
        return positions(where, args);
    }

    /**
     * {@link #positions(String)} of these instruments only (Polymarket token ids, Kalshi tickers): what
     * a limit asks per order, read through the (venue, token_id) index rather than the whole book.
     */
    public List<Position> positions(String venue, Collection<String> instruments) {
        List<String> wanted = instruments.stream().filter(Objects::nonNull).distinct().toList();
        if (wanted.isEmpty()) {
            return List.of();
        }
        List<Object> args = new ArrayList<>();
        args.add(venue.trim().toLowerCase(Locale.ROOT));
        args.addAll(wanted);
        return positions(" AND venue = ? AND token_id IN (" + String.join(",", Collections.nCopies(wanted.size(), "?")) + ")",
                args.toArray());
    }

    private List<Position> positions(String where, Object[] args) {
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

    private static FillRecord map(ResultSet rs, int row) throws SQLException {
        long order = rs.getLong("order_id");
        Long orderId = rs.wasNull() ? null : order;
        return new FillRecord(rs.getLong("id"), rs.getString("venue"), rs.getString("trade_id"), rs.getInt("bucket_index"),
                rs.getString("venue_order_id"), orderId, rs.getString("account"), rs.getString("market"),
                rs.getString("token_id"), rs.getString("outcome"), rs.getString("side"), strip(rs.getBigDecimal("price")),
                strip(rs.getBigDecimal("size")), rs.getString("role"), TradeStatus.valueOf(rs.getString("status")),
                rs.getString("match_group"), rs.getTimestamp("matched_at").toInstant(), rs.getString("first_source"),
                rs.getInt("deliveries"), rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                strip(rs.getBigDecimal("fee")));
    }

    private static BigDecimal strip(BigDecimal d) {
        return d == null ? null : d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
    }
}
