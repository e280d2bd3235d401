package com.oddsgate.fills;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Compares our positions (from fills) with the venue's own. A difference opens an alert (a row, a
 * metric and a WARN line) and is never written over our numbers; an alert closes by itself when
 * the two agree again, e.g. once the fill that was still on its way has arrived.
 */
public class PositionCheck {

    private static final Logger LOG = LoggerFactory.getLogger(PositionCheck.class);

    /** The venue's positions for one account: instrument (token id, ticker) → size. */
    public record VenuePositions(String venue, String account, Map<String, BigDecimal> sizes) {
    }

    /** One open disagreement. */
    public record Alert(long id, Instant at, String venue, String account, String tokenId, String market,
            String outcome, BigDecimal ours, BigDecimal theirs) {
    }

    /** Told about each new mismatch (metrics). */
    public interface Listener {
        Listener NONE = venue -> { };

        void mismatch(String venue);
    }

    private final JdbcTemplate jdbc;
    private final FillQueries book;
    private final Clock clock;
    private final Listener listener;

    public PositionCheck(JdbcTemplate jdbc, FillQueries book, Clock clock, Listener listener) {
        this.jdbc = jdbc;
        this.book = book;
        this.clock = clock;
        this.listener = listener;
    }

    /** @return the alerts open for this venue and account after the comparison */
    public List<Alert> compare(VenuePositions venue) {
        Map<String, Position> ours = new LinkedHashMap<>();
        for (Position p : book.positions(venue.venue())) {
            if (p.account().equalsIgnoreCase(venue.account())) {
                ours.put(p.tokenId(), p);
            }
        }
        Set<String> tokens = new TreeSet<>(ours.keySet());
        venue.sizes().forEach((token, size) -> {
            if (size.signum() != 0) {
                tokens.add(token);
            }
        });
        Timestamp now = Timestamp.from(clock.instant());
        for (String token : tokens) {
            Position p = ours.get(token);
            BigDecimal mine = p == null ? BigDecimal.ZERO : p.size();
            BigDecimal theirs = venue.sizes().getOrDefault(token, BigDecimal.ZERO);
            List<Alert> open = open(venue.venue(), venue.account(), token);
            if (mine.compareTo(theirs) == 0) {
                if (!open.isEmpty()) {
                    jdbc.update("UPDATE position_alerts SET resolved_at = ? WHERE venue = ? AND account = ? AND token_id = ?"
                            + " AND resolved_at IS NULL", now, venue.venue(), venue.account(), token);
                    LOG.info("{} position in {} agrees with the venue again ({})", venue.venue(), token, mine.toPlainString());
                }
                continue;
            }
            if (open.size() == 1 && open.get(0).ours().compareTo(mine) == 0 && open.get(0).theirs().compareTo(theirs) == 0) {
                continue; // the same disagreement, already raised
            }
            jdbc.update("UPDATE position_alerts SET resolved_at = ? WHERE venue = ? AND account = ? AND token_id = ?"
                    + " AND resolved_at IS NULL", now, venue.venue(), venue.account(), token);
            jdbc.update("INSERT INTO position_alerts (at, venue, account, token_id, market, outcome, ours, theirs)"
                    + " VALUES (?,?,?,?,?,?,?,?)", now, venue.venue(), venue.account(), token, p == null ? null : p.market(),
                    p == null ? null : p.outcome(), mine, theirs);
            listener.mismatch(venue.venue());
            LOG.warn("{} position mismatch in {}: ours {} (from fills), venue {}; not overwritten", venue.venue(), token,
                    mine.toPlainString(), theirs.toPlainString());
        }
        return openAlerts(venue.venue());
    }

    public List<Alert> openAlerts(String venue) {
        List<Object> args = new ArrayList<>();
        String where = "";
        if (venue != null && !venue.isBlank()) {
            where = " AND venue = ?";
            args.add(venue);
        }
        return jdbc.query("SELECT id, at, venue, account, token_id, market, outcome, ours, theirs FROM position_alerts"
                + " WHERE resolved_at IS NULL" + where + " ORDER BY id", (rs, i) -> new Alert(rs.getLong(1),
                        rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        rs.getString(7), rs.getBigDecimal(8).stripTrailingZeros(), rs.getBigDecimal(9).stripTrailingZeros()),
                args.toArray());
    }

    private List<Alert> open(String venue, String account, String token) {
        return openAlerts(venue).stream().filter(a -> a.account().equals(account) && a.tokenId().equals(token)).toList();
    }
}
