package com.oddsgate.ledger;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Compacts an embedded H2 ledger file before the gateway opens it. With {@code WRITE_DELAY=0}
 * every commit stores a chunk of its own and H2 compacts only in the background writer that this
 * setting turns off, so the file grows by tens of kilobytes per order while the gateway runs
 * (BENCHMARKS.md, "Ninth session"). {@code SHUTDOWN COMPACT} rewrites the live data into a new file
 * and swaps it in (a temporary file first; H2 finishes or discards an interrupted swap when it next
 * opens the file), so a crash during it loses nothing. It needs the file to itself: run it only before
 * the connection pool opens.
 */
public final class H2FileCompaction {

    private static final String PREFIX = "jdbc:h2:";
    /** A storage or server prefix after {@code jdbc:h2:} (mem:, tcp:, ssl:, zip:, nio:, split:…); one letter is a Windows drive. */
    private static final Pattern OTHER_STORE = Pattern.compile("^[A-Za-z]{2,}:.*");

    /** What a compaction did: the file's size before and after, and how long it took. */
    public record Result(Path file, long before, long after, Duration took) {
    }

    private H2FileCompaction() {
    }

    /**
     * The {@code .mv.db} file of an H2 file URL — {@code jdbc:h2:file:PATH;SETTINGS}, or the implicit
     * {@code jdbc:h2:./PATH} / {@code jdbc:h2:~/PATH} / {@code jdbc:h2:/PATH} — or empty for any other URL.
     */
    public static Optional<Path> file(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
            return Optional.empty();
        }
        String path = jdbcUrl.substring(PREFIX.length());
        if (path.toLowerCase(Locale.ROOT).startsWith("file:")) {
            path = path.substring("file:".length());
        } else if (OTHER_STORE.matcher(path).matches()) {
            return Optional.empty();
        }
        int settings = path.indexOf(';');
        if (settings >= 0) {
            path = path.substring(0, settings);
        }
        if (path.startsWith("~")) { // as H2 reads it: the user's home
            path = System.getProperty("user.home") + path.substring(1);
        }
        return path.isBlank() ? Optional.empty() : Optional.of(Path.of(path + ".mv.db"));
    }

    /**
     * Compacts the file of {@code jdbcUrl} when it is an H2 file of at least {@code threshold}
     * bytes; empty when it is not (another database, no file yet, a small one).
     */
    public static Optional<Result> compactIfAtLeast(String jdbcUrl, String user, String password, long threshold)
            throws SQLException, IOException {
        Optional<Path> file = file(jdbcUrl);
        // AUTO_SERVER: the file may be another process's open database, which SHUTDOWN would close.
        if (file.isEmpty() || jdbcUrl.toUpperCase(Locale.ROOT).contains("AUTO_SERVER") || !Files.isRegularFile(file.get())
                || Files.size(file.get()) < threshold) {
            return Optional.empty();
        }
        // H2 lets go of its file lock between closing the file and swapping the compacted one in: two
        // gateways started at once on one data directory (a mistake H2's lock otherwise refuses safely)
        // take turns here, so that neither opens the file in that moment.
        Path lock = file.get().resolveSibling(file.get().getFileName() + ".compact.lock");
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = channel.lock()) {
            long before = Files.size(file.get());
            if (before < threshold) {
                return Optional.empty(); // compacted meanwhile by the one that held the lock
            }
            long start = System.nanoTime();
            // IFEXISTS: never create an empty database here; the URL's own settings (WRITE_DELAY) are kept.
            try (Connection c = DriverManager.getConnection(jdbcUrl + ";IFEXISTS=TRUE", user, password == null ? "" : password);
                    Statement s = c.createStatement()) {
                s.execute("SHUTDOWN COMPACT");
            }
            return Optional.of(new Result(file.get(), before, Files.size(file.get()), Duration.ofNanos(System.nanoTime() - start)));
        }
    }
}
