package com.oddsgate;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Random;

/** Ports for servers the tests start themselves (a relay's own port, a gateway or simulator in a process of its own). */
final class TestPorts {

    private static final Random RANDOM = new Random();

    private TestPorts() {
    }

    /**
     * A free port below Linux's ephemeral range (32768+): the port is bound long after it is chosen
     * (when a context or a child process starts), and a port from that range may meanwhile have become
     * the local end of some outbound connection.
     */
    static int freePort() {
        for (int i = 0; i < 200; i++) {
            int candidate = 20000 + RANDOM.nextInt(12000);
            try (ServerSocket s = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port between 20000 and 32000");
    }
}
