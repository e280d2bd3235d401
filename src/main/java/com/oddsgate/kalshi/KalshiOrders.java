package com.oddsgate.kalshi;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

import com.oddsgate.message.Json;
import com.oddsgate.order.CanonicalOrder;
import com.oddsgate.order.MarketInfo;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.Outcome;
import com.oddsgate.order.Side;
import com.oddsgate.order.TimeInForce;

/**
 * A canonical order as a Kalshi order. Kalshi's current API quotes everything on the YES book:
 * buying YES at p is a bid at p, selling YES an ask at p; buying NO at p is an ask on YES at 1 − p,
 * selling NO a bid on YES at 1 − p. Counts and prices are decimal strings (dollars).
 */
public class KalshiOrders {

    /** One side of the YES book at one price. */
    public record YesBook(String side, BigDecimal price) {
    }

    private final KalshiSettings settings;

    public KalshiOrders(KalshiSettings settings) {
        this.settings = settings;
    }

    public static YesBook yesBook(Side side, Outcome outcome, BigDecimal price) {
        boolean yes = outcome == Outcome.YES;
        BigDecimal p = yes ? price : BigDecimal.ONE.subtract(price);
        boolean bid = (side == Side.BUY) == yes;
        return new YesBook(bid ? "bid" : "ask", p);
    }

    public static String timeInForce(TimeInForce tif) {
        return switch (tif) {
            case GTC, GTD -> "good_till_canceled";
            case FOK -> "fill_or_kill";
            case FAK -> "immediate_or_cancel";
        };
    }

    /** Puts the exact request body on the ticket; Kalshi's idempotency key is the clientOrderId. */
    public OrderTicket build(OrderTicket ticket) {
        ticket.setSigned(null, body(ticket.getOrder(), ticket.getMarket()));
        return ticket;
    }

    public String body(CanonicalOrder o, MarketInfo m) {
        int decimals = Math.max(2, m.tickSize().stripTrailingZeros().scale());
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("ticker", m.conditionId());
        b.put("client_order_id", o.clientOrderId());
        YesBook y = yesBook(o.side(), o.outcome(), o.price());
        b.put("side", y.side());
        b.put("count", o.size().setScale(2, RoundingMode.UNNECESSARY).toPlainString());
        b.put("price", y.price().setScale(decimals, RoundingMode.UNNECESSARY).toPlainString());
        b.put("time_in_force", timeInForce(o.timeInForce()));
        b.put("self_trade_prevention_type", settings.selfTradePrevention());
        if (o.timeInForce() == TimeInForce.GTD) {
            b.put("expiration_time", o.expiration());
        }
        b.put("post_only", o.postOnly());
        b.put("reduce_only", o.reduceOnly());
        return Json.write(b);
    }
}
