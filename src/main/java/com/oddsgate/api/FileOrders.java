package com.oddsgate.api;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.oddsgate.ledger.LedgerFaults;
import com.oddsgate.ledger.OrderLedger;
import com.oddsgate.ledger.OrderRecord;
import com.oddsgate.message.Flow;
import com.oddsgate.message.Json;
import com.oddsgate.order.OrderNormalizer;
import com.oddsgate.order.OrderTicket;
import com.oddsgate.order.Violation;

/**
 * The file drop: a JSON file (one order or an array) or a CSV file (header row of canonical field
 * names) becomes one ticket per order, and the outcomes become the file's acknowledgement.
 * <p>
 * An order without a clientOrderId gets one derived from the file name, its line and its content,
 * so a file consumed again after a crash repeats nothing at the venue.
 */
public class FileOrders implements AggregationStrategy {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private static final Logger LOG = LoggerFactory.getLogger(FileOrders.class);

    private final OrderNormalizer normalizer;
    private final OrderLedger ledger;
    /** Files larger than this are refused before they are read (oddsgate.file-max-bytes). */
    private final long maxBytes;
    /**
     * Files being read now, where they wait while read: a resume (a new consumer after a leadership
     * blip, whose predecessor's exchange may still be placing orders) leaves them be.
     */
    private final Set<Path> reading = ConcurrentHashMap.newKeySet();

    public FileOrders(OrderNormalizer normalizer, OrderLedger ledger, long maxBytes) {
        this.normalizer = normalizer;
        this.ledger = ledger;
        this.maxBytes = maxBytes;
    }

    public List<OrderTicket> parse(Exchange exchange) {
        String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        exchange.setProperty(Flow.FILE_NAME, name);
        String where = exchange.getIn().getHeader(Exchange.FILE_PATH, String.class);
        if (where != null) {
            Path file = Path.of(where).toAbsolutePath().normalize();
            reading.add(file);
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    reading.remove(file);
                }
            });
        }
        Long length = exchange.getIn().getHeader(Exchange.FILE_LENGTH, Long.class);
        if (length != null && length > maxBytes) {
            // Read whole into memory below: a file of gigabytes would end the gateway with nothing acknowledged.
            throw new UnreadableFileException(name + " is " + length + " bytes, more than oddsgate.file-max-bytes (" + maxBytes
                    + "): not read, nothing placed; split it");
        }
        String text;
        try {
            text = exchange.getIn().getBody(String.class);
        } catch (RuntimeException e) { // not readable by this process (permissions, an I/O error): still acknowledged
            throw new UnreadableFileException(name + " cannot be read: " + RestOrders.firstLine(e.getMessage()));
        }
        if (text == null) {
            throw new UnreadableFileException(name + " has no content");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return name.toLowerCase(Locale.ROOT).endsWith(".csv") ? csv(name, text) : json(name, text);
    }

    private List<OrderTicket> json(String name, String text) {
        JsonNode root;
        try {
            root = Json.ONE_VALUE.readTree(text);
        } catch (IOException e) {
            throw new UnreadableFileException(name + " is not valid JSON: " + RestOrders.firstLine(e.getMessage()));
        }
        List<JsonNode> items = new ArrayList<>();
        if (root != null && root.isArray()) {
            root.forEach(items::add);
        } else if (root != null && root.isObject()) {
            items.add(root);
        } else {
            throw new UnreadableFileException(name + " must hold a JSON object or an array of objects");
        }
        List<OrderTicket> tickets = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String raw = item.toString();
            OrderTicket t = new OrderTicket("file", raw, i + 1);
            Map<String, Object> fields = item.isObject() ? Json.MAPPER.convertValue(item, MAP) : Map.of();
            if (!item.isObject()) {
                t.getViolations().add(new Violation("line", "must be a JSON object"));
            }
            normalizer.normalize(t, fields, derivedId(name, i + 1, raw));
            tickets.add(t);
        }
        return tickets;
    }

    private List<OrderTicket> csv(String name, String text) {
        List<OrderTicket> tickets = new ArrayList<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true)
                .setIgnoreEmptyLines(true).build();
        int[] lineFeeds = IntStream.range(0, text.length()).filter(i -> text.charAt(i) == '\n').toArray();
        try (CSVParser parser = CSVParser.parse(new StringReader(text), format)) {
            for (CSVRecord rec : parser) {
                // The derived id keeps the record's number (as files already placed in part were read); the
                // acknowledgement names the file's line the record starts on (blank lines and quoted line breaks counted).
                int line = (int) rec.getRecordNumber() + 1; // the header is record 1
                int fileLine = lineOf(lineFeeds, text, rec.getCharacterPosition());
                Map<String, Object> fields = new LinkedHashMap<>();
                rec.toMap().forEach((k, v) -> {
                    if (v != null && !v.isEmpty()) {
                        fields.put(k.trim(), v);
                    }
                });
                String raw = String.join(",", rec.values());
                OrderTicket t = new OrderTicket("file", raw, fileLine);
                if (!rec.isConsistent()) {
                    t.getViolations().add(new Violation("line",
                            "has " + rec.size() + " values for " + parser.getHeaderNames().size() + " columns"));
                }
                normalizer.normalize(t, fields, derivedId(name, line, raw));
                tickets.add(t);
            }
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            // (commons-csv throws UncheckedIOException from its iterator, e.g. for a stray quote)
            throw new UnreadableFileException(name + " is not readable CSV: " + RestOrders.firstLine(e.getMessage()));
        }
        return tickets;
    }

    /**
     * The 1-based line a record starts on: its character position is where the parser began reading
     * it, before the empty lines it skipped; {@code lineFeeds} are the text's line feeds, in order.
     */
    static int lineOf(int[] lineFeeds, String text, long position) {
        int at = (int) position;
        while (at < text.length() && (text.charAt(at) == '\r' || text.charAt(at) == '\n')) {
            at++;
        }
        int i = Arrays.binarySearch(lineFeeds, at);
        return (i >= 0 ? i : -i - 1) + 1; // line feeds before it, plus one
    }

    static String derivedId(String fileName, int line, String raw) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256")
                    .digest((fileName + "\n" + line + "\n" + raw).getBytes(StandardCharsets.UTF_8));
            return "file-" + HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Collects one acknowledgement line per order as the split returns. */
    @Override
    public Exchange aggregate(Exchange previous, Exchange line) {
        Map<String, Object> ack = ackLine(line);
        // Every line's failure is already recorded in the ledger and in its ack; it must not fail the file.
        line.setException(null);
        Exchange result = previous == null ? line : previous;
        if (previous == null) {
            result.getIn().setBody(new ArrayList<Map<String, Object>>());
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> acks = result.getIn().getBody(List.class);
        acks.add(ack);
        return result;
    }

    private Map<String, Object> ackLine(Exchange line) {
        OrderTicket t = line.getProperty(Flow.TICKET, OrderTicket.class);
        if (t == null) {
            t = line.getIn().getBody(OrderTicket.class);
        }
        Map<String, Object> ack = new LinkedHashMap<>();
        ack.put("line", t == null ? null : t.getLine());
        Long id = line.getProperty(Flow.ORDER_ID, Long.class);
        OrderRecord r = id == null ? null : ledger.find(id).orElse(null);
        ack.put("clientOrderId", r != null ? r.clientOrderId() : t == null || t.getOrder() == null ? null : t.getOrder().clientOrderId());
        ack.put("orderId", id);
        ack.put("state", r == null ? "FAILED" : r.state().name());
        String reason = r != null ? r.reason() : id == null ? notRecorded(line) : "order " + id + " could not be read back";
        if (t != null && t.isDuplicate()) {
            reason = "duplicate clientOrderId: existing order " + id + (reason == null ? "" : " (" + reason + ")");
        }
        ack.put("reason", reason);
        return ack;
    }

    /**
     * Why a line left no order in the ledger: its failure, which the dead-letter channel has handled
     * by now (so it is no longer the exchange's exception), and what to do.
     */
    private static String notRecorded(Exchange line) {
        Throwable e = line.getException() != null ? line.getException() : line.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return "not recorded" + (e == null ? "" : " (" + LedgerFaults.why(e) + ")") + ": nothing was sent for this line; dropping"
                + " the file again places it — or names its order, should the ledger have taken it after all (the lines recorded"
                + " are known by their clientOrderId and never placed twice)";
    }

    /** The acknowledgement file's body. */
    public String ack(Exchange exchange) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", exchange.getProperty(Flow.FILE_NAME, String.class));
        List<?> acks = exchange.getIn().getBody(List.class);
        out.put("orders", acks == null ? List.of() : acks);
        return Json.write(out);
    }

    /**
     * The acknowledgement of a file that could not be read at all, or whose processing stopped part way
     * (its lines recorded so far are in the ledger; dropped again, their clientOrderIds repeat nothing).
     */
    public String unreadable(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", exchange.getProperty(Flow.FILE_NAME, String.class));
        out.put("error", e == null ? "unreadable" : e instanceof UnreadableFileException ? e.getMessage()
                : "processing stopped (" + RestOrders.firstLine(e.getMessage()) + "): the orders of it recorded so far are in"
                        + " the ledger with their states (GET /api/orders); dropped again, the file places none of them twice"
                        + " (their clientOrderIds), but lines refused before (risk, kill switch, money) are checked afresh");
        out.put("orders", List.of());
        return Json.write(out);
    }

    /** Where a file waits while it is read (the route's {@code preMove}): out of the inbox, so a new file of its name is a new file. */
    public static final String IN_PROGRESS = ".inprogress";

    /**
     * Before this process first reads the inbox ({@link FileInboxResume}): files an earlier run took for reading and never
     * finished — a crash between taking a file and moving it to {@code .done} — go back to the inbox
     * under their own names and are read again; their orders' derived clientOrderIds repeat nothing
     * at the venue. One whose name a newer file holds in the inbox now cannot go back (renamed, its
     * derived ids would change; left, the newer one's preMove would overwrite it): it is kept in
     * {@code .error/} under {@code <name>.half-read-<millis>}, with an ERROR, for an operator.
     */
    public int resumeInProgress(String inbox) throws IOException {
        Path dir = Path.of(inbox).resolve(IN_PROGRESS);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int resumed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, Files::isRegularFile)) {
            for (Path f : files) {
                if (reading.contains(f.toAbsolutePath().normalize())) {
                    continue; // still being read by an exchange of this process: it finishes it
                }
                if (putBack(f, dir.getParent().resolve(f.getFileName()))) {
                    resumed++;
                } else {
                    keepAside(f, dir.getParent());
                }
            }
        }
        if (resumed > 0) {
            LOG.warn("{} file(s) an earlier run left half-read put back in the inbox, to be read again", resumed);
        }
        return resumed;
    }

    /**
     * The half-read file back under its own name, never over a file of that name (one dropped this
     * instant): a hard link fails where the name is taken; without links, a move that does not replace.
     * False when the name is taken.
     */
    private static boolean putBack(Path f, Path back) throws IOException {
        if (Files.exists(back)) {
            return false;
        }
        try {
            Files.createLink(back, f);
        } catch (FileAlreadyExistsException taken) {
            return false;
        } catch (UnsupportedOperationException | FileSystemException noLinks) {
            try {
                Files.move(f, back); // no REPLACE_EXISTING: refused where the name is taken
                return true;
            } catch (FileAlreadyExistsException taken) {
                return false;
            }
        }
        Files.delete(f); // linked: the inbox holds it now (a failure here is retried: the leftover is then set aside)
        return true;
    }

    /**
     * A half-read file whose name a newer file holds in the inbox: it cannot go back (renamed, its
     * derived ids would change; left, the newer one's preMove would delete it), so it is kept in
     * {@code .error/} for an operator.
     */
    private static void keepAside(Path f, Path inbox) throws IOException {
        Path kept = inbox.resolve(".error").resolve(f.getFileName() + ".half-read-" + System.currentTimeMillis());
        Files.createDirectories(kept.getParent());
        Files.move(f, kept);
        LOG.error("{} was left half-read by an earlier run and a newer file of its name waits in the inbox: kept as {};"
                + " move it back under its own name once the newer one is read", f.getFileName(), kept);
    }
}
