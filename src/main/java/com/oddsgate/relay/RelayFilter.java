package com.oddsgate.relay;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import com.oddsgate.message.Json;

/**
 * In front of the relay paths, before Spring MVC or Camel parse anything: answers CORS preflights
 * locally (Spring would refuse them for a handler without CORS mappings), and refuses bodies that
 * are too large by their Content-Length or are forms (the venues speak JSON; a form would be parsed,
 * not relayed byte for byte).
 */
public class RelayFilter extends OncePerRequestFilter {

    private final RelayGuard guard;

    public RelayFilter(RelayGuard guard) {
        this.guard = guard;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        RelayPolicy policy = guard.policyFor(request.getRequestURI());
        if (policy == null) {
            chain.doFilter(request, response);
            return;
        }
        String origin = request.getHeader("Origin");
        if ("OPTIONS".equals(request.getMethod())) {
            if (origin == null || !policy.originAllowed(origin)) {
                Json.refuse(response, 403, "origin " + origin + " is not allowed by this relay");
                return;
            }
            response.setStatus(204);
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.setHeader("Vary", "Origin");
            response.setHeader("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
            response.setHeader("Access-Control-Allow-Headers", RelayGuard.ALLOWED_HEADERS);
            response.setHeader("Access-Control-Max-Age", "600");
            return;
        }
        if (request.getContentLengthLong() < 0 && request.getHeader("Transfer-Encoding") != null) {
            // A chunked body has no length to check before it is read whole into memory: the official
            // clients always send Content-Length, so the relay asks for it.
            Json.refuse(response, 411, "the relay needs a Content-Length (at most " + policy.maxBodyBytes() + " bytes), not a chunked body");
            return;
        }
        if (request.getContentLengthLong() > policy.maxBodyBytes()) {
            Json.refuse(response, 413, "body of " + request.getContentLengthLong() + " bytes exceeds the relay limit of "
                    + policy.maxBodyBytes());
            return;
        }
        String type = request.getContentType();
        if (type != null && (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/"))) {
            Json.refuse(response, 415, "the relay forwards JSON bodies only, not " + type);
            return;
        }
        chain.doFilter(request, response);
    }

}
