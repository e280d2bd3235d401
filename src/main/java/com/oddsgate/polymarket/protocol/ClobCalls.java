package com.oddsgate.polymarket.protocol;

import java.time.Clock;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.oddsgate.venue.CallMethod;
import com.oddsgate.venue.RateLimits;

/**
 * What every authenticated CLOB call shares: the signer's rate-limit turn, the exact bytes with L2
 * headers over them (timestamped at sending, so a retry re-sends the same bytes with fresh headers),
 * and the rate-limit headers of the answer.
 */
public class ClobCalls {

    /** Exchange property: this order already has its rate-limit token (taken before it was signed). */
    public static final String PACED = "oddsgatePaced";

    private final PolymarketAccounts accounts;
    private final RateLimits limits;
    private final Clock clock;

    public ClobCalls(PolymarketAccounts accounts, RateLimits limits, Clock clock) {
        this.accounts = accounts;
        this.limits = limits;
        this.clock = clock;
    }

    PolymarketAccounts accounts() {
        return accounts;
    }

    /** A new order's token, taken before it is signed; refused (429) beyond the bound. */
    void admit(PolymarketAccount account) {
        limits.admit(account.wallet().address(), 1);
    }

    /** Every venue call but a new order's first: waits for its tokens (never refused). */
    void awaitTurn(Exchange exchange, PolymarketAccount account, RateLimits.Kind kind, int n) {
        if (kind == RateLimits.Kind.ORDERS && Boolean.TRUE.equals(exchange.removeProperty(PACED))) {
            return;
        }
        limits.await(account.wallet().address(), kind, n);
    }

    /** What the venue's rate-limit headers say, for the signer's buckets. */
    void observeLimits(Message in, PolymarketAccount account) {
        limits.observe(account.wallet().address(), in.getHeader("Poly-RateLimit-Tier", String.class),
                in.getHeader("Poly-RateLimit-Remaining", String.class));
    }

    /** The exact bytes to send and L2 headers over them, timestamped now (after any rate-limit wait). */
    void authenticate(Message in, PolymarketAccount account, String method, String path, byte[] body) {
        in.setBody(body);
        account.l2Headers(clock.instant().getEpochSecond(), method, path, body).forEach(in::setHeader);
        in.setHeader(Exchange.CONTENT_TYPE, "application/json");
        CallMethod.set(in, method);
    }
}
