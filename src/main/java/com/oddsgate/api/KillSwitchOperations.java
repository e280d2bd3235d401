package com.oddsgate.api;

import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.springframework.jmx.export.annotation.ManagedAttribute;
import org.springframework.jmx.export.annotation.ManagedOperation;
import org.springframework.jmx.export.annotation.ManagedOperationParameter;
import org.springframework.jmx.export.annotation.ManagedResource;

import com.oddsgate.risk.KillSwitch;

/** The kill switch over JMX (Hawtio): the same routes as the REST calls, recorded as asked by "jmx". */
@ManagedResource(objectName = "oddsgate:type=Gateway,name=killSwitch", description = "oddsgate kill switch")
public class KillSwitchOperations {

    private final KillSwitch killSwitch;
    private final ProducerTemplate producer;

    public KillSwitchOperations(KillSwitch killSwitch, ProducerTemplate producer) {
        this.killSwitch = killSwitch;
        this.producer = producer;
    }

    @ManagedAttribute(description = "ARMED or TRIPPED, by whom, when and why")
    public String getState() {
        return killSwitch.state().view().toString();
    }

    @ManagedOperation(description = "Trip: refuse new orders, stop Polymarket heartbeats, cancel every open order at both venues")
    @ManagedOperationParameter(name = "reason", description = "why (recorded)")
    public String trip(String reason) {
        return producer.requestBodyAndHeaders("direct:trip-kill-switch", null,
                Map.of("X-Requested-By", "jmx", "reason", reason == null ? "" : reason), String.class);
    }

    @ManagedOperation(description = "Re-arm: orders flow again")
    @ManagedOperationParameter(name = "reason", description = "why (recorded)")
    public String rearm(String reason) {
        return producer.requestBodyAndHeaders("direct:rearm-kill-switch", null,
                Map.of("X-Requested-By", "jmx", "reason", reason == null ? "" : reason), String.class);
    }
}
