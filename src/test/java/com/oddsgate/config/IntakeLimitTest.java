package com.oddsgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * Order requests beyond the in-flight limit are answered 503 with Retry-After at once; a place is
 * held until the request completes, asynchronous ones included; reads are never limited.
 */
class IntakeLimitTest {

    @Test
    void beyondTheLimitAnOrderRequestIsShedUntilOneCompletes() throws Exception {
        Counter shed = Counter.builder("shed").register(new SimpleMeterRegistry());
        IntakeLimit limit = new IntakeLimit(1, shed);
        // The first order request goes on asynchronously (as Camel answers it later): it keeps its place.
        MockHttpServletRequest first = post();
        first.setAsyncSupported(true);
        FilterChain async = (req, res) -> req.startAsync();
        limit.doFilter(first, new MockHttpServletResponse(), async);
        assertThat(limit.inFlight()).isEqualTo(1);

        MockHttpServletResponse refused = new MockHttpServletResponse();
        boolean[] reached = {false};
        limit.doFilter(post(), refused, (req, res) -> reached[0] = true);
        assertThat(reached[0]).as("nothing behind the limit saw it").isFalse();
        assertThat(refused.getStatus()).isEqualTo(503);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
        assertThat(refused.getContentAsString()).contains("nothing was recorded or sent");
        assertThat(shed.count()).isEqualTo(1);
        MockHttpServletRequest sneaky = new MockHttpServletRequest("POST", "//api//orders;x=1");
        sneaky.setRequestURI("//api//orders;x=1");
        MockHttpServletResponse alsoRefused = new MockHttpServletResponse();
        limit.doFilter(sneaky, alsoRefused, (req, res) -> reached[0] = true);
        assertThat(alsoRefused.getStatus()).as("another spelling of the path").isEqualTo(503);

        // Reads are not limited.
        MockHttpServletRequest read = new MockHttpServletRequest("GET", "/api/orders/1");
        MockHttpServletResponse readAnswer = new MockHttpServletResponse();
        limit.doFilter(read, readAnswer, (req, res) -> ((jakarta.servlet.http.HttpServletResponse) res).setStatus(200));
        assertThat(readAnswer.getStatus()).isEqualTo(200);

        first.getAsyncContext().complete();
        assertThat(limit.inFlight()).isZero();
        MockHttpServletResponse next = new MockHttpServletResponse();
        limit.doFilter(post(), next, (req, res) -> reached[0] = true);
        assertThat(reached[0]).isTrue();
        assertThat(limit.inFlight()).as("a synchronous request gives its place back at once").isZero();
    }

    private static MockHttpServletRequest post() {
        MockHttpServletRequest r = new MockHttpServletRequest("POST", "/api/orders");
        r.setRequestURI("/api/orders");
        return r;
    }
}
