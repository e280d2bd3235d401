package com.oddsgate.order;

/** One reason a request cannot become an order: the field and why, in words a trader can act on. */
public record Violation(String field, String reason) {

    @Override
    public String toString() {
        return field + ": " + reason;
    }
}
