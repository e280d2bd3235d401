package com.oddsgate.fills;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where each fill source's next poll starts: its cursor (kept per venue and source, never moved
 * backwards) and the oldest fill whose trade may still change, which a poll must reach back to.
 */
public class FillCursors {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public FillCursors(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

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

    /** Match time of the oldest fill whose trade may still change (MATCHED, MINED, RETRYING, UNKNOWN), if any. */
    public Optional<Instant> oldestUnsettled(String venue) {
        Timestamp t = jdbc.queryForObject("SELECT MIN(matched_at) FROM fills WHERE venue = ? AND status IN"
                + " ('MATCHED', 'MINED', 'RETRYING', 'UNKNOWN')", Timestamp.class, venue);
        return Optional.ofNullable(t).map(Timestamp::toInstant);
    }
}
