package com.oddsgate.order;

import java.util.List;

/**
 * The request cannot become a venue order; thrown before anything is signed. Handled in the
 * routes' error configuration: the order is recorded REJECTED and the caller gets the violations.
 */
public class OrderRejectedException extends RuntimeException {

    private final transient List<Violation> violations;

    public OrderRejectedException(List<Violation> violations) {
        super(violations.stream().map(Violation::toString).reduce((a, b) -> a + "; " + b).orElse("rejected"));
        this.violations = List.copyOf(violations);
    }

    public OrderRejectedException(String field, String reason) {
        this(List.of(new Violation(field, reason)));
    }

    public List<Violation> violations() {
        return violations;
    }
}
