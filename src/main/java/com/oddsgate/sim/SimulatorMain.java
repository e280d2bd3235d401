package com.oddsgate.sim;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The venue simulators as a process of their own (same jar), so that a load run measures the
 * gateway alone:
 * <pre>
 * java -cp target/oddsgate-0.1.0-SNAPSHOT.jar -Dloader.main=com.oddsgate.sim.SimulatorMain \
 *      org.springframework.boot.loader.launch.PropertiesLauncher --port=8081 --ws-port=8083
 * </pre>
 * then the gateway with {@code --oddsgate.sim.enabled=false} (its venue URLs already point at
 * {@code oddsgate.sim.port} and {@code oddsgate.sim.ws-port}). Options, all optional: {@code --host},
 * {@code --port}, {@code --ws-port}, {@code --polymarket-fixtures}, {@code --kalshi-fixtures},
 * {@code --rate-tier} (lowest or top), {@code --trade-settle-delay} (ISO-8601 or e.g. 2s).
 */
public final class SimulatorMain {

    private SimulatorMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Map<String, String> o = new HashMap<>();
        for (String a : args) {
            if (a.startsWith("--") && a.contains("=")) {
                o.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            }
        }
        Clock clock = Clock.systemUTC();
        PolymarketSim.RateTier tier = o.getOrDefault("rate-tier", "top").equals("lowest") ? PolymarketSim.RateTier.LOWEST
                : PolymarketSim.RateTier.TOP;
        String delay = o.getOrDefault("trade-settle-delay", "2s");
        Duration settle = delay.startsWith("P") ? Duration.parse(delay) : Duration.ofMillis(
                (long) (Double.parseDouble(delay.replace("ms", "").replace("s", "")) * (delay.endsWith("ms") ? 1 : 1000)));
        SimulatorServer server = new SimulatorServer(o.getOrDefault("host", "127.0.0.1"), Integer.parseInt(o.getOrDefault("port", "8081")),
                Integer.parseInt(o.getOrDefault("ws-port", "8083")),
                new PolymarketSim(clock).loadFixtures(Path.of(o.getOrDefault("polymarket-fixtures", "config/sim/polymarket.json")))
                        .settleTradesAfter(settle).rateTier(tier),
                new KalshiSim(clock).loadFixtures(Path.of(o.getOrDefault("kalshi-fixtures", "config/sim/kalshi.json")))).start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        System.out.println("venue simulators ready on " + server.baseUrl());
        new CountDownLatch(1).await(); // the server's threads are daemons: this one keeps the process alive
    }
}
