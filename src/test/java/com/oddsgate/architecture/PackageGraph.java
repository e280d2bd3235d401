package com.oddsgate.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The gateway's packages (under {@code com.oddsgate}; a sub-package such as {@code polymarket.signing} is a package of its own) and which use which, read from
 * the sources: imports and fully qualified names in code (comments are left out).
 */
final class PackageGraph {

    private static final Pattern PACKAGE = Pattern.compile("^package com\\.oddsgate\\.([a-z0-9]+(?:\\.[a-z0-9]+)*);", Pattern.MULTILINE);
    private static final Pattern USE = Pattern.compile("com\\.oddsgate\\.([a-z0-9]+(?:\\.[a-z0-9]+)*)\\.[A-Z]");
    private static final Pattern COMMENTS = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    /** Package → the packages it uses, and for each edge the files that make it. */
    final Map<String, Map<String, Set<String>>> edges = new TreeMap<>();

    static PackageGraph of(Path sourceRoot) {
        PackageGraph g = new PackageGraph();
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> g.read(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return g;
    }

    private void read(Path file) {
        String src;
        try {
            src = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher pkg = PACKAGE.matcher(src);
        if (!pkg.find()) {
            return; // the application class in com.oddsgate itself
        }
        String from = pkg.group(1);
        edges.computeIfAbsent(from, k -> new TreeMap<>());
        Matcher use = USE.matcher(COMMENTS.matcher(src).replaceAll(""));
        while (use.find()) {
            if (!use.group(1).equals(from)) {
                add(from, use.group(1), file.getFileName().toString());
            }
        }
    }

    void add(String from, String to, String file) {
        edges.computeIfAbsent(from, k -> new TreeMap<>()).computeIfAbsent(to, k -> new TreeSet<>()).add(file);
        edges.computeIfAbsent(to, k -> new TreeMap<>());
    }

    /** Every set of two or more packages that reach each other (Tarjan's strongly connected components). */
    List<Set<String>> cycles() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String v : edges.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, index, low, stack, onStack, out, counter);
            }
        }
        return out;
    }

    private void connect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
            Set<String> onStack, List<Set<String>> out, int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : edges.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                connect(w, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) {
                out.add(component);
            }
        }
    }

    /** The edges of a cycle's packages among themselves, with the files that make them: what to cut. */
    String describe(Set<String> cycle) {
        StringBuilder b = new StringBuilder();
        for (String from : cycle) {
            edges.getOrDefault(from, Map.of()).forEach((to, files) -> {
                if (cycle.contains(to)) {
                    b.append("\n  ").append(from).append(" -> ").append(to).append(" ").append(files);
                }
            });
        }
        return b.toString();
    }
}
