package com.oddsgate.ledger;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The ledger database's clock: the one time every gateway instance on the ledger agrees on, for
 * instance leases (a host whose clock runs ahead must not see a live instance as gone). One query
 * per reading; used where a lease is written or compared, not in the order path.
 */
public final class DatabaseClock extends Clock {

    private final JdbcTemplate jdbc;

    public DatabaseClock(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Instant instant() {
        return Objects.requireNonNull(jdbc.queryForObject("SELECT CURRENT_TIMESTAMP", Timestamp.class)).toInstant();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
