package com.oddsgate.config;

import java.io.IOException;
import java.util.regex.Pattern;

import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * Request-only headers never go back out, whatever route or component wrote the response. Camel's
 * platform-http copies message headers — which start as the request's — onto the response unless a
 * route clears them; this keeps the caller's token and venue credentials from being echoed even
 * where a route (or a component's own, like the OpenAPI document) does not.
 */
public class ResponseHeaderHygiene extends OncePerRequestFilter {

    static final Pattern REQUEST_ONLY = Pattern.compile("(?i)(authorization|proxy-authorization|cookie|host|origin|referer"
            + "|user-agent|http2-settings|upgrade|te|poly_[a-z_]+|kalshi-access-[a-z]+|x-forwarded-.*|forwarded)");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(request, new HttpServletResponseWrapper(response) {
            @Override
            public void setHeader(String name, String value) {
                if (!REQUEST_ONLY.matcher(name).matches()) {
                    super.setHeader(name, value);
                }
            }

            @Override
            public void addHeader(String name, String value) {
                if (!REQUEST_ONLY.matcher(name).matches()) {
                    super.addHeader(name, value);
                }
            }
        });
    }
}
