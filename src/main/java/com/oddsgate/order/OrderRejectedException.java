package com.oddsgate.order;

import java.util.List;

/**
 * The request cannot become a venue order; thrown before anything is signed. Handled in the
 * routes' error configuration: the order is recorded REJECTED and the caller gets the violations.
 */
public class OrderRejectedException extends RuntimeException {

    private final transient List<Violation> violations;
    private final int status;

    public OrderRejectedException(List<Violation> violations) {
        this(violations, 400);
    }

    /** @param status the HTTP status of the refusal: 400 for the request itself, 429/503 when the gateway cannot take it now */
    public OrderRejectedException(List<Violation> violations, int status) {
        super(violations.stream().map(Violation::toString).reduce((a, b) -> a + "; " + b).orElse("rejected"));
        this.violations = List.copyOf(violations);
        this.status = status;
    }

    public OrderRejectedException(String field, String reason, int status) {
        this(List.of(new Violation(field, reason)), status);
    }

    public OrderRejectedException(String field, String reason) {
        this(List.of(new Violation(field, reason)));
    }

    public List<Violation> violations() {
        return violations;
    }

    public int status() {
        return status;
    }
}
