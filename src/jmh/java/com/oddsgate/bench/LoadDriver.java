package com.oddsgate.bench;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.oddsgate.fills.Fill;
import com.oddsgate.fills.FillBook;
import com.oddsgate.fills.FillQueries;
import com.oddsgate.fills.TradeStatus;
import com.oddsgate.ledger.LedgerListener;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.order.Side;

/**
 * End-to-end load: starts the packaged gateway in its default mode (built-in simulators, H2 file
 * ledger) and drives {@code POST /api/orders} at fixed rates (open loop: latency counts from the
 * moment a request was due, so a stalled gateway cannot hide its queue) and at the maximum rate
 * (closed loop). Reports throughput, p50/p99/p99.9, errors and the gateway's heap.
 * <p>
 * {@code fills} mode measures reconciliation: fills applied to the fills ledger (H2 file with the
 * gateway's settings, pooled connections) in batches as a poll delivers them ({@code --batch}, one
 * transaction each), first as new, then replayed, then with a status change. With {@code --stream true}
 * the fills come instead as a WebSocket stream would bring them, {@code --batch} fills per frame,
 * through the gateway's FillStream (what queued while a group was stored is the next group).
 * <p>
 * Usage: {@code scripts/load.sh [--rates 100,250,500,1000,2000 --seconds 20 --max-seconds 20 --concurrency 32 --warmup-seconds 60]}
 * or {@code scripts/load.sh fills --count 100000 --batch 1000}.
 */
public final class LoadDriver {

    static final String TOKEN = "dev-token-change-me";

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        if (args.length > 0 && args[0].equals("fills")) {
            fills(Integer.parseInt(opts.getOrDefault("count", "100000")), opts.getOrDefault("h2-options", ";WRITE_DELAY=0"),
                    Integer.parseInt(opts.getOrDefault("batch", "1000")), opts.get("jdbc-url"),
                    Boolean.parseBoolean(opts.getOrDefault("stream", "false")));
            return;
        }
        timeInForce = opts.getOrDefault("time-in-force", "GTC").toUpperCase(Locale.ROOT);
        keepData = Boolean.parseBoolean(opts.getOrDefault("keep-data", "false"));
        List<Integer> rates = Arrays.stream(opts.getOrDefault("rates", "100,250,500,1000,2000").split(",")).map(Integer::parseInt).toList();
        orders(rates, Integer.parseInt(opts.getOrDefault("seconds", "20")), Integer.parseInt(opts.getOrDefault("max-seconds", "20")),
                Integer.parseInt(opts.getOrDefault("concurrency", "32")), Integer.parseInt(opts.getOrDefault("warmup-seconds", "60")),
                opts.getOrDefault("jar", "target/oddsgate-0.1.0-SNAPSHOT.jar"), Boolean.parseBoolean(opts.getOrDefault("sim-process", "false")),
                opts.getOrDefault("jvm-args", ""), opts.getOrDefault("gateway-args", ""));
        System.exit(0);
    }

    // ---- orders, end to end ----------------------------------------------------------------------

    static void orders(List<Integer> rates, int seconds, int maxSeconds, int concurrency, int warmupSeconds, String jar,
            boolean simProcess, String jvmArgs, String gatewayArgs) throws Exception {
        Path data = Files.createTempDirectory("oddsgate-load");
        int port = free();
        int simPort = free();
        int simWsPort = free();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        if (simProcess) {
            // The simulators in a process of their own: the gateway's JVM does only the gateway's work.
            Process sim = new ProcessBuilder(java, "-cp", jar, "-Dloader.main=com.oddsgate.sim.SimulatorMain",
                    "org.springframework.boot.loader.launch.PropertiesLauncher", "--port=" + simPort, "--ws-port=" + simWsPort)
                    .redirectErrorStream(true).redirectOutput(data.resolve("sim.log").toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(sim::destroyForcibly));
            awaitPort(simPort, sim, data);
        }
        List<String> cmd = new ArrayList<>(List.of(java));
        // e.g. --jvm-args -Xmx256m ; --gateway-args "--oddsgate.ledger.group-commit.enabled=false"
        Arrays.stream(jvmArgs.split(" ")).filter(a -> !a.isBlank()).forEach(cmd::add);
        cmd.addAll(List.of("-jar", jar,
                "--server.port=" + port, "--oddsgate.sim.port=" + simPort, "--oddsgate.sim.ws-port=" + simWsPort,
                "--oddsgate.relay.ws.port=" + free(), "--oddsgate.data-dir=" + data, "--oddsgate.inbox=" + data.resolve("in"),
                "--oddsgate.outbox=" + data.resolve("out"), "--logging.level.root=WARN"));
        if (simProcess) {
            cmd.add("--oddsgate.sim.enabled=false");
        }
        Arrays.stream(gatewayArgs.split(" ")).filter(a -> !a.isBlank()).forEach(cmd::add);
        Process gateway = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(data.resolve("gateway.log").toFile()).start();
        gatewayPid = gateway.pid();
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::destroyForcibly));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + port;
        awaitReady(http, base, gateway, data);
        System.out.printf("gateway up (%s, H2 file in %s); %d cores, java %s%n", simProcess
                ? "simulators in their own process" : "default mode: simulators in the gateway's JVM", data,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        HeapSampler heap = new HeapSampler(http, base);
        heap.start();
        // Warm-up closed loop: on 2 cores the JIT compiles Spring, Camel, Tomcat and H2 for minutes; a
        // phase's "JIT" share (printed below) says whether the warm-up was long enough (300 s is).
        run(http, base, "warm-up (" + concurrency + " in flight)", 0, warmupSeconds, concurrency);
        heap.reset();
        Map<String, double[]> before = stages(http, base);
        run(http, base, "max (" + concurrency + " in flight)", 0, maxSeconds, concurrency);
        printStages("max", before, stages(http, base));
        for (int rate : rates) {
            before = stages(http, base);
            double p99 = run(http, base, "fixed " + rate + "/s", rate, seconds, 0);
            printStages(rate + "/s", before, stages(http, base));
            if (p99 > 1000) {
                System.out.printf("(higher rates skipped: %d/s is beyond what this machine sustains)%n", rate);
                break;
            }
        }
        heap.stop();
        System.out.printf("heap used (bytes, sampled every 500 ms over the measured runs): median %s, max %s%n",
                mb(heap.percentile(0.5)), mb(heap.percentile(1.0)));
        heap.perMinute();
        gateway.destroy();
        gateway.waitFor();
        // With WRITE_DELAY=0 every commit appends a chunk that H2 does not compact while it runs
        // (BENCHMARKS.md, "Ninth session"): the file's size per order is worth watching, and a run's
        // file is gigabytes, so it is deleted unless asked to keep it.
        Path ledger = data.resolve("oddsgate.mv.db");
        if (Files.exists(ledger)) {
            System.out.printf("ledger file after %d orders sent: %.0f MB (%.1f kB per order; 1 MB = 10^6 bytes)%n", SEQ.get(),
                    Files.size(ledger) / 1e6, Files.size(ledger) / 1000.0 / Math.max(1, SEQ.get()));
        }
        if (!keepData) {
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** {@code --keep-data true}: leave the run's data directory (H2 file, logs) for a look afterwards. */
    static boolean keepData;

    /** The gateway's stage timers and group-commit counters: name → {count, sum seconds}. */
    static Map<String, double[]> stages(HttpClient http, String base) throws Exception {
        Map<String, double[]> out = new TreeMap<>();
        String body = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
            boolean count = line.startsWith("oddsgate_order_stage_seconds_count{");
            boolean sum = line.startsWith("oddsgate_order_stage_seconds_sum{");
            if (count || sum) {
                String stage = line.replaceAll(".*stage=\"([^\"]+)\".*", "$1");
                String step = line.replaceAll(".*step=\"([^\"]+)\".*", "$1");
                double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                out.computeIfAbsent(stage + " / " + step, k -> new double[2])[count ? 0 : 1] = v;
            } else if (line.startsWith("oddsgate_ledger_commits_total ") || line.startsWith("oddsgate_ledger_writes_total ")) {
                out.put(line.substring(0, line.indexOf(' ')), new double[] {Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), 0});
            }
        }
        return out;
    }

    /** Mean time per order in each step and stage over one phase (the difference of two scrapes). */
    static void printStages(String phase, Map<String, double[]> before, Map<String, double[]> after) {
        Map<String, double[]> byStage = new TreeMap<>();
        StringBuilder steps = new StringBuilder();
        after.forEach((key, a) -> {
            if (!key.contains(" / ")) {
                return;
            }
            double[] b = before.getOrDefault(key, new double[2]);
            double n = a[0] - b[0];
            if (n <= 0) {
                return;
            }
            double meanMs = (a[1] - b[1]) / n * 1000;
            steps.append(String.format("    %-45s %8.3f ms  (%d)%n", key, meanMs, (long) n));
            double[] st = byStage.computeIfAbsent(key.substring(0, key.indexOf(" / ")), k -> new double[1]);
            st[0] += meanMs;
        });
        System.out.printf("  stage split (%s), mean per order:%n", phase);
        byStage.forEach((stage, v) -> System.out.printf("    %-20s %8.3f ms%n", stage, v[0]));
        System.out.print(steps);
        double commits = after.getOrDefault("oddsgate_ledger_commits_total", new double[1])[0]
                - before.getOrDefault("oddsgate_ledger_commits_total", new double[1])[0];
        double writes = after.getOrDefault("oddsgate_ledger_writes_total", new double[1])[0]
                - before.getOrDefault("oddsgate_ledger_writes_total", new double[1])[0];
        if (commits > 0) {
            System.out.printf("    ledger group commit: %.0f writes in %.0f commits (%.1f per commit)%n", writes, commits, writes / commits);
        }
    }

    static void awaitPort(int port, Process p, Path data) throws Exception {
        for (int i = 0; i < 300; i++) {
            if (!p.isAlive()) {
                throw new IllegalStateException("simulators stopped; see " + data.resolve("sim.log"));
            }
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("simulators did not start; see " + data.resolve("sim.log"));
    }

    static final AtomicLong SEQ = new AtomicLong();
    static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    /** One phase: fixed rate when {@code rate > 0} (open loop), else closed loop with {@code concurrency}. */
    /** The gateway's process, whose CPU time each phase reports per order (Linux /proc; -1: not known). */
    static volatile long gatewayPid = -1;

    /**
     * The gateway's CPU time so far (user + system, all its threads, JIT and GC included) in
     * nanoseconds, or -1. Per order it is steadier than the maximum rate, which on two shared cores
     * moves ±10 % with whatever else runs (the load driver, the simulators).
     */
    static long gatewayCpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(gatewayPid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
            return ticks * (1_000_000_000L / CLOCK_TICKS);
        } catch (Exception e) {
            return -1;
        }
    }

    /** USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK). */
    static final long CLOCK_TICKS = 100;

    /**
     * The gateway's CPU ticks so far by kind of thread (/proc/PID/task): what a phase's CPU per order
     * is made of. On two cores the JIT compiles for minutes after start-up (Spring, Camel, H2, Tomcat:
     * some 40,000 compilations), so a phase whose "JIT" share is large measures the warm-up too.
     */
    static Map<String, Long> gatewayCpuByKind() {
        Map<String, Long> out = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(gatewayPid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String thread = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    out.merge(kind(thread), Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                } catch (Exception gone) {
                    // a thread that ended between the listing and the read
                }
            }
        } catch (Exception e) {
            return Map.of();
        }
        return out;
    }

    /** Kinds of gateway thread, by the names the JVM, Tomcat, Spring and the ledger give them (15 characters in /proc). */
    static String kind(String thread) {
        if (thread.contains("CompilerThre")) {
            return "JIT";
        }
        if (thread.startsWith("GC Thread") || thread.startsWith("G1 ") || thread.equals("VM Thread")) {
            return "GC+VM";
        }
        if (thread.startsWith("http-nio") || thread.startsWith("task-")) {
            return "requests";
        }
        if (thread.startsWith("ledger-group")) {
            return "ledger writers";
        }
        return "other";
    }

    static void printCpuByKind(Map<String, Long> before, Map<String, Long> after) {
        long total = after.entrySet().stream().mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L)).sum();
        if (before.isEmpty() || total <= 0) {
            return;
        }
        StringBuilder line = new StringBuilder();
        after.forEach((k, v) -> line.append(String.format("  %s %.0f %%", k, 100.0 * (v - before.getOrDefault(k, 0L)) / total)));
        System.out.printf("%-22s gateway CPU by thread:%s%n", "", line);
    }

    static double run(HttpClient http, String base, String name, int rate, int seconds, int concurrency) throws Exception {
        long cpuBefore = gatewayCpuNanos();
        Map<String, Long> byKindBefore = gatewayCpuByKind();
        int total = rate > 0 ? rate * seconds : Integer.MAX_VALUE;
        long[] latencies = new long[rate > 0 ? total : 4_000_000];
        AtomicInteger done = new AtomicInteger();
        Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(seconds).toNanos();
        if (rate > 0) {
            long period = 1_000_000_000L / rate;
            Semaphore inFlight = new Semaphore(5000);
            CountDownLatch all = new CountDownLatch(total);
            for (int i = 0; i < total; i++) {
                long due = start + i * period;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                if (!inFlight.tryAcquire()) {
                    errors.computeIfAbsent("backlog>5000", k -> new AtomicInteger()).incrementAndGet();
                    all.countDown();
                    continue;
                }
                http.sendAsync(order(base), HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                    record(latencies, done, errors, r, e, System.nanoTime() - due);
                    inFlight.release();
                    all.countDown();
                });
            }
            all.await();
        } else {
            CountDownLatch workers = new CountDownLatch(concurrency);
            for (int w = 0; w < concurrency; w++) {
                daemon(() -> {
                    try {
                        while (System.nanoTime() < end) {
                            long t0 = System.nanoTime();
                            try {
                                HttpResponse<Void> r = http.send(order(base), HttpResponse.BodyHandlers.discarding());
                                record(latencies, done, errors, r, null, System.nanoTime() - t0);
                            } catch (Exception e) {
                                record(latencies, done, errors, null, e, System.nanoTime() - t0);
                            }
                        }
                    } finally {
                        workers.countDown();
                    }
                });
            }
            workers.await();
        }
        double took = (System.nanoTime() - start) / 1e9;
        int n = Math.min(done.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        int errorCount = errors.values().stream().mapToInt(AtomicInteger::get).sum();
        System.out.printf("%-22s %7d orders in %5.1f s = %7.0f orders/s  p50 %6.2f ms  p99 %7.2f ms  p99.9 %7.2f ms  max %7.2f ms  errors %d %s%n",
                name, n, took, n / took, ms(sorted, 0.5), ms(sorted, 0.99), ms(sorted, 0.999), ms(sorted, 1.0), errorCount,
                errors.isEmpty() ? "" : new TreeMap<>(errors));
        long cpu = gatewayCpuNanos() - cpuBefore;
        if (cpuBefore >= 0 && n > 0) {
            System.out.printf("%-22s gateway CPU %.2f ms per order (%.0f %% of one core)%n", "", cpu / 1e6 / n, 100.0 * cpu / 1e9 / took);
        }
        printCpuByKind(byKindBefore, gatewayCpuByKind());
        return ms(sorted, 0.99);
    }

    static void record(long[] latencies, AtomicInteger done, Map<String, AtomicInteger> errors, HttpResponse<?> r, Throwable e,
            long nanos) {
        if (e != null || r.statusCode() != 201) {
            errors.computeIfAbsent(e != null ? e.getClass().getSimpleName() : "HTTP " + r.statusCode(), k -> new AtomicInteger())
                    .incrementAndGet();
        }
        int i = done.getAndIncrement();
        if (i < latencies.length) {
            latencies[i] = nanos;
        }
    }

    /**
     * {@code --time-in-force}: GTC (default) rests every order, so the venue's open book grows for the
     * whole run; FAK leaves none resting (nothing matches at 0.10: each ends UNMATCHED at once), an
     * open book that stays flat, for a long run's heap.
     */
    static volatile String timeInForce = "GTC";

    /** A limit order that never matches (the simulator's seeded liquidity is untouched). */
    static HttpRequest order(String base) {
        boolean fak = "FAK".equals(timeInForce);
        // A marketable (FAK) Polymarket BUY must be at least $1: 10 × 0.10.
        String body = "{\"venue\":\"polymarket\",\"market\":\"sim-btc-100k\",\"outcome\":\"YES\",\"side\":\"BUY\",\"price\":\"0.10\","
                + "\"size\":\"" + (fak ? "10" : "5") + "\",\"timeInForce\":\"" + timeInForce + "\",\"clientOrderId\":\"load-" + RUN + "-"
                + SEQ.incrementAndGet() + "\"}";
        return HttpRequest.newBuilder(URI.create(base + "/api/orders")).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static double ms(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    static String mb(long bytes) {
        return String.format("%.0f MB", bytes / 1048576.0);
    }

    /** The gateway's heap in use, from its Prometheus endpoint. */
    static final class HeapSampler {
        final HttpClient http;
        final String base;
        final List<Long> samples = java.util.Collections.synchronizedList(new ArrayList<>());
        /** When each sample was taken (ms since the measured runs began), for the per-minute view. */
        final List<Long> times = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile long since = System.currentTimeMillis();
        volatile boolean running = true;
        Thread thread;

        HeapSampler(HttpClient http, String base) {
            this.http = http;
            this.base = base;
        }

        void start() {
            thread = daemon(() -> {
                while (running) {
                    try {
                        String text = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus?includedNames=jvm_memory_used_bytes")).build(),
                                HttpResponse.BodyHandlers.ofString()).body();
                        long used = text.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
                        synchronized (samples) {
                            samples.add(used);
                            times.add(System.currentTimeMillis() - since);
                        }
                        Thread.sleep(500);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
        }

        void reset() {
            synchronized (samples) {
                samples.clear();
                times.clear();
                since = System.currentTimeMillis();
            }
        }

        /**
         * Per minute of a long run: the lowest heap in use (the floor after collections, what stays
         * live) and the highest. A floor that keeps rising is a leak; a steady one is not.
         */
        void perMinute() {
            List<Long> s;
            List<Long> t;
            synchronized (samples) {
                s = new ArrayList<>(samples);
                t = new ArrayList<>(times);
            }
            if (t.isEmpty() || t.get(t.size() - 1) < 120_000) {
                return;
            }
            System.out.println("heap per minute (floor / peak):");
            for (int minute = 0; minute * 60_000L <= t.get(t.size() - 1); minute++) {
                long min = Long.MAX_VALUE;
                long max = 0;
                for (int i = 0; i < s.size(); i++) {
                    if (t.get(i) / 60_000 == minute) {
                        min = Math.min(min, s.get(i));
                        max = Math.max(max, s.get(i));
                    }
                }
                if (max > 0) {
                    System.out.printf("  minute %2d: %s / %s%n", minute + 1, mb(min), mb(max));
                }
            }
        }

        void stop() {
            running = false;
        }

        long percentile(double p) {
            List<Long> s = new ArrayList<>(samples);
            s.sort(null);
            return s.isEmpty() ? 0 : s.get((int) Math.min(s.size() - 1, Math.ceil(p * s.size()) - 1));
        }
    }

    static void awaitReady(HttpClient http, String base, Process gateway, Path data) throws Exception {
        Instant until = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(until)) {
            if (!gateway.isAlive()) {
                throw new IllegalStateException("gateway exited; see " + data.resolve("gateway.log"));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health/readiness")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (Exception notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("gateway not ready after 120 s; see " + data.resolve("gateway.log"));
    }

    static Thread daemon(Runnable r) {
        Thread t = new Thread(r, "load");
        t.setDaemon(true);
        t.start();
        return t;
    }

    static int free() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    // ---- fills reconciliation ------------------------------------------------------------------------

    /**
     * @param h2Options appended to the H2 file URL; the default is the gateway's own setting
     * @param jdbcUrl another (empty) database instead, e.g. the PostgreSQL of {@code scripts/postgres.sh}
     *        (user and password {@code oddsgate})
     */
    static void fills(int count, String h2Options, int batch, String jdbcUrl, boolean stream) throws Exception {
        Path dir = Files.createTempDirectory("oddsgate-fills");
        // Pooled, as in the gateway (Spring Boot's Hikari): a new H2 connection per transaction would dominate.
        com.zaxxer.hikari.HikariDataSource ds = new com.zaxxer.hikari.HikariDataSource();
        if (jdbcUrl == null) {
            ds.setJdbcUrl("jdbc:h2:file:" + dir.resolve("ledger") + h2Options);
            ds.setUsername("sa");
        } else {
            ds.setJdbcUrl(jdbcUrl);
            ds.setUsername("oddsgate");
            ds.setPassword("oddsgate");
        }
        Flyway.configure().dataSource(ds).load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        FillBook book = new FillBook(jdbc, tx, new OrderLedger(jdbc, tx, Clock.systemUTC(), LedgerListener.NONE), Clock.systemUTC(),
                FillBook.Listener.NONE);
        // Orders the fills belong to, as the gateway would have them (fills are matched to them by order hash).
        int orders = Math.max(1, count / 20);
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < orders; i++) {
            rows.add(new Object[] {"load-" + i, "0xorder" + i, Instant.now().toString()});
        }
        jdbc.batchUpdate("INSERT INTO orders (client_order_id, source, venue, market, token_id, outcome, side, price, size,"
                + " state, order_hash, created_at, updated_at) VALUES (?, 'rest', 'polymarket', 'market', 'token', 'YES', 'BUY',"
                + " 0.5, 1000000, 'LIVE', ?, CAST(? AS TIMESTAMP WITH TIME ZONE), CURRENT_TIMESTAMP)", rows);
        List<Fill> fills = new ArrayList<>(count);
        Random r = new Random(1);
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 0; fills.size() < count; i++) {
            int makers = 1 + r.nextInt(3);
            for (int m = 0; m < makers && fills.size() < count; m++) {
                fills.add(new Fill("polymarket", "trade-" + i, 0, "0xorder" + r.nextInt(orders), null, "0xacct",
                        "market-" + (i % 100), "token-" + (i % 100), "YES", r.nextBoolean() ? Side.BUY : Side.SELL,
                        new BigDecimal(1 + r.nextInt(99)).movePointLeft(2), new BigDecimal(1 + r.nextInt(10000)).movePointLeft(2),
                        "MAKER", TradeStatus.MATCHED, "taker-" + i, t0.plusSeconds(i)));
            }
        }
        System.out.printf("fills ledger: %s; %d fills over %d orders, %d fills per apply (FillBook: at most 500 per transaction)%n", jdbcUrl != null ? jdbcUrl
                : "H2 file (" + h2Options + ") in " + dir, count, orders, batch);
        if (stream) {
            System.out.printf("as a stream: %d fills per frame, through FillStream%n", batch);
            try (StreamedFills streamed = new StreamedFills(book)) {
                streamed.pass(fills, "new fills", batch);
                streamed.pass(fills, "replayed (all repeats)", batch);
                streamed.pass(fills.stream().map(f -> f.withStatus(TradeStatus.CONFIRMED)).toList(), "status change to CONFIRMED", batch);
                List<Fill> fresh = fills.subList(0, Math.min(fills.size(), 20_000)).stream()
                        .map(f -> new Fill(f.venue(), "paced-" + f.tradeId(), f.bucketIndex(), f.venueOrderId(), null, f.account(), f.market(),
                                f.tokenId(), f.outcome(), f.side(), f.price(), f.size(), f.role(), TradeStatus.MATCHED, null, f.matchedAt()))
                        .toList();
                streamed.paced(fresh.subList(0, fresh.size() / 2), 500);
                streamed.paced(fresh.subList(fresh.size() / 2, fresh.size()), 2_000);
            }
        } else {
            pass(book, fills, "new fills", batch);
            pass(book, fills, "replayed (all repeats)", batch);
            pass(book, fills.stream().map(f -> f.withStatus(TradeStatus.CONFIRMED)).toList(), "status change to CONFIRMED", batch);
        }
        // The hourly audit of the orders' running sums: one read of every fill that counts.
        com.oddsgate.fills.FillAudit audit = new com.oddsgate.fills.FillAudit(jdbc, tx, new OrderLedger(jdbc, tx, Clock.systemUTC(),
                LedgerListener.NONE));
        for (int i = 0; i < 3; i++) {
            // One more fill first: H2 answers a query again from its cache while no table it reads changed.
            Fill f = fills.get(0);
            book.apply(List.of(new Fill(f.venue(), "audit-" + i, 0, f.venueOrderId(), null, f.account(), f.market(), f.tokenId(),
                    f.outcome(), f.side(), f.price(), f.size(), f.role(), f.status(), null, f.matchedAt())), "polling");
            long from = System.nanoTime();
            int drifts = audit.drifts(500).size();
            System.out.printf("fills audit (whole ledger)    %d drifting orders in %6.1f ms%n", drifts, (System.nanoTime() - from) / 1e6);
        }
        long distinct = fills.stream().map(Fill::key).distinct().count();
        System.out.printf("fills in ledger: %d (distinct (trade, bucket, order) keys generated: %d)%n", new FillQueries(jdbc).count(), distinct);
        // The H2 file of a run is gigabytes (every commit appends pages; space is reused only after H2's
        // retention time): a few runs filled this machine's disk.
        ds.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One pass, {@code batch} fills per {@code apply}, as one poll's result arrives. */
    static void pass(FillBook book, List<Fill> fills, String name, int batch) {
        long t0 = System.nanoTime();
        for (int i = 0; i < fills.size(); i += batch) {
            book.apply(fills.subList(i, Math.min(fills.size(), i + batch)), "polling");
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%-28s %8d fills in %6.2f s = %8.0f fills/s%n", name, fills.size(), s, fills.size() / s);
    }

    /** The gateway's FillStream (group commit of streamed fills) in front of the real fill book. */
    static final class StreamedFills implements AutoCloseable {

        private final java.util.concurrent.atomic.AtomicLong applied = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong groups = new java.util.concurrent.atomic.AtomicLong();
        private final Map<String, Long> addedAt = new java.util.concurrent.ConcurrentHashMap<>();
        private final List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        private final com.oddsgate.fills.FillStream stream;

        StreamedFills(FillBook book) {
            // The gateway's defaults (application.yaml): groups of at most 1,000 fills, 10,000 frames waiting.
            stream = new com.oddsgate.fills.FillStream((fills, source) -> {
                book.apply(fills, source);
                long now = System.nanoTime();
                for (Fill f : fills) {
                    Long at = addedAt.remove(f.key());
                    if (at != null) {
                        latencies.add(now - at);
                    }
                }
                groups.incrementAndGet();
                applied.addAndGet(fills.size());
            }, 1000, 10_000, venue -> {
                throw new IllegalStateException("a group of " + venue + " fills could not be stored");
            });
        }

        /**
         * Frames at a fixed rate (open loop), each fill's time from added to stored: what grouping costs
         * a fill when the stream is not saturated.
         */
        void paced(List<Fill> fills, int perSecond) throws InterruptedException {
            latencies.clear();
            long t0 = System.nanoTime();
            for (int i = 0; i < fills.size(); i++) {
                long due = t0 + i * 1_000_000_000L / perSecond;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                addedAt.put(fills.get(i).key(), System.nanoTime());
                stream.add(List.of(fills.get(i)));
            }
            stream.flush();
            List<Long> sorted = new ArrayList<>(latencies);
            java.util.Collections.sort(sorted);
            if (sorted.isEmpty()) {
                return;
            }
            System.out.printf("paced %,d frames/s, one fill each: added → stored p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d fills)%n",
                    perSecond, sorted.get(sorted.size() / 2) / 1e6, sorted.get(sorted.size() * 99 / 100) / 1e6,
                    sorted.get(sorted.size() - 1) / 1e6, sorted.size());
        }

        /** One pass: frames added one after the other (as a channel's frames are handled), timed until all are stored. */
        void pass(List<Fill> fills, String name, int perFrame) throws InterruptedException {
            long target = applied.get() + fills.size();
            long groupsBefore = groups.get();
            long t0 = System.nanoTime();
            for (int i = 0; i < fills.size(); i += perFrame) {
                stream.add(fills.subList(i, Math.min(fills.size(), i + perFrame)));
            }
            stream.flush();
            double s = (System.nanoTime() - t0) / 1e9;
            if (applied.get() < target) {
                throw new IllegalStateException("fills not stored: " + (target - applied.get()));
            }
            System.out.printf("%-28s %8d fills in %6.2f s = %8.0f fills/s (%d transactions)%n", name, fills.size(), s,
                    fills.size() / s, groups.get() - groupsBefore);
        }

        @Override
        public void close() {
            stream.close();
        }
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> out = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length) {
                out.put(args[i].substring(2), args[++i]);
            }
        }
        return out;
    }

    private LoadDriver() {
    }
}
