package com.oddsgate.api;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.message.ApiRefusal;
import com.oddsgate.message.Flow;
import com.oddsgate.message.Json;
import com.oddsgate.order.Decimals;
import com.oddsgate.order.OrderNormalizer;
import com.oddsgate.order.OrderRejectedException;
import com.oddsgate.order.OrderState;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.polymarket.protocol.CancellationEvents;
import com.oddsgate.polymarket.protocol.PolymarketRecovery;
import com.oddsgate.venue.VenueChannels;

/**
 * {@code PATCH /api/orders/{id}} with a new price and/or size. The replacement is built from the
 * original and checked completely first (routes/amends.camel.yaml); only then is the original
 * cancelled, and only a cancelled original is replaced. The new order points at the old one.
 */
public class OrderAmends {

    static final String REPLACEMENT = "oddsgateReplacement";
    /** The amend named a new size: the replacement is that, whatever traded meanwhile. */
    static final String SIZED = "oddsgateAmendSized";
    /** What the venue held as matched of a Polymarket original right before its cancel (size_matched). */
    static final String MATCHED_BEFORE = "oddsgateMatchedBeforeCancel";
    /** What had matched of a Polymarket original could not be read before its cancel: the amend stops there. */
    static final String MATCHED_NOT_READ = "oddsgateMatchedNotRead";
    /** Why a cancelled original's replacement is not placed after all (nothing left, or not known what is). */
    static final String WITHHELD = "oddsgateReplacementWithheld";
    /** The amend's expectation of its original's CANCELLATION event (where the user channel streams its market). */
    static final String AWAITS_CANCELLATION = "oddsgateAwaitsCancellation";
    private static final Set<String> CHANGEABLE = Set.of("price", "size", "clientOrderId");

    private final OrderLedger ledger;
    private final OrderNormalizer normalizer;
    private final PolymarketRecovery polymarket;
    private final CancellationEvents cancellations;
    private final VenueChannels userChannels;
    /** How long an amend waits for the CANCELLATION event that says what had matched (see {@link #matchedBeforeCancel}). */
    private final Duration cancellationWait;
    /**
     * Originals with an amend under way here: two amends of one order at once would both find it
     * CANCELED after their cancels and both place a replacement (under the default clientOrderId
     * the second would be a duplicate; under two given ones, two orders).
     */
    private final Map<Long, String> underWay = new ConcurrentHashMap<>(); // original id → the amend's exchange id

    public OrderAmends(OrderLedger ledger, OrderNormalizer normalizer, PolymarketRecovery polymarket,
            CancellationEvents cancellations, VenueChannels userChannels, Duration cancellationWait) {
        this.ledger = ledger;
        this.normalizer = normalizer;
        this.polymarket = polymarket;
        this.cancellations = cancellations;
        this.userChannels = userChannels;
        this.cancellationWait = cancellationWait;
    }

    /**
     * Builds the replacement ticket of the original the route found (and judged resting); a change
     * that cannot be made is an OrderRejectedException (400, the original untouched: amend-errors).
     */
    public void replacement(Exchange exchange) {
        OrderRecord r = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        String body = exchange.getIn().getBody(String.class);
        JsonNode change;
        try {
            change = Json.ONE_VALUE.readTree(body == null ? "" : body);
        } catch (IOException e) {
            change = null;
        }
        if (change == null || !change.isObject() || (!change.has("price") && !change.has("size"))) {
            throw new OrderRejectedException("body", "a JSON object with a new price and/or size");
        }
        for (var names = change.fieldNames(); names.hasNext();) {
            String f = names.next();
            if (!CHANGEABLE.contains(f)) {
                throw new OrderRejectedException(f, "cannot be amended (only price and size); cancel and place"
                        + " a new order instead");
            }
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("venue", r.venue());
        fields.put("market", r.market());
        if (r.tokenId() != null) {
            fields.put("tokenId", r.tokenId());
        }
        fields.put("outcome", r.outcome());
        fields.put("side", r.side());
        fields.put("price", change.has("price") ? change.get("price") : r.price().toPlainString());
        // Without a new size the replacement carries what is left: what already traded is not placed again.
        BigDecimal remaining = r.size().subtract(r.filledSize() == null ? BigDecimal.ZERO : r.filledSize());
        fields.put("size", change.has("size") ? change.get("size") : remaining.toPlainString());
        fields.put("type", r.type());
        fields.put("timeInForce", r.timeInForce());
        if (r.expiration() != null) {
            fields.put("expiration", r.expiration().toString());
        }
        fields.put("postOnly", r.postOnly());
        // As the original was placed: Polymarket has no reduce-only orders (one recorded with the flag went out without it).
        fields.put("reduceOnly", r.reduceOnly() && "kalshi".equals(r.venue()));
        // The replacement trades for the same account (none recorded: main's, from before accounts).
        fields.put("account", r.account() == null ? "main" : r.account());
        int n = ledger.replacementsOf(r.id()).size() + 1;
        String clientOrderId = change.hasNonNull("clientOrderId") ? change.get("clientOrderId").asText()
                : r.clientOrderId().length() <= 58 ? r.clientOrderId() + "-a" + n : "og-" + r.id() + "-a" + n;
        fields.put("clientOrderId", clientOrderId);
        if (ledger.findByClientOrderId(clientOrderId).isPresent()) {
            // Refused before anything is cancelled: the replacement could never be placed under this id.
            throw new OrderRejectedException("clientOrderId", "'" + clientOrderId + "' is already an order's");
        }
        OrderTicket t = new OrderTicket("api-amend", body, null);
        normalizer.normalize(t, Json.MAPPER.convertValue(fields, Json.MAPPER.getTypeFactory()
                .constructMapType(Map.class, String.class, Object.class)), null);
        if (t.getOrder().price() != null && t.getOrder().size() != null && t.getOrder().price().compareTo(r.price()) == 0
                && (t.getOrder().size().compareTo(r.size()) == 0 || !change.has("size"))) {
            throw new OrderRejectedException("body", "the new price and size are the order's own: nothing to amend");
        }
        t.setReplacesOrderId(r.id());
        String amend = exchange.getExchangeId();
        if (underWay.putIfAbsent(r.id(), amend) != null) {
            throw new ApiRefusal.Conflict("order " + r.id() + " has another amend under way; try again once it is answered");
        }
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                ended(r.id(), amend);
                // expected by matchedBeforeCancel, whatever became of the amend (its own expectation only)
                cancellations.forget(done.getProperty(AWAITS_CANCELLATION, CancellationEvents.Expectation.class));
            }
        });
        exchange.setProperty(REPLACEMENT, t);
        exchange.setProperty(SIZED, change.has("size"));
        exchange.getIn().setBody(t);
    }

    /**
     * After this amend's cancel took the original off the book: a replacement without a new size is
     * what was left at that moment, not what the ledger knew when the amend began (a fill may have
     * come meanwhile, or not reached the gateway yet). Kalshi's cancel answer says it (reduced_by);
     * for Polymarket, whose answer does not, the original's trades are read and recorded first, and
     * what the venue held as matched right before the cancel counts if larger. The
     * replacement only ever shrinks (its checks and reservation were for the larger size); nothing
     * left, or the trades not readable, and it is withheld ({@link #WITHHELD}): nothing placed.
     */
    public void whatIsLeft(Exchange exchange) {
        if (Boolean.TRUE.equals(exchange.getProperty(SIZED))) {
            return;
        }
        try {
            String withheld = shrink(exchange);
            if (withheld != null) {
                exchange.setProperty(WITHHELD, withheld);
            }
        } catch (RuntimeException e) { // the ledger, say: better no replacement than one of unknown size
            exchange.setProperty(WITHHELD, "the original is cancelled, but what is left of it could not be worked out ("
                    + e.getMessage() + ")");
        }
    }

    /**
     * Right before a Polymarket original is cancelled: what the venue holds as matched of it. Its
     * cancel answer will not say, and its trades list can trail the match; {@link #whatIsLeft} takes
     * the larger of the two. Unreadable: {@link #MATCHED_NOT_READ}, and the route stops before the
     * cancel — the trades alone could miss a match and the replacement place again what traded.
     */
    public void matchedBeforeCancel(Exchange exchange) {
        if (Boolean.TRUE.equals(exchange.getProperty(SIZED))) {
            return;
        }
        OrderRecord original = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        try {
            BigDecimal matched = polymarket.sizeMatched(original);
            if (matched != null) {
                exchange.setProperty(MATCHED_BEFORE, matched);
            }
            // A match between this read and the cancel, its trade not listed yet by the time the trades
            // are read, would be placed again. The user channel's CANCELLATION event says what had matched
            // when the cancel took effect: where it streams this market here, the amend waits for it.
            if (streamed(original)) {
                exchange.setProperty(AWAITS_CANCELLATION, cancellations.expect(original.orderHash()));
            }
        } catch (RuntimeException e) {
            String why = "what the venue holds as matched of order " + original.id() + " could not be read (" + e.getMessage() + ")";
            ledger.note(original.id(), "api-amend", "amend stopped before the cancel, order unchanged: " + why);
            exchange.setProperty(MATCHED_NOT_READ, why);
        }
    }

    /** The amend stopped before the cancel ({@link #MATCHED_NOT_READ}): 502, the original untouched. */
    public void matchedNotRead(Exchange exchange) {
        OrderRecord r = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        ended(r.id(), exchange.getExchangeId());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", exchange.getProperty(MATCHED_NOT_READ, String.class) + "; the original was not cancelled and no replacement"
                + " was placed (a replacement sized without it could place again what already traded): try again");
        out.put("order", OrderViews.view(ledger.find(r.id()).orElseThrow()));
        OrderViews.respond(exchange, 502, out);
    }

    /** Whether the user channel streams this Polymarket order's market here, so that its CANCELLATION event can be awaited. */
    private boolean streamed(OrderRecord original) {
        return original.orderHash() != null && userChannels.streaming(polymarket.accountName(original), original.market());
    }

    /**
     * A Polymarket amend without a new size whose original's market the user channel does not stream
     * here: refused before its checks take a rate-limit token or read the venue (the route, as
     * oddsgate.polymarket.amend-without-user-channel says).
     */
    public boolean withoutUserChannel(Exchange exchange) {
        OrderRecord original = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        return original != null && "polymarket".equals(original.venue()) && !Boolean.TRUE.equals(exchange.getProperty(SIZED))
                && !streamed(original);
    }

    /**
     * An amend without a new size, the original's market not streamed by the user channel here: 409,
     * nothing cancelled. What matched between the read of size_matched and the cancel would be known
     * only from the trades list, which can trail the match; a replacement sized by it could place
     * again what already traded.
     */
    public void needsUserChannel(Exchange exchange) {
        OrderRecord r = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        ended(r.id(), exchange.getExchangeId());
        String why = "an amend without a new size needs the Polymarket user channel streaming market " + r.market()
                + " here, to know what matched right up to the cancel; it does not now (switched off, not connected, or"
                + " another instance leads)";
        ledger.note(r.id(), "api-amend", "amend refused before the cancel, order unchanged: " + why);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", why + ". The original was not cancelled and no replacement was placed: give the new size, or cancel"
                + " and place");
        out.put("order", OrderViews.view(ledger.find(r.id()).orElseThrow()));
        OrderViews.respond(exchange, 409, out);
    }

    /** Shrinks the replacement to what was left; why it cannot be placed, or null. */
    private String shrink(Exchange exchange) {
        OrderTicket t = exchange.getProperty(REPLACEMENT, OrderTicket.class);
        OrderRecord original = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        BigDecimal left = exchange.getProperty(Flow.CANCEL_REDUCED_BY, BigDecimal.class);
        if (left == null && "kalshi".equals(original.venue())) {
            // Kalshi's cancel answer says what it took off the book (reduced_by); one that does not (cut
            // short, another shape) leaves only the ledger's fills, which can trail the venue's.
            return "the original is cancelled, but the venue's answer did not say how much it took off the book (reduced_by),"
                    + " so what is left is not known";
        }
        if (left == null) {
            if ("polymarket".equals(original.venue())) {
                try {
                    polymarket.recordTrades(original);
                } catch (RuntimeException e) {
                    return "the original is cancelled, but what it traded before could not be read (" + e.getMessage()
                            + "), so what is left is not known";
                }
                original = ledger.find(original.id()).orElseThrow();
                exchange.setProperty(Flow.RECORD, original);
            }
            BigDecimal filled = original.filledSize() == null ? BigDecimal.ZERO : original.filledSize();
            BigDecimal matchedBefore = exchange.getProperty(MATCHED_BEFORE, BigDecimal.class);
            if (matchedBefore != null && matchedBefore.compareTo(filled) > 0) {
                filled = matchedBefore; // matched at the venue, its trades not listed yet
            }
            CancellationEvents.Expectation awaited = exchange.getProperty(AWAITS_CANCELLATION, CancellationEvents.Expectation.class);
            if (awaited != null) {
                BigDecimal atCancel = cancellations.await(awaited, cancellationWait);
                if (atCancel == null) {
                    return "the original is cancelled, but the venue's cancellation event did not come within "
                            + cancellationWait.toMillis() + " ms, so what had matched when it left the book is not known for sure";
                }
                if (atCancel.compareTo(filled) > 0) {
                    filled = atCancel; // matched between the read above and the cancel, its trade not listed yet
                }
            }
            left = original.size().subtract(filled);
        }
        // Sizes have at most 2 decimals; fills may have more: what is placed rounds down, never up.
        left = left.setScale(Math.min(2, Math.max(0, left.scale())), RoundingMode.DOWN);
        if (left.signum() <= 0) {
            return "the original traded in full before its cancel: nothing is left to place";
        }
        if (left.compareTo(t.getOrder().size()) >= 0) {
            return null;
        }
        BigDecimal minimum = t.getMarket() == null ? null : t.getMarket().minimumSize();
        if (minimum != null && left.compareTo(minimum) < 0) {
            return "what is left of the original after its cancel, " + Decimals.plain(left) + ", is below the market's minimum size of "
                    + Decimals.plain(minimum);
        }
        ledger.note(original.id(), "api-amend", "the replacement is what was left when the cancel took the order off the book: "
                + Decimals.plain(left) + " (the amend began with " + Decimals.plain(t.getOrder().size()) + ")");
        t.setOrder(t.getOrder().withSize(left));
        return null;
    }

    /** The replacement failed its checks: the original is untouched; its history says what was refused. */
    public void refused(Exchange exchange) {
        OrderRejectedException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, OrderRejectedException.class);
        refuse(exchange, exchange.getProperty(Flow.RECORD, OrderRecord.class), e);
    }

    private void refuse(Exchange exchange, OrderRecord original, OrderRejectedException e) {
        ledger.note(original.id(), "api-amend", "amend refused, order unchanged: " + e.getMessage());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", "amend refused; order " + original.id() + " is unchanged: " + e.getMessage());
        out.put("violations", e.violations());
        out.put("order", OrderViews.view(ledger.find(original.id()).orElseThrow()));
        OrderViews.respond(exchange, e.status(), out);
        ended(original.id(), exchange.getExchangeId());
    }

    /**
     * The amend is answered: the order may be amended again. Also when the exchange ends (the answer
     * is written before that), for any path that does not come here.
     */
    private void ended(long originalId, String amend) {
        underWay.remove(originalId, amend); // only this amend's own claim: a refused other request's is not it
    }

    /** The original (by the replacement's link to it) as the ledger holds it after the cancel: the route goes on only if it is CANCELED. */
    public OrderRecord original(OrderTicket replacement) {
        return ledger.find(replacement.getReplacesOrderId()).orElseThrow();
    }

    /** The original was not cancelled: no replacement (the route answers 502 when the venue could not be reached, else 409), with its reason. */
    public Map<String, Object> notCanceled(Exchange exchange) {
        OrderRecord r = exchange.getProperty(Flow.RECORD, OrderRecord.class);
        ended(r.id(), exchange.getExchangeId());
        String withheld = exchange.getProperty(WITHHELD, String.class);
        String why = withheld != null ? withheld
                : Boolean.TRUE.equals(exchange.getProperty(Flow.CANCEL_FOUND_GONE)) ? "the original is cancelled, but not by the"
                        + " venue's answer to this amend's cancel (" + r.reason() + "): an earlier attempt whose answer was lost, or"
                        + " another request, ended it, which cannot be told"
                : r.state() == OrderState.CANCELED ? "the original was cancelled by another request meanwhile, not by this amend"
                : unrecorded(exchange.getIn().getBody(), r.reason());
        return Map.of("error", why + "; no replacement was placed", "order", OrderViews.view(r));
    }

    /**
     * The venue answered this amend's cancel but the ledger could not record it (OrderCancels.ledgerFailed):
     * what it answered, so that a cancelled original is not reported as not cancelled. Otherwise the
     * cancel was refused: {@link #refusal}.
     */
    private static String unrecorded(Object cancelAnswer, String recorded) {
        JsonNode answer = cancelAnswer instanceof String text ? Json.tryRead(text) : null;
        if (answer == null || !answer.path("venueState").isTextual()) {
            return "the original could not be cancelled (" + refusal(cancelAnswer, recorded) + ")";
        }
        String ledger = answer.path("error").asText().replaceFirst("^the venue answered the cancel, but ", "");
        // CANCELED by this cancel's own answer, or found gone after a lost one: the venue's reason tells which.
        return "CANCELED".equals(answer.get("venueState").asText())
                ? "the venue answered this amend's cancel CANCELED (" + answer.path("venueReason").asText() + "), but " + ledger
                : "the original could not be cancelled (" + answer.path("venueReason").asText() + "), and " + ledger;
    }

    /** Why the cancel was refused: the refusal's own words when it answered one (nothing recorded then), else the order's reason. */
    private static String refusal(Object cancelAnswer, String recorded) {
        JsonNode answer = cancelAnswer instanceof String text ? Json.tryRead(text) : null;
        return answer != null && answer.path("error").isTextual() ? answer.get("error").asText() : recorded;
    }

    /** {@code {"replaced": the original, "order": the replacement}} with the replacement's status. */
    public void respond(Exchange exchange) {
        long oldId = exchange.getProperty(Flow.RECORD, OrderRecord.class).id();
        OrderTicket t = exchange.getProperty(REPLACEMENT, OrderTicket.class);
        int status = exchange.getIn().getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
        Map<String, Object> out = new LinkedHashMap<>();
        if (t.isDuplicate()) {
            // Another amend of the order placed its replacement at the same time, or another order took
            // the replacement's clientOrderId meanwhile: this one placed nothing.
            status = 409;
            boolean replacedElsewhere = ledger.find(t.getOrderId()).map(o -> Long.valueOf(oldId).equals(o.replacesOrderId())).orElse(false);
            out.put("error", replacedElsewhere ? "order " + oldId + " was replaced by order " + t.getOrderId()
                    + " (another amend at the same time); this amend placed nothing" : "order " + oldId + " is cancelled, but the"
                    + " replacement's clientOrderId '" + t.getOrder().clientOrderId() + "' became order " + t.getOrderId()
                    + "'s meanwhile; this amend placed nothing");
        }
        out.put("replaced", OrderViews.view(ledger.find(oldId).orElseThrow()));
        out.put("order", t.getOrderId() == null ? null : OrderViews.view(ledger.find(t.getOrderId()).orElseThrow()));
        ended(oldId, exchange.getExchangeId());
        OrderViews.respond(exchange, status, out);
    }

}
