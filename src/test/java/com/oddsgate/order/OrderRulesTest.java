package com.oddsgate.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class OrderRulesTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-21T10:00:00Z"), ZoneOffset.UTC);
    final OrderNormalizer normalizer = new OrderNormalizer();
    final OrderValidator validator = new OrderValidator(CLOCK);
    static final MarketInfo MARKET = new MarketInfo("polymarket", "m", "0xabc", "1", "2", false, new BigDecimal("0.01"),
            new BigDecimal("5"), BigDecimal.ONE);

    OrderTicket ticket(Map<String, Object> fields) {
        OrderTicket t = new OrderTicket("rest", fields.toString(), null);
        normalizer.normalize(t, fields, null);
        return t;
    }

    static Map<String, Object> fields(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void dashboardClickShapeMapsActionToSideAndSideToOutcome() {
        OrderTicket t = ticket(fields("venue", "Polymarket", "tokenId", "2", "conditionId", "0xabc", "tickSize", "0.01",
                "negRisk", false, "side", "no", "priceCents", new BigDecimal("43"), "contracts", new BigDecimal("7"),
                "action", "sell"));
        CanonicalOrder o = t.getOrder();
        assertThat(t.getViolations()).isEmpty();
        assertThat(o.venue()).isEqualTo("polymarket");
        assertThat(o.side()).isEqualTo(Side.SELL);
        assertThat(o.outcome()).isEqualTo(Outcome.NO);
        assertThat(o.price()).isEqualByComparingTo("0.43");
        assertThat(o.size()).isEqualByComparingTo("7");
        assertThat(o.market()).isEqualTo("0xabc");
        assertThat(o.timeInForce()).isEqualTo(TimeInForce.GTC);
        assertThat(o.clientOrderId()).startsWith("og-");
    }

    @Test
    void fractionalCentsStayExact() {
        OrderTicket t = ticket(fields("venue", "polymarket", "market", "m", "outcome", "YES", "side", "BUY",
                "priceCents", "5.6", "size", "10"));
        assertThat(t.getOrder().price()).isEqualByComparingTo("0.056");
        assertThat(t.getOrder().price().scale()).isEqualTo(3);
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsField() {
        OrderTicket t = ticket(fields("side", "HOLD", "price", "x", "type", "STOP"));
        assertThatThrownBy(() -> validator.validate(t)).isInstanceOfSatisfying(OrderRejectedException.class,
                e -> assertThat(e.violations()).extracting(Violation::field)
                        .containsExactlyInAnyOrder("venue", "side", "price", "size", "market", "type"));
    }

    @Test
    void doublesAreRefusedNotRounded() {
        OrderTicket t = ticket(fields("venue", "polymarket", "market", "m", "outcome", "YES", "side", "BUY", "price", 0.1,
                "size", "10"));
        assertThat(t.getViolations()).extracting(Violation::reason).contains("must be an exact decimal");
    }

    @Test
    void timeInForceRules() {
        long now = CLOCK.instant().getEpochSecond();
        assertThatThrownBy(() -> validator.validate(ticket(fields("venue", "polymarket", "market", "m", "outcome", "YES",
                "side", "BUY", "price", "0.5", "size", "10", "timeInForce", "GTD", "expiration", Long.toString(now + 4)))))
                .hasMessageContaining("expiration: must be at least now + 5 s");
        validator.validate(ticket(fields("venue", "polymarket", "market", "m", "outcome", "YES", "side", "BUY", "price", "0.5",
                "size", "10", "timeInForce", "GTD", "expiration", Long.toString(now + 5))));
        assertThatThrownBy(() -> validator.validate(ticket(fields("venue", "polymarket", "market", "m", "outcome", "YES",
                "side", "BUY", "price", "0.5", "size", "10", "timeInForce", "GTD", "expiration", Long.toString((now + 600) * 1000)))))
                .hasMessageContaining("expiration: is unix seconds");
        assertThatThrownBy(() -> validator.validate(ticket(fields("venue", "polymarket", "market", "m", "outcome", "YES",
                "side", "BUY", "price", "0.5", "size", "10", "type", "MARKET", "timeInForce", "GTC"))))
                .hasMessageContaining("a MARKET order is FOK or FAK");
        assertThatThrownBy(() -> validator.validate(ticket(fields("venue", "polymarket", "market", "m", "outcome", "YES",
                "side", "BUY", "price", "0.5", "size", "10", "expiration", Long.toString(now + 600)))))
                .hasMessageContaining("expiration: only with GTD");
    }

    /** Kalshi's client_order_id has no dot (the contract's ^[-\\w:+=/]{1,64}$); Polymarket's may. */
    @Test
    void aDotInAClientOrderIdIsRefusedForKalshiBeforeAnythingIsSigned() {
        assertThatThrownBy(() -> validator.validate(ticket(fields("venue", "kalshi", "market", "KX-T50", "outcome", "YES",
                "side", "BUY", "price", "0.5", "size", "10", "clientOrderId", "desk.a.1"))))
                .hasMessageContaining("clientOrderId: Kalshi takes letters, digits and -_:+=/ only (no dot)");
        validator.validate(ticket(fields("venue", "kalshi", "market", "KX-T50", "outcome", "YES", "side", "BUY", "price", "0.5",
                "size", "10", "clientOrderId", "desk-a:1")));
        validator.validate(ticket(fields("venue", "polymarket", "market", "m", "outcome", "YES", "side", "BUY", "price", "0.5",
                "size", "10", "clientOrderId", "desk.a.1")));
    }

    @Test
    void marketRules() {
        OrderTicket onGrid = ticket(fields("venue", "polymarket", "market", "m", "outcome", "YES", "side", "BUY",
                "price", "0.99", "size", "5"));
        onGrid.setMarket(MARKET);
        validator.validateForMarket(onGrid);

        OrderTicket small = ticket(fields("venue", "polymarket", "market", "m", "outcome", "YES", "side", "BUY",
                "price", "0.5", "size", "4.99"));
        small.setMarket(MARKET);
        assertThatThrownBy(() -> validator.validateForMarket(small)).hasMessageContaining("below the market's minimum of 5");

        OrderTicket cheap = ticket(fields("venue", "polymarket", "market", "m", "outcome", "YES", "side", "BUY",
                "price", "0.10", "size", "9", "timeInForce", "FAK"));
        cheap.setMarket(MARKET);
        assertThatThrownBy(() -> validator.validateForMarket(cheap)).hasMessageContaining("at least $1, got $0.90");
    }

    @Test
    void stateMachine() {
        assertThat(OrderState.RECEIVED.canBecome(OrderState.PENDING_SUBMIT)).isTrue();
        assertThat(OrderState.RECEIVED.canBecome(OrderState.LIVE)).as("nothing reaches the venue unrecorded").isFalse();
        assertThat(OrderState.PENDING_SUBMIT.canBecome(OrderState.UNKNOWN)).isTrue();
        assertThat(OrderState.UNKNOWN.canBecome(OrderState.LIVE)).isTrue();
        assertThat(OrderState.REJECTED.canBecome(OrderState.LIVE)).isFalse();
        assertThat(OrderState.MATCHED.canBecome(OrderState.CANCELED)).isFalse();
        assertThat(OrderState.MATCHED.canBecome(OrderState.LIVE)).as("a venue answer read before its fills").isFalse();
        assertThat(OrderState.FAILED.canBecome(OrderState.PARTIALLY_FILLED)).isFalse();
        // Only its own trades tell these.
        assertThat(OrderState.MATCHED.canBecomeByFills(OrderState.LIVE)).as("its trades all failed: it rests again").isTrue();
        assertThat(OrderState.MATCHED.canBecomeByFills(OrderState.FAILED)).as("a FOK/FAK whose trades all failed").isTrue();
        assertThat(OrderState.FAILED.canBecomeByFills(OrderState.FILLED)).as("a trade of it counted after all").isTrue();
        assertThat(OrderState.FAILED.canBecomeByFills(OrderState.LIVE)).isFalse();
        assertThat(OrderState.FAILED.canBecomeByFills(OrderState.CANCELED)).isFalse();
        assertThat(OrderState.REJECTED.canBecomeByFills(OrderState.FILLED)).isFalse();
        assertThat(OrderState.LIVE.canBecome(OrderState.MATCHED)).isTrue();
    }
}
