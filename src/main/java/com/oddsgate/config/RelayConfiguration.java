package com.oddsgate.config;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import org.apache.camel.CamelContext;
import org.apache.camel.component.vertx.websocket.VertxWebsocketComponent;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import com.oddsgate.relay.RelayFilter;
import com.oddsgate.relay.RelayGuard;
import com.oddsgate.relay.RelayPolicy;
import com.oddsgate.relay.RelayWebSockets;
import com.oddsgate.risk.KillSwitch;

/**
 * The browser relay: its guard and filter for /poly/** and /kalshi/**, and the WebSocket relay on its
 * own Vert.x server.
 */
@Configuration(proxyBeanMethods = false)
public class RelayConfiguration {

    /** The browser relay's policies, one per venue; the upstreams are the venues' configured base URLs. */
    @Bean
    RelayGuard relayGuard(Environment env, Clock clock, KillSwitch killSwitch) {
        Set<String> origins = set(env, "oddsgate.relay.allowed-origins");
        Set<String> hosts = set(env, "oddsgate.relay.allowed-upstream-hosts");
        String token = env.getProperty("oddsgate.relay.token", "");
        long maxBody = env.getRequiredProperty("oddsgate.relay.max-body-bytes", Long.class);
        double rate = env.getRequiredProperty("oddsgate.relay.rate-per-second", Double.class);
        double burst = env.getRequiredProperty("oddsgate.relay.burst", Double.class);
        return Settings.check(() -> new RelayGuard(
                new RelayPolicy("polymarket", env.getRequiredProperty("oddsgate.polymarket.clob-url"),
                        List.copyOf(set(env, "oddsgate.relay.polymarket-prefixes")), maxBody, origins, token, rate, burst, hosts, clock),
                new RelayPolicy("kalshi", env.getRequiredProperty("oddsgate.kalshi.base-url"),
                        List.copyOf(set(env, "oddsgate.relay.kalshi-prefixes")), maxBody, origins, token, rate, burst, hosts, clock),
                env.getRequiredProperty("oddsgate.kalshi.api-prefix"), () -> killSwitch.current().tripped()));
    }

    @Bean
    RelayWebSockets relayWebSockets(CamelContext camel, Environment env) {
        return new RelayWebSockets(camel, env.getRequiredProperty("oddsgate.polymarket.ws-url"),
                env.getRequiredProperty("oddsgate.relay.ws.keepalive", Duration.class).toMillis(),
                env.getProperty("oddsgate.relay.token", ""),
                env.getRequiredProperty("oddsgate.relay.ws.max-connections", Integer.class),
                env.getRequiredProperty("oddsgate.relay.ws.max-pending-frames", Integer.class));
    }

    /** The Vert.x instance of the relay's WebSocket server and its upstream connections. */
    @Bean(destroyMethod = "close")
    Vertx relayVertx() {
        return Vertx.vertx();
    }

    /**
     * camel-vertx-websocket with a router whose first handler admits a browser (relay token,
     * connection cap) before Camel's WebSocket upgrade runs.
     */
    @Bean("vertx-websocket")
    VertxWebsocketComponent vertxWebsocketComponent(Vertx relayVertx,
            RelayWebSockets relay) {
        var component = new VertxWebsocketComponent();
        component.setVertx(relayVertx);
        Router router = Router.router(relayVertx);
        router.route("/poly/ws/*").handler(relay::admit);
        component.setRouter(router);
        return component;
    }

    @Bean
    FilterRegistrationBean<RelayFilter> relayFilter(RelayGuard guard) {
        FilterRegistrationBean<RelayFilter> reg = new FilterRegistrationBean<>(new RelayFilter(guard));
        reg.addUrlPatterns("/poly/*", "/kalshi/*");
        return reg;
    }

    private static Set<String> set(Environment env, String property) {
        String[] values = env.getProperty(property, String[].class, new String[0]);
        Set<String> out = new LinkedHashSet<>();
        for (String v : values) {
            if (!v.isBlank()) {
                out.add(v.trim());
            }
        }
        return out;
    }
}
