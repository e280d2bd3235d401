package com.oddsgate.config;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import com.oddsgate.sim.KalshiSim;
import com.oddsgate.sim.PolymarketSim;
import com.oddsgate.sim.SimulatorServer;

/**
 * The built-in venue simulators (default profile), started before anything talks to a venue.
 */
@Configuration(proxyBeanMethods = false)
public class SimulatorConfiguration {

    /** The built-in venue simulators (default profile); started before anything talks to a venue. */
    @Bean(destroyMethod = "stop")
    @ConditionalOnProperty(name = "oddsgate.sim.enabled", havingValue = "true")
    SimulatorServer simulatorServer(Clock clock, @Value("${oddsgate.sim.host}") String host,
            @Value("${oddsgate.sim.port}") int port, @Value("${oddsgate.sim.ws-port}") int wsPort,
            @Value("${oddsgate.sim.polymarket-fixtures}") String polymarket,
            @Value("${oddsgate.sim.kalshi-fixtures}") String kalshi, Environment env) throws IOException {
        PolymarketSim.RateTier tier = switch (env.getProperty("oddsgate.sim.rate-tier", "top")) {
            case "lowest", "standard" -> PolymarketSim.RateTier.LOWEST;
            case "top", "elite" -> PolymarketSim.RateTier.TOP;
            default -> throw new IllegalArgumentException("oddsgate.sim.rate-tier must be lowest or top");
        };
        return new SimulatorServer(host, port, wsPort, new PolymarketSim(clock).loadFixtures(Path.of(polymarket))
                .settleTradesAfter(env.getRequiredProperty("oddsgate.sim.trade-settle-delay", Duration.class)).rateTier(tier),
                new KalshiSim(clock).loadFixtures(Path.of(kalshi))).start();
    }
}
