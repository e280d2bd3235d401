package com.oddsgate.venue;

import java.util.Locale;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.http.HttpMethods;

/** The HTTP method of a venue call, as the header camel-http reads. */
public final class CallMethod {

    private CallMethod() {
    }

    /**
     * Sets {@code CamelHttpMethod} as camel-http's own enum: a String there is converted on every call,
     * and Camel 4.17 looks that converter up afresh each time (3.6 % of the gateway's CPU at the
     * maximum order rate, BENCHMARKS.md).
     */
    public static void set(Message in, String method) {
        in.setHeader(Exchange.HTTP_METHOD, HttpMethods.valueOf(method.toUpperCase(Locale.ROOT)));
    }
}
