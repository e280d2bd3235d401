package com.oddsgate.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One request travelling through the routes: what came in, what it became, and what the ledger
 * and the venue said. It is the message body from intake to the venue route's last step.
 */
public class OrderTicket {

    private final String source;
    private final String raw;
    private final Integer line;
    private CanonicalOrder order;
    private final List<Violation> violations = new ArrayList<>();
    private Long orderId;
    private boolean duplicate;
    private MarketInfo market;
    private String orderHash;
    private String signedPayload;

    public OrderTicket(String source, String raw, Integer line) {
        this.source = source;
        this.raw = raw;
        this.line = line;
    }

    /**
     * A ticket that sends again exactly what the ledger recorded for an order (recovery), with the
     * account it was signed for (null: the venue's default).
     */
    public static OrderTicket resend(long orderId, String orderHash, String signedPayload, String account) {
        OrderTicket t = new OrderTicket("recovery", null, null);
        t.setOrderId(orderId);
        t.setSigned(orderHash, signedPayload);
        t.resendAccount = account;
        return t;
    }

    /** A re-send's account; a ticket with an order carries it on the order. */
    private String resendAccount;

    /** The account the order is (or was) signed for; null: the venue's default. */
    public String getAccount() {
        return order != null ? order.account() : resendAccount;
    }

    public String getSource() {
        return source;
    }

    public String getRaw() {
        return raw;
    }

    /** Line (CSV) or element number (JSON array) within a dropped file; null for REST. */
    public Integer getLine() {
        return line;
    }

    public CanonicalOrder getOrder() {
        return order;
    }

    public void setOrder(CanonicalOrder order) {
        this.order = order;
    }

    /** Venue name for the content-based router; empty when the request named none. */
    public String getVenue() {
        return order == null || order.venue() == null ? "" : order.venue();
    }

    public List<Violation> getViolations() {
        return violations;
    }

    public Long getOrderId() {
        return orderId;
    }

    public void setOrderId(Long orderId) {
        this.orderId = orderId;
    }

    public boolean isDuplicate() {
        return duplicate;
    }

    public void setDuplicate(boolean duplicate) {
        this.duplicate = duplicate;
    }

    public MarketInfo getMarket() {
        return market;
    }

    public void setMarket(MarketInfo market) {
        this.market = market;
    }

    /** Money already reserved for this order (an amend's replacement, before its original was cancelled). */
    private BigDecimal reserved;
    private long reservedAgainst;
    /** Its rate-limit token already taken (the same case). */
    private boolean paced;
    /** It passed the pre-trade risk limits already (an amend's replacement, before its original was cancelled). */
    private boolean riskChecked;

    /** Why the gateway chose the venue, for a best-venue order; null otherwise. */
    private String choice;

    public String getChoice() {
        return choice;
    }

    public void setChoice(String choice) {
        this.choice = choice;
    }

    public boolean isRiskChecked() {
        return riskChecked;
    }

    public void setRiskChecked(boolean riskChecked) {
        this.riskChecked = riskChecked;
    }

    public BigDecimal getReserved() {
        return reserved;
    }

    public void setReserved(BigDecimal reserved) {
        this.reserved = reserved;
    }

    /** Which reading of the venue's balance {@link #getReserved} was held against (its funds check counts them). */
    public long getReservedAgainst() {
        return reservedAgainst;
    }

    public void setReservedAgainst(long reading) {
        this.reservedAgainst = reading;
    }

    public boolean isPaced() {
        return paced;
    }

    public void setPaced(boolean paced) {
        this.paced = paced;
    }

    /** When the ledger recorded the request. */
    private Instant receivedAt;

    public Instant getReceivedAt() {
        return receivedAt;
    }

    public void setReceivedAt(Instant receivedAt) {
        this.receivedAt = receivedAt;
    }

    private Long replacesOrderId;

    /** The order this one replaces (an amend), or null. */
    public Long getReplacesOrderId() {
        return replacesOrderId;
    }

    public void setReplacesOrderId(Long replacesOrderId) {
        this.replacesOrderId = replacesOrderId;
    }

    public String getOrderHash() {
        return orderHash;
    }

    public String getSignedPayload() {
        return signedPayload;
    }

    public void setSigned(String orderHash, String signedPayload) {
        this.orderHash = orderHash;
        this.signedPayload = signedPayload;
    }

    @Override
    public String toString() {
        return "OrderTicket[orderId=" + orderId + ", source=" + source + ", line=" + line + "]";
    }
}
