package com.oddsgate.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import com.oddsgate.events.EventExposure;
import com.oddsgate.events.EventRegistry;
import com.oddsgate.fills.FillBook;
import com.oddsgate.fills.FillQueries;
import com.oddsgate.ledger.LedgerListener;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.order.CanonicalOrder;
import com.oddsgate.order.Listing;
import com.oddsgate.order.MarketInfo;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.OrderType;
import com.oddsgate.order.Outcome;
import com.oddsgate.order.Side;
import com.oddsgate.order.TimeInForce;

/**
 * The per-event limit across venues on an inverted pairing (Polymarket "up", tokens 111/222; Kalshi
 * DOWN, whose YES is the event's NO), on a ledger of its own: orders adding to the exposure, orders
 * reducing it (alone and stacked with open ones), and a pairing not checked yet.
 */
class EventLimitTest {

    static final Instant CLOSE = Instant.parse("2026-12-31T15:00:00Z");

    @TempDir
    Path dir;
    JdbcTemplate jdbc;
    PreTradeRisk risk;
    EventRegistry registry;
    boolean kalshiReadable = true;
    long ids = 1;

    @BeforeEach
    void ledger() throws Exception {
        DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:event-limit-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
                "sa", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        FillBook book = new FillBook(jdbc, tx, new OrderLedger(jdbc, tx, Clock.systemUTC(), LedgerListener.NONE), Clock.systemUTC(),
                FillBook.Listener.NONE);
        Path file = dir.resolve("events.yaml");
        Files.writeString(file, "events:\n  - id: ev\n    polymarket: up\n    kalshi: DOWN\n    orientation: inverted\n"
                + "    approvedBy: desk\n");
        registry = new EventRegistry(file, new EventRegistry.Listings() {
            @Override
            public Listing polymarket(String slug) {
                return new Listing("polymarket", slug, "0xc", "111", "222", "Will it go up by year end?", CLOSE);
            }

            @Override
            public Listing kalshi(String ticker) {
                if (!kalshiReadable) {
                    throw new IllegalStateException("Kalshi answered HTTP 403");
                }
                return new Listing("kalshi", ticker, ticker, null, null, "Will it stay down through year end?", CLOSE);
            }
        }, Duration.ofHours(24), 0.2, Duration.ofHours(1), Clock.systemUTC());
        registry.reload();
        risk = new PreTradeRisk(jdbc, new FillQueries(jdbc), registry, new EventExposure(new FillQueries(jdbc), jdbc), t -> null, Clock.systemUTC(),
                new PreTradeRisk.Limits(null, null, null, null, null, new BigDecimal("100")), Duration.ZERO);
        // Held now: 100 YES shares on Polymarket, the event's YES.
        jdbc.update("INSERT INTO fills (venue, trade_id, bucket_index, venue_order_id, account, market, token_id, outcome, side, price,"
                + " size, role, status, match_group, matched_at, first_source, deliveries, created_at, updated_at) VALUES"
                + " ('polymarket', 't-1', 0, '0xo', '0xf', '0xc', '111', 'YES', 'BUY', 0.5, 100, 'TAKER', 'CONFIRMED', 'g', ?, 'test', 1, ?, ?)",
                now(), now(), now());
    }

    static Timestamp now() {
        return Timestamp.from(Instant.now());
    }

    static OrderTicket order(String venue, Outcome outcome, Side side, String size) {
        OrderTicket t = new OrderTicket("test", null, null);
        boolean kalshi = "kalshi".equals(venue);
        t.setOrder(new CanonicalOrder(venue, kalshi ? "DOWN" : "0xc", kalshi ? null : outcome == Outcome.NO ? "222" : "111", outcome, side,
                new BigDecimal("0.30"), new BigDecimal(size), OrderType.LIMIT, TimeInForce.GTC, null, false, false, "c"));
        t.setMarket(new MarketInfo(venue, kalshi ? null : "up", kalshi ? "DOWN" : "0xc", null, null, false, new BigDecimal("0.01"),
                BigDecimal.ONE, null));
        return t;
    }

    /** The order, once it passed, resting at its venue. */
    void rests(OrderTicket t) {
        recorded(t, "LIVE");
    }

    void recorded(OrderTicket t, String state) {
        CanonicalOrder o = t.getOrder();
        jdbc.update("INSERT INTO orders (id, client_order_id, source, venue, market, token_id, outcome, side, price, size, state,"
                + " created_at, updated_at) VALUES (?, ?, 'test', ?, ?, ?, ?, ?, 0.30, ?, ?, ?, ?)", ids, "c" + ids, o.venue(),
                o.market(), o.tokenId(), o.outcome().name(), o.side().name(), o.size(), state, now(), now());
        ids++;
    }

    String refusal(OrderTicket t) {
        OrderRejectedException e = catchThrowableOfType(() -> risk.eventPosition(t), OrderRejectedException.class);
        return e == null ? null : e.getMessage();
    }

    @Test
    void addingOnEitherVenueCountsAgainstTheSameLimit() {
        assertThat(refusal(order("polymarket", Outcome.YES, Side.BUY, "1"))).contains("max event position 100 in event ev",
                "100 now", "101 with this order");
        // Kalshi NO is the event's YES on this inverted pairing.
        assertThat(refusal(order("kalshi", Outcome.NO, Side.BUY, "1"))).contains("101 with this order");
        // Polymarket NO and Kalshi YES take from it.
        assertThat(refusal(order("polymarket", Outcome.NO, Side.BUY, "50"))).isNull();
        assertThat(refusal(order("kalshi", Outcome.YES, Side.BUY, "150"))).as("to -50: within the limit").isNull();
        assertThat(refusal(order("kalshi", Outcome.YES, Side.BUY, "201"))).contains("-101 with this order");
    }

    @Test
    void anOrderTheVenueMatchedCountsBeforeItsTradesAreRead() {
        OrderTicket first = order("kalshi", Outcome.YES, Side.BUY, "90");
        assertThat(refusal(first)).isNull();
        recorded(first, "MATCHED"); // matched at once; its fills not stored yet
        assertThat(refusal(order("kalshi", Outcome.YES, Side.BUY, "120"))).as("100 → -110 with the matched one")
                .contains("-110 with this order and the open orders' 90");
        // Still MATCHED with no fills ten minutes on (its trades all FAILED, say): it holds the limit no longer.
        jdbc.update("UPDATE orders SET updated_at = ? WHERE state = 'MATCHED'", Timestamp.from(Instant.now().minusSeconds(601)));
        assertThat(refusal(order("kalshi", Outcome.YES, Side.BUY, "120"))).isNull();
    }

    @Test
    void stackedReductionsCannotFlipThePositionPastTheLimit() {
        OrderTicket first = order("kalshi", Outcome.YES, Side.BUY, "90");
        assertThat(refusal(first)).as("100 → 10").isNull();
        rests(first);
        OrderTicket second = order("kalshi", Outcome.YES, Side.BUY, "90");
        assertThat(refusal(second)).as("100 → -80 with the first one filled").isNull();
        rests(second);
        assertThat(refusal(order("kalshi", Outcome.YES, Side.BUY, "90"))).as("100 → -170")
                .contains("-170 with this order and the open orders' 180");
    }

    @Test
    void anOrderOnAPairingNotCheckedYetWaits() throws Exception {
        kalshiReadable = false;
        Files.writeString(dir.resolve("events.yaml"), "events:\n  - id: ev2\n    polymarket: up\n    kalshi: DOWN\n"
                + "    orientation: inverted\n    approvedBy: desk\n");
        registry.reload();
        registry.reload();
        assertThat(registry.all().get(0).status()).isEqualTo(EventRegistry.Status.UNVERIFIED);
        OrderRejectedException e = catchThrowableOfType(() -> risk.eventPosition(order("kalshi", Outcome.NO, Side.BUY, "1")),
                OrderRejectedException.class);
        assertThat(e.status()).isEqualTo(503);
        assertThat(e.getMessage()).contains("ev2", "could not be checked");
        assertThat(catchThrowableOfType(() -> risk.eventPosition(order("polymarket", Outcome.YES, Side.BUY, "1")),
                OrderRejectedException.class).status()).as("by the Polymarket slug too").isEqualTo(503);
        // An order that named its market by token (no slug): matched by the pairing's tokens, Polymarket having been read.
        OrderTicket byToken = order("polymarket", Outcome.NO, Side.BUY, "1");
        byToken.setMarket(new MarketInfo("polymarket", null, "0xc", null, null, false, new BigDecimal("0.01"), BigDecimal.ONE, null));
        assertThat(catchThrowableOfType(() -> risk.eventPosition(byToken), OrderRejectedException.class).status())
                .as("by the Polymarket token too").isEqualTo(503);
    }

    /** An amend's replacement between its original's cancel and its record counts among the event's open orders. */
    @Test
    void aReplacementOnItsWayCountsInTheEvent() {
        assertThat(refusal(order("kalshi", Outcome.YES, Side.BUY, "60"))).as("100 → 40: a reduction").isNull();
        OrderTicket replacement = order("kalshi", Outcome.YES, Side.BUY, "150");
        replacement.setReplacesOrderId(99L);
        assertThat(refusal(replacement)).isNull();
        risk.passed(replacement, null);
        // 100 now, the replacement's 150 short and 60 more: -110, past the limit on the other side.
        assertThat(refusal(order("kalshi", Outcome.YES, Side.BUY, "60"))).contains("max event position 100", "-110 with this order");
        risk.amendEnded(replacement);
        assertThat(refusal(order("kalshi", Outcome.YES, Side.BUY, "60"))).isNull();
    }
}
