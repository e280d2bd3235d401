package com.oddsgate.config;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
    SimulatorServer simulatorServer(Clock clock, OddsgateProperties settings) throws IOException {
        OddsgateProperties.Sim sim = settings.sim();
        PolymarketSim.RateTier tier = switch (sim.rateTier()) {
            case "lowest", "standard" -> PolymarketSim.RateTier.LOWEST;
            case "top", "elite" -> PolymarketSim.RateTier.TOP;
            default -> throw new IllegalArgumentException("oddsgate.sim.rate-tier must be lowest or top");
        };
        return new SimulatorServer(sim.host(), sim.port(), sim.wsPort(), new PolymarketSim(clock)
                .loadFixtures(Path.of(sim.polymarketFixtures())).settleTradesAfter(sim.tradeSettleDelay()).rateTier(tier),
                new KalshiSim(clock).loadFixtures(Path.of(sim.kalshiFixtures()))).start();
    }
}
