package com.oddsgate.sim;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A simulator's routing table: method and path (exact, or a prefix whose remainder the handler
 * gets) to a handler, tried in the order they were added. {@code C} is what the venue learnt about
 * the caller first (nothing, or the authenticated account).
 */
final class SimRoutes<C> {

    @FunctionalInterface
    interface Handler<C> {
        SimulatorServer.Reply handle(SimulatorServer.Request request, C caller, String rest) throws IOException;
    }

    private record Route<C>(String method, String path, boolean prefix, Handler<C> handler) {
        boolean matches(SimulatorServer.Request r) {
            return (method == null || method.equals(r.method())) && (prefix ? r.path().startsWith(path) : r.path().equals(path));
        }
    }

    private final List<Route<C>> routes = new ArrayList<>();

    /** {@code method} null: any method. */
    SimRoutes<C> on(String method, String path, Handler<C> handler) {
        routes.add(new Route<>(method, path, false, handler));
        return this;
    }

    SimRoutes<C> under(String method, String prefix, Handler<C> handler) {
        routes.add(new Route<>(method, prefix, true, handler));
        return this;
    }

    /** The first matching route's reply, or null when none matches. */
    SimulatorServer.Reply dispatch(SimulatorServer.Request r, C caller) throws IOException {
        for (Route<C> route : routes) {
            if (route.matches(r)) {
                return route.handler().handle(r, caller, route.prefix() ? r.path().substring(route.path().length()) : "");
            }
        }
        return null;
    }
}
