package com.oddsgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import com.oddsgate.message.Flow;

/**
 * The called route's answer is taken into the caller, but not its redelivery bookkeeping: Camel
 * counts a later call's redeliveries on from those headers, so an amend whose cancel needed every
 * retry would send its replacement with none left.
 */
class CalledAnswerTest {

    @Test
    void theCallersExchangeTakesTheAnswerButNotTheCalledRoutesRedeliveryCount() {
        DefaultCamelContext camel = new DefaultCamelContext();
        Exchange caller = new DefaultExchange(camel);
        Exchange called = new DefaultExchange(camel);
        called.getMessage().setBody("{\"state\":\"CANCELED\"}");
        called.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        called.getMessage().setHeader(Exchange.REDELIVERY_COUNTER, 3);
        called.getMessage().setHeader(Exchange.REDELIVERY_MAX_COUNTER, 3);
        called.getMessage().setHeader(Exchange.REDELIVERED, true);
        called.setProperty(Flow.CANCELED_HERE, true);

        new CalledAnswer().aggregate(caller, called);

        assertThat(caller.getMessage().getBody(String.class)).contains("CANCELED");
        assertThat(caller.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        assertThat(caller.getMessage().getHeaders()).doesNotContainKeys(Exchange.REDELIVERY_COUNTER, Exchange.REDELIVERY_MAX_COUNTER,
                Exchange.REDELIVERED);
        assertThat(caller.getProperty(Flow.CANCELED_HERE, Boolean.class)).isTrue();
    }
}
