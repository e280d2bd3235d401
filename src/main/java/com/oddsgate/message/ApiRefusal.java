package com.oddsgate.message;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request the API refuses, with its HTTP status: thrown by a view, or by a route
 * ({@code throwException} with one of the subclasses), and answered by the {@code api-errors} route
 * configuration (routes/errors.camel.yaml) as {@code {"error", "violations"?}}.
 */
public class ApiRefusal extends RuntimeException {

    private final int status;
    private final transient List<?> violations;
    private final transient Object venueAnswer;

    public ApiRefusal(int status, String message, List<?> violations) {
        super(message, null, false, false);
        this.status = status;
        this.violations = violations == null ? List.of() : List.copyOf(violations);
        this.venueAnswer = null;
    }

    private ApiRefusal(Object venueAnswer, int status, String message) {
        super(message, null, false, false);
        this.status = status;
        this.violations = List.of();
        this.venueAnswer = venueAnswer;
    }

    /** 502 with what the venue answered (its JSON, passed through under {@code venueAnswer}). */
    public static ApiRefusal venueRefused(String message, Object venueAnswer) {
        return new ApiRefusal(venueAnswer, 502, message);
    }

    /** A request parameter that cannot be used: 400 naming the field and why. */
    public static ApiRefusal badRequest(String field, String reason) {
        return new ApiRefusal(400, field + ": " + reason, List.of(Map.of("field", field, "reason", reason)));
    }

    public int getStatus() {
        return status;
    }

    public Map<String, Object> body() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", getMessage());
        if (!violations.isEmpty()) {
            out.put("violations", violations);
        }
        if (venueAnswer != null) {
            out.put("venueAnswer", venueAnswer);
        }
        return out;
    }

    /** 404: what the path names does not exist. */
    public static class NotFound extends ApiRefusal {
        public NotFound(String message) {
            super(404, message, null);
        }

        public NotFound(String message, List<?> violations) {
            super(404, message, violations);
        }
    }

    /** 409: it exists, but its state does not allow what was asked. */
    public static class Conflict extends ApiRefusal {
        public Conflict(String message) {
            super(409, message, null);
        }
    }

    /** 502: the venue could not answer what was asked. */
    public static class BadGateway extends ApiRefusal {
        public BadGateway(String message) {
            super(502, message, null);
        }
    }
}
