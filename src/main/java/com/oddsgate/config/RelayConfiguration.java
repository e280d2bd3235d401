package com.oddsgate.config;

import java.time.Clock;
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
    RelayGuard relayGuard(OddsgateProperties settings, Clock clock, KillSwitch killSwitch) {
        OddsgateProperties.Relay relay = settings.relay();
        Set<String> origins = new LinkedHashSet<>(relay.allowedOrigins());
        Set<String> hosts = new LinkedHashSet<>(relay.allowedUpstreamHosts());
        String token = relay.token();
        long maxBody = relay.maxBodyBytes();
        double rate = relay.ratePerSecond();
        double burst = relay.burst();
        return Settings.check(() -> new RelayGuard(
                new RelayPolicy("polymarket", settings.polymarket().clobUrl(), List.copyOf(new LinkedHashSet<>(relay.polymarketPrefixes())),
                        maxBody, origins, token, rate, burst, hosts, clock),
                new RelayPolicy("kalshi", settings.kalshi().baseUrl(), List.copyOf(new LinkedHashSet<>(relay.kalshiPrefixes())),
                        maxBody, origins, token, rate, burst, hosts, clock),
                settings.kalshi().apiPrefix(), () -> killSwitch.current().tripped()));
    }

    @Bean
    RelayWebSockets relayWebSockets(CamelContext camel, OddsgateProperties settings) {
        OddsgateProperties.Relay.Ws ws = settings.relay().ws();
        return new RelayWebSockets(camel, ws.keepalive().toMillis(), settings.relay().token(),
                ws.maxConnections(), ws.maxPendingFrames());
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

}
