package com.oddsgate.ops;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedResource;

import com.oddsgate.ledger.DeadLetters;

/**
 * The figures an operator looks at in Hawtio/JMX ({@code oddsgate:type=Gateway,name=figures}):
 * orders by state and rejections by reason (from the ledger), venue round-trip latency (from the
 * meters) and the dead-letter depth. Read-only, and nothing here can carry a secret.
 */
@ManagedResource(objectName = "oddsgate:type=Gateway,name=figures", description = "oddsgate gateway figures")
public class GatewayFigures {

    private final JdbcTemplate jdbc;
    private final DeadLetters deadLetters;
    private final GatewayMetrics metrics;
    private final Leadership leadership;

    public GatewayFigures(JdbcTemplate jdbc, DeadLetters deadLetters, GatewayMetrics metrics, Leadership leadership) {
        this.jdbc = jdbc;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.leadership = leadership;
    }

    @ManagedAttribute(description = "this instance's role: standalone, leader (runs the timers, streams and inbox) or follower")
    public String getRole() {
        return leadership.role();
    }

    @ManagedAttribute(description = "the elected leader and the members, with a cluster")
    public Map<String, String> getCluster() {
        Map<String, String> out = new LinkedHashMap<>();
        leadership.describe().forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    @ManagedAttribute(description = "orders in the ledger by state")
    public Map<String, Long> getOrdersByState() {
        Map<String, Long> out = new LinkedHashMap<>();
        jdbc.query("SELECT state, COUNT(*) FROM orders GROUP BY state ORDER BY state",
                rs -> { out.put(rs.getString(1), rs.getLong(2)); });
        return out;
    }

    @ManagedAttribute(description = "rejected orders by reason, the 20 most frequent")
    public Map<String, Long> getRejectsByReason() {
        Map<String, Long> out = new LinkedHashMap<>();
        jdbc.query("SELECT reason, COUNT(*) AS n FROM orders WHERE state = 'REJECTED' GROUP BY reason ORDER BY n DESC LIMIT 20",
                rs -> { out.put(String.valueOf(rs.getString(1)), rs.getLong(2)); });
        return out;
    }

    @ManagedAttribute(description = "dead letters not yet replayed")
    public int getDeadLetterDepth() {
        return deadLetters.depth();
    }

    @ManagedAttribute(description = "venue round trip in ms by venue/outcome: count, p50, p99, max")
    public Map<String, String> getVenueRoundTripMillis() {
        Map<String, String> out = new LinkedHashMap<>();
        for (var meter : metrics.registry().find("oddsgate.venue.round.trip").timers()) {
            Timer t = meter;
            var snapshot = t.takeSnapshot();
            StringBuilder v = new StringBuilder("count=" + snapshot.count());
            for (ValueAtPercentile p : snapshot.percentileValues()) {
                v.append(String.format(Locale.ROOT, " p%.0f=%.2f", p.percentile() * 100, p.value(TimeUnit.MILLISECONDS)));
            }
            v.append(String.format(Locale.ROOT, " max=%.2f", snapshot.max(TimeUnit.MILLISECONDS)));
            out.put(t.getId().getTag("venue") + "/" + t.getId().getTag("outcome"), v.toString());
        }
        return out;
    }
}
