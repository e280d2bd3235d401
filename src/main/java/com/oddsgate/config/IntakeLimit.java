package com.oddsgate.config;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Semaphore;

import io.micrometer.core.instrument.Counter;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import com.oddsgate.message.Json;

/**
 * Load shedding for order intake: at most {@code maxInFlight} order requests (POST, PATCH, DELETE
 * under /api/orders) are being worked on at once; one more is answered {@code 503} with
 * {@code Retry-After} at once, before anything is read, recorded, signed or sent, so a client may
 * send it again as it is. Without it, requests beyond what the ledger commits pile up in memory
 * (their HTTP threads are released while Camel works) until the heap runs out.
 */
public class IntakeLimit extends OncePerRequestFilter {

    private final Semaphore permits;
    private final int maxInFlight;
    private final Counter shed;

    public IntakeLimit(int maxInFlight, Counter shed) {
        this.maxInFlight = maxInFlight;
        this.permits = new Semaphore(maxInFlight);
        this.shed = shed;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        // The path as routed: doubled slashes and ;parameters do not get an order past the limit.
        String path = request.getRequestURI().replaceAll(";[^/]*", "").replaceAll("/{2,}", "/");
        return "GET".equals(request.getMethod()) || !path.startsWith("/api/orders");
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return true; // the permit is held from the first dispatch until the request completes
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!permits.tryAcquire()) {
            shed.increment();
            response.setStatus(503);
            response.setHeader("Retry-After", "1");
            response.setContentType("application/json");
            response.getWriter().write(Json.write(Map.of("error", "the gateway is working on " + maxInFlight
                    + " order requests already (oddsgate.intake.max-in-flight): nothing was recorded or sent; send it again shortly")));
            return;
        }
        boolean async = false;
        try {
            chain.doFilter(request, response);
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new AsyncListener() {
                    @Override
                    public void onComplete(AsyncEvent event) {
                        permits.release();
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {
                        // onComplete follows
                    }

                    @Override
                    public void onError(AsyncEvent event) {
                        // onComplete follows
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event) {
                        // the same request, still in flight
                    }
                });
                async = true; // only now does the listener give the place back
            }
        } finally {
            if (!async) {
                permits.release();
            }
        }
    }

    /** Order requests being worked on now. */
    public int inFlight() {
        return maxInFlight - permits.availablePermits();
    }
}
