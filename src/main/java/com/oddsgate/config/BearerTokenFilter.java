package com.oddsgate.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import com.oddsgate.message.Json;

/**
 * Every {@code /api} call carries {@code Authorization: Bearer <ODDSGATE_API_TOKEN>}, compared in
 * constant time, and a body of known, bounded size.
 */
public class BearerTokenFilter extends OncePerRequestFilter {

    private final byte[] expected;
    private final long maxBodyBytes;

    public BearerTokenFilter(String token, long maxBodyBytes) {
        this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        byte[] given = header == null ? new byte[0] : header.trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, given)) {
            response.setHeader("WWW-Authenticate", "Bearer");
            Json.refuse(response, 401, "missing or invalid bearer token (Authorization: Bearer <ODDSGATE_API_TOKEN>)");
            return;
        }
        long length = request.getContentLengthLong();
        boolean hasBody = "POST".equals(request.getMethod()) || "PUT".equals(request.getMethod())
                || "PATCH".equals(request.getMethod());
        if (length > maxBodyBytes) {
            Json.refuse(response, 413, "request body of " + length + " bytes exceeds the limit of " + maxBodyBytes);
            return;
        }
        if (hasBody && length < 0) {
            Json.refuse(response, 411, "a request body needs a Content-Length (at most " + maxBodyBytes + " bytes)");
            return;
        }
        chain.doFilter(request, response);
    }

}
