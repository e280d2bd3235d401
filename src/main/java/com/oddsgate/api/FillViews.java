package com.oddsgate.api;

import com.oddsgate.message.ApiRefusal;
import com.oddsgate.message.Secrets;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.oddsgate.fills.FillQueries;
import com.oddsgate.fills.FillRecord;
import com.oddsgate.fills.Position;
import com.oddsgate.fills.PositionCheck;
import com.oddsgate.fills.TradeStatus;

/** {@code GET /api/fills}, {@code GET /api/positions}, and the fills shown in an order's view. */
public class FillViews {

    private final FillQueries book;
    private final PositionCheck check;

    public FillViews(FillQueries book, PositionCheck check) {
        this.book = book;
        this.check = check;
    }

    /** {@code ?orderId=&venue=&since=(ISO-8601, first seen or changed)&limit=}. */
    public Map<String, Object> listFills(Exchange exchange) {
        Message in = exchange.getIn();
        Long orderId = null;
        Instant since = null;
        int limit = 100;
        try {
            String o = in.getHeader("orderId", String.class);
            orderId = o == null || o.isBlank() ? null : Long.parseLong(o.trim());
        } catch (NumberFormatException e) {
            throw ApiRefusal.badRequest("orderId", "must be an order id (a whole number)");
        }
        try {
            String s = in.getHeader("since", String.class);
            since = s == null || s.isBlank() ? null : Instant.parse(s.trim());
        } catch (DateTimeParseException e) {
            throw ApiRefusal.badRequest("since", "must be an ISO-8601 instant, e.g. 2026-11-21T10:00:00Z");
        }
        try {
            String l = in.getHeader("limit", String.class);
            limit = l == null || l.isBlank() ? 100 : Math.max(1, Math.min(OrderViews.MAX_LIMIT * 10, Integer.parseInt(l.trim())));
        } catch (NumberFormatException e) {
            throw ApiRefusal.badRequest("limit", "must be a whole number");
        }
        List<Map<String, Object>> fills = book.list(orderId, in.getHeader("venue", String.class), since, limit).stream()
                .map(FillViews::view).toList();
        return Map.of("fills", fills, "count", fills.size());
    }

    /** Our positions from fills, and the open disagreements with the venues' own positions. */
    public Map<String, Object> positions(Exchange exchange) {
        String venue = exchange.getIn().getHeader("venue", String.class);
        List<Map<String, Object>> positions = new ArrayList<>();
        for (Position p : book.positions(venue)) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("venue", p.venue());
            v.put("account", shown(p.venue(), p.account()));
            v.put("market", p.market());
            v.put("tokenId", p.tokenId());
            v.put("outcome", p.outcome());
            v.put("size", p.size().toPlainString());
            v.put("bought", p.bought().toPlainString());
            v.put("sold", p.sold().toPlainString());
            v.put("averageBuyPrice", p.averageBuyPrice() == null ? null : p.averageBuyPrice().toPlainString());
            v.put("unconfirmed", p.unconfirmed().toPlainString());
            v.put("fills", p.fills());
            positions.add(v);
        }
        List<Map<String, Object>> alerts = check.openAlerts(venue).stream().map(a -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", a.id());
            v.put("at", a.at().toString());
            v.put("venue", a.venue());
            v.put("account", shown(a.venue(), a.account()));
            v.put("tokenId", a.tokenId());
            v.put("market", a.market());
            v.put("ours", a.ours().toPlainString());
            v.put("venueSays", a.theirs().toPlainString());
            return v;
        }).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("positions", positions);
        out.put("alerts", alerts);
        String failed = exchange.getIn().getHeader(CatchUps.FAILED, String.class);
        if (failed != null) {
            out.put("catchUpFailed", failed); // a sync whose fills could not all be read: that venue was not compared
        }
        return out;
    }

    /**
     * An order's fills with the buckets of one match merged into one trade: total size, average
     * price, and the least settled status among the buckets.
     */
    public List<Map<String, Object>> merged(long orderId) {
        Map<String, List<FillRecord>> groups = new LinkedHashMap<>();
        for (FillRecord f : book.forOrder(orderId)) {
            groups.computeIfAbsent(f.matchGroup(), k -> new ArrayList<>()).add(f);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        groups.forEach((group, parts) -> {
            BigDecimal size = BigDecimal.ZERO;
            BigDecimal notional = BigDecimal.ZERO;
            BigDecimal fee = BigDecimal.ZERO;
            boolean feeKnown = true;
            TradeStatus status = null;
            List<String> ids = new ArrayList<>();
            for (FillRecord f : parts) {
                ids.add(f.tradeId() + (parts.size() > 1 ? "#" + f.bucketIndex() : ""));
                if (f.status().counts()) {
                    size = size.add(f.size());
                    notional = notional.add(f.size().multiply(f.price()));
                    feeKnown &= f.fee() != null; // a part without its fee: the match's total is unknown, not partial
                    fee = f.fee() == null ? fee : fee.add(f.fee());
                }
                status = status == null || settledness(f.status()) < settledness(status) ? f.status() : status;
            }
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("trades", ids);
            v.put("buckets", parts.size());
            v.put("side", parts.get(0).side());
            v.put("role", parts.get(0).role());
            v.put("size", size.stripTrailingZeros().toPlainString());
            v.put("price", size.signum() == 0 ? null
                    : notional.divide(size, 10, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString());
            v.put("fee", feeKnown && size.signum() > 0 ? fee.stripTrailingZeros().toPlainString() : null);
            v.put("status", status.name());
            v.put("matchedAt", parts.get(0).matchedAt().toString());
            out.add(v);
        });
        return out;
    }

    private static int settledness(TradeStatus s) {
        return switch (s) {
            case UNKNOWN, MATCHED -> 0;
            case RETRYING -> 1;
            case MINED -> 2;
            case CONFIRMED, FAILED -> 3;
        };
    }

    static Map<String, Object> view(FillRecord f) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", f.id());
        v.put("venue", f.venue());
        v.put("tradeId", f.tradeId());
        v.put("bucketIndex", f.bucketIndex());
        v.put("venueOrderId", f.venueOrderId());
        v.put("orderId", f.orderId());
        v.put("account", shown(f.venue(), f.account()));
        v.put("market", f.market());
        v.put("tokenId", f.tokenId());
        v.put("outcome", f.outcome());
        v.put("side", f.side());
        v.put("price", f.price().toPlainString());
        v.put("size", f.size().toPlainString());
        v.put("role", f.role());
        v.put("fee", f.fee() == null ? null : f.fee().toPlainString());
        v.put("status", f.status().name());
        v.put("matchedAt", f.matchedAt().toString());
        v.put("firstSource", f.firstSource());
        v.put("deliveries", f.deliveries());
        v.put("updatedAt", f.updatedAt().toString());
        return v;
    }

    /** The account as shown: a Kalshi account is its API key id, masked like every credential. */
    private static String shown(String venue, String account) {
        return "kalshi".equals(venue) ? Secrets.mask(account) : account;
    }
}