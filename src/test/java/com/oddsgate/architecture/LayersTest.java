package com.oddsgate.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packages form layers without cycles. From the bottom: {@code message} and {@code order}
 * (shared message types, JSON, the canonical order); {@code venue} (venue plumbing and the adapter
 * contract) and {@code ledger}; {@code fills}; the venue adapters {@code polymarket} and
 * {@code kalshi}; {@code events} (pairings across venues) under {@code risk}; {@code ops}; {@code api} and {@code relay}; {@code config} wires them all. The
 * simulators ({@code sim}) use none of the gateway's packages: they read the wire and verify with
 * their own code (web3j, the JDK), so a fault in the gateway's model, signing or pacing cannot
 * pass for the venue's behaviour.
 */
class LayersTest {

    static final Path MAIN = Path.of("src/main/java/com/oddsgate");

    /** What each package may use; anything else is a layering error even without a cycle. */
    static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("message", Set.of()),
            Map.entry("order", Set.of("message")),
            Map.entry("ledger", Set.of("message", "order")),
            Map.entry("venue", Set.of("message", "order", "ledger")),
            Map.entry("fills", Set.of("message", "order", "ledger")),
            Map.entry("polymarket.signing", Set.of("message", "order")),
            Map.entry("polymarket.protocol", Set.of("message", "order", "ledger", "venue", "fills", "polymarket.signing")),
            Map.entry("kalshi", Set.of("message", "order", "ledger", "venue", "fills")),
            Map.entry("events", Set.of("message", "order", "ledger", "fills")),
            Map.entry("risk", Set.of("message", "order", "ledger", "fills", "events")),
            Map.entry("ops", Set.of("message", "order", "ledger", "venue", "fills", "polymarket.signing", "polymarket.protocol", "kalshi")),
            Map.entry("api", Set.of("message", "order", "ledger", "venue", "fills", "polymarket.signing", "polymarket.protocol", "kalshi", "ops", "risk", "events")),
            Map.entry("relay", Set.of("message", "order", "venue")),
            Map.entry("sim", Set.of()),
            Map.entry("config", Set.of("message", "order", "ledger", "venue", "fills", "polymarket.signing", "polymarket.protocol", "kalshi", "ops", "api",
                    "relay", "sim", "risk", "events")));

    @Test
    void theGatewaysPackagesHaveNoCycle() {
        PackageGraph g = PackageGraph.of(MAIN);
        List<String> found = new ArrayList<>();
        g.cycles().forEach(c -> found.add(c + g.describe(c)));
        assertThat(found).as("package cycles").isEmpty();
    }

    @Test
    void everyPackageUsesOnlyTheLayersBelowIt() {
        PackageGraph g = PackageGraph.of(MAIN);
        List<String> wrong = new ArrayList<>();
        g.edges.forEach((from, uses) -> uses.forEach((to, files) -> {
            if (!ALLOWED.containsKey(from) || !ALLOWED.get(from).contains(to)) {
                wrong.add(from + " -> " + to + " " + files);
            }
        }));
        assertThat(wrong).as("uses not allowed by the layers (add a new package to ALLOWED, below what uses it)").isEmpty();
    }

    /** A name written out in code (not an import, a comment or a string) hides a dependency from a reader. */
    @Test
    void noInlineFullyQualifiedNamesWhereAnImportWillDo() throws Exception {
        Pattern inline = Pattern.compile("(?<![\\w.\"/])(?:java|javax|jakarta|org|com|io)\\.[a-z0-9]+(?:\\.[a-z0-9]+)*\\.[A-Z]\\w*");
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    String code = lines.get(i).replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"").replaceAll("//.*", "").trim();
                    if (code.startsWith("import ") || code.startsWith("package ") || code.startsWith("*") || code.startsWith("/*")) {
                        continue;
                    }
                    if (inline.matcher(code).find()) {
                        found.add(MAIN.relativize(f) + ":" + (i + 1) + ": " + code);
                    }
                }
            }
        }
        assertThat(found).as("inline fully qualified names (import them)").isEmpty();
    }

    @Test
    void aDeliberateCycleIsFound(@TempDir Path dir) throws Exception {
        // Two packages that use each other, as sources: the check must name both.
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        Files.writeString(dir.resolve("a/A.java"), "package com.oddsgate.a;\nimport com.oddsgate.b.B;\nclass A { B b; }\n");
        Files.writeString(dir.resolve("b/B.java"), "package com.oddsgate.b;\nclass B { com.oddsgate.a.A a; }\n");
        Files.writeString(dir.resolve("b/C.java"), "package com.oddsgate.b;\n/** {@link com.oddsgate.a.A} in a comment is no use */\nclass C { }\n");
        PackageGraph g = PackageGraph.of(dir);
        assertThat(g.cycles()).containsExactly(Set.of("a", "b"));
        assertThat(g.describe(Set.of("a", "b"))).contains("a -> b [A.java]", "b -> a [B.java]").doesNotContain("C.java");

        // And on the gateway's own graph, one edge back from the ledger to the API makes one.
        PackageGraph real = PackageGraph.of(MAIN);
        real.add("ledger", "api", "Deliberate.java");
        assertThat(real.cycles()).anySatisfy(c -> assertThat(c).contains("ledger", "api"));
    }
}
