package com.oddsgate.config;

import java.io.InputStream;

import javax.management.ObjectName;

import org.jolokia.server.core.restrictor.policy.PolicyRestrictor;

/**
 * Jolokia's access policy (src/main/resources/jolokia-access.xml), named by
 * {@code management.endpoint.jolokia.config.restrictorClass}. Jolokia checks an operation or a
 * write against the name in the request; for a pattern ({@code com.sun.management:type=HotSpotDiagnostic,*})
 * that name matches none of the policy's entries, and the call then reaches every MBean the pattern
 * covers, denied ones included. So neither is allowed on a pattern at all (Hawtio names its MBeans).
 */
public class JolokiaPolicy extends PolicyRestrictor {

    public JolokiaPolicy() {
        super(policy());
    }

    private static InputStream policy() {
        InputStream in = JolokiaPolicy.class.getResourceAsStream("/jolokia-access.xml");
        if (in == null) {
            throw new IllegalStateException("jolokia-access.xml is missing from the classpath");
        }
        return in;
    }

    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        return !name.isPattern() && super.isOperationAllowed(name, operation);
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        return !name.isPattern() && super.isAttributeWriteAllowed(name, attribute);
    }
}
