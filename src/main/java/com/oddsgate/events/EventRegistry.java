package com.oddsgate.events;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.oddsgate.order.Listing;
import com.oddsgate.order.OrderRejectedException;

/**
 * The registry of events listed on both venues, read from a YAML file operators edit (and reloaded
 * when it changes). Each pairing is checked against how the venues list the two markets: close times
 * further apart than the tolerance, or titles less alike than the threshold, refuse the pairing
 * unless the operator marked it {@code confirmed}. Only a verified or confirmed pairing is used (for
 * exposure, per-event limits and best-venue orders); one whose markets cannot be read now is retried
 * at the next reload.
 */
public class EventRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(EventRegistry.class);
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Set<String> FIELDS = Set.of("id", "title", "polymarket", "kalshi", "orientation", "approvedBy", "confirmed");
    /** Words that say nothing about which question it is. */
    private static final Set<String> FILLER = Set.of("will", "the", "a", "an", "in", "on", "of", "by", "to", "be", "is", "it", "at",
            "for", "and", "or", "than", "this", "that", "with", "before", "after");

    /** How the venues list the two markets. */
    public interface Listings {
        Listing polymarket(String slug);

        Listing kalshi(String ticker);
    }

    public enum Status {
        /** The venues' listings agree within the tolerances. */
        VERIFIED,
        /** They disagree, and the operator confirmed the pairing anyway. */
        CONFIRMED,
        /** Not used: a disagreement not confirmed, an unknown market, or an entry that cannot be read. */
        REFUSED,
        /** Not used yet: a venue could not be read; tried again at the next reload. */
        UNVERIFIED;

        public boolean usable() {
            return this == VERIFIED || this == CONFIRMED;
        }
    }

    /**
     * A pairing and what the check found; {@code venueChecked}: the finding came from the venues
     * (checked again every {@code recheck}), not from the file.
     */
    public record Entry(EventPair pair, Status status, List<String> findings, Listing polymarket, Listing kalshi, Instant checkedAt,
            boolean venueChecked) {

        public Map<String, Object> view() {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", pair.id());
            v.put("title", pair.title());
            v.put("status", status.name().toLowerCase(Locale.ROOT));
            v.put("findings", findings);
            v.put("orientation", pair.orientation() == null ? null : pair.orientation().name().toLowerCase(Locale.ROOT));
            v.put("approvedBy", pair.approvedBy());
            v.put("confirmed", pair.confirmed());
            v.put("polymarket", leg(pair.polymarket(), polymarket));
            v.put("kalshi", leg(pair.kalshi(), kalshi));
            v.put("checkedAt", checkedAt == null ? null : checkedAt.toString());
            return v;
        }

        private static Map<String, Object> leg(String market, Listing l) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("market", market);
            if (l != null) {
                v.put("title", l.title());
                v.put("closes", l.closes() == null ? null : l.closes().toString());
                if (l.yesTokenId() != null) {
                    v.put("conditionId", l.conditionId());
                    v.put("yesTokenId", l.yesTokenId());
                    v.put("noTokenId", l.noTokenId());
                }
            }
            return v;
        }
    }

    private final Path file;
    private final Listings listings;
    private final Duration closeTolerance;
    private final double titleSimilarity;
    private final Duration recheck;
    private final Clock clock;
    private volatile Map<String, Entry> entries = Map.of();
    private volatile String fileProblem;
    /** The text the pairings in force were read from; null before the first read. */
    private String readText;
    /** A changed text seen once: taken when the next read finds it unchanged (not half-written). */
    private String seenOnce;

    /** @param recheck how long a venue's answer about a pairing holds before it is asked again */
    public EventRegistry(Path file, Listings listings, Duration closeTolerance, double titleSimilarity, Duration recheck, Clock clock) {
        this.file = file;
        this.listings = listings;
        this.closeTolerance = closeTolerance;
        this.titleSimilarity = titleSimilarity;
        this.recheck = recheck;
        this.clock = clock;
    }

    /**
     * Reads the file again when it changed (once the change reads the same twice in a row: an editor
     * may be writing it), checks again a pairing that could not be checked, and asks the venues again
     * about one whose check is older than {@code recheck}. A file that does not parse, is empty or is
     * gone leaves the pairings in force as they were (and says why in the view); {@code events: []}
     * removes them all.
     */
    public synchronized void reload() {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            text = null;
        } catch (IOException e) {
            fileProblem = file + " cannot be read: " + e.getMessage();
            LOG.warn("Event registry: {}", fileProblem);
            return;
        }
        if ((text == null || text.isBlank()) && !entries.isEmpty()) {
            fileProblem = file + (text == null ? " is gone" : " is empty") + ": the pairings read before stay in force"
                    + " (write \"events: []\" to remove them all)";
            return;
        }
        text = text == null ? "" : text;
        if (readText != null && !text.equals(readText)) {
            if (!text.equals(seenOnce)) {
                seenOnce = text; // read it again next time: a file being written is not taken half-way
                return;
            }
        } else if (readText != null) {
            seenOnce = null;
            recheck();
            return;
        }
        seenOnce = null;
        List<EventPair> pairs = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        try {
            JsonNode root = text.isBlank() ? null : YAML.readTree(text);
            JsonNode list = root == null ? null : root.path("events");
            if (root != null && !list.isArray() && !list.isMissingNode()) {
                throw new IOException("'events' must be a list");
            }
            int i = 0;
            for (JsonNode n : list == null ? List.<JsonNode>of() : (Iterable<JsonNode>) list::elements) {
                i++;
                pairs.add(parse(n, i, unreadable));
            }
        } catch (IOException | RuntimeException e) {
            fileProblem = file + " does not parse (the pairings read before stay in force): " + e.getMessage();
            LOG.error("Event registry: {}", fileProblem);
            readText = text;
            return;
        }
        fileProblem = null;
        Map<String, Entry> checked = new LinkedHashMap<>();
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < pairs.size(); i++) {
            EventPair p = pairs.get(i);
            String problem = unreadable.get(i);
            Entry e;
            if (problem != null) {
                e = new Entry(p, Status.REFUSED, List.of(problem), null, null, clock.instant(), false);
            } else if (checked.containsKey(p.id())) {
                e = new Entry(p, Status.REFUSED, List.of("id '" + p.id() + "' is used by an earlier entry"), null, null, clock.instant(),
                        false);
            } else if (!taken.add("polymarket:" + p.polymarket()) | !taken.add("kalshi:" + p.kalshi())) {
                e = new Entry(p, Status.REFUSED, List.of("a market of this pairing is in an earlier entry already"), null, null,
                        clock.instant(), false);
            } else {
                Entry before = entries.get(p.id());
                e = before != null && before.pair().equals(p) && before.status() != Status.UNVERIFIED ? before : check(p);
            }
            checked.putIfAbsent(p.id(), e);
        }
        entries = checked;
        readText = text;
        LOG.info("Event registry {}: {}", file, checked.values().stream().map(e -> e.pair().id() + " " + e.status())
                .collect(Collectors.joining(", ")));
    }

    /**
     * Asks the venues again where the last answer is stale, or was no answer. A re-check that cannot
     * read a venue keeps what the last check found; one that finds a disagreement now refuses.
     */
    private void recheck() {
        Instant due = clock.instant().minus(recheck);
        Map<String, Entry> next = new LinkedHashMap<>(entries);
        boolean any = false;
        for (Entry e : entries.values()) {
            if (e.venueChecked() && (e.status() == Status.UNVERIFIED || e.checkedAt().isBefore(due))) {
                Entry again = check(e.pair());
                if (again.status() == Status.UNVERIFIED && e.status() != Status.UNVERIFIED) {
                    LOG.warn("Event registry: pairing {} could not be checked again ({}); it stays {}", e.pair().id(),
                            again.findings(), e.status());
                    continue;
                }
                next.put(e.pair().id(), again);
                any |= again.status() != e.status();
            }
        }
        entries = next;
        if (any) {
            LOG.info("Event registry {} re-checked: {}", file, next.values().stream().map(x -> x.pair().id() + " " + x.status())
                    .collect(Collectors.joining(", ")));
        }
    }

    private static EventPair parse(JsonNode n, int index, List<String> unreadable) {
        List<String> wrong = new ArrayList<>();
        n.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                wrong.add("'" + f + "' is not a field (" + String.join(", ", FIELDS.stream().sorted().toList()) + ")");
            }
        });
        String id = text(n, "id");
        String poly = text(n, "polymarket");
        String kalshi = text(n, "kalshi");
        String approvedBy = text(n, "approvedBy");
        EventPair.Orientation orientation = null;
        String o = text(n, "orientation");
        if (o != null) {
            try {
                orientation = EventPair.Orientation.valueOf(o.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                wrong.add("orientation must be same or inverted, got '" + o + "'");
            }
        }
        for (String[] required : new String[][] {{"id", id}, {"polymarket", poly}, {"kalshi", kalshi}, {"orientation", o},
                {"approvedBy", approvedBy}}) {
            if (required[1] == null) {
                wrong.add(required[0] + " is required");
            }
        }
        unreadable.add(wrong.isEmpty() ? null : "entry " + index + ": " + String.join("; ", wrong));
        return new EventPair(id == null ? "#" + index : id, text(n, "title"), poly, kalshi, orientation, approvedBy,
                n.path("confirmed").asBoolean(false));
    }

    private static String text(JsonNode n, String field) {
        String s = n.hasNonNull(field) ? n.get(field).asText().trim() : null;
        return s == null || s.isEmpty() ? null : s;
    }

    /** Reads both listings and compares them. */
    Entry check(EventPair p) {
        Listing poly = null;
        Listing kalshi;
        try {
            poly = listings.polymarket(p.polymarket());
            kalshi = listings.kalshi(p.kalshi());
        } catch (OrderRejectedException unknown) {
            return new Entry(p, Status.REFUSED, List.of(unknown.getMessage()), null, null, clock.instant(), true);
        } catch (RuntimeException unreadable) {
            // The Polymarket listing, when it was read, is kept: its tokens tell an order by token id is this pairing's.
            return new Entry(p, Status.UNVERIFIED, List.of("a venue cannot be read now: " + unreadable.getMessage()), poly, null,
                    clock.instant(), true);
        }
        List<String> disagree = new ArrayList<>();
        if (poly.closes() == null || kalshi.closes() == null) {
            disagree.add((poly.closes() == null ? "Polymarket" : "Kalshi") + " gives no close time to compare");
        } else {
            Duration apart = Duration.between(poly.closes(), kalshi.closes()).abs();
            if (apart.compareTo(closeTolerance) > 0) {
                disagree.add("close times " + apart + " apart (Polymarket " + poly.closes() + ", Kalshi " + kalshi.closes()
                        + "), more than the tolerance " + closeTolerance);
            }
        }
        double alike = similarity(poly.title(), kalshi.title());
        if (alike < titleSimilarity) {
            disagree.add(String.format(Locale.ROOT, "titles %.2f alike, less than %.2f: '%s' and '%s'", alike, titleSimilarity,
                    poly.title(), kalshi.title()));
        }
        String opposite = opposed(poly.title(), kalshi.title());
        if (opposite != null && p.orientation() == EventPair.Orientation.SAME) {
            // Alike in most words, opposite in the one that matters: paired "same", a YES here would buy the other answer there.
            disagree.add("the titles ask opposite questions (" + opposite + "), but the pairing says orientation same:"
                    + " is Kalshi's YES Polymarket's NO (orientation inverted)?");
        }
        Status status = disagree.isEmpty() ? Status.VERIFIED : p.confirmed() ? Status.CONFIRMED : Status.REFUSED;
        List<String> findings = new ArrayList<>(disagree);
        if (status == Status.CONFIRMED) {
            findings.add(0, "confirmed by " + p.approvedBy() + " despite:");
        } else if (status == Status.REFUSED) {
            findings.add("set confirmed: true to pair them anyway");
        }
        return new Entry(p, status, List.copyOf(findings), poly, kalshi, clock.instant(), true);
    }

    /** Words that turn a question into its opposite, in pairs. */
    private static final List<List<String>> OPPOSITES = List.of(List.of("above", "below"), List.of("over", "under"),
            List.of("higher", "lower"), List.of("more", "less"), List.of("more", "fewer"), List.of("exceed", "below"),
            List.of("win", "lose"), List.of("rise", "fall"), List.of("up", "down"), List.of("yes", "no"));

    /**
     * Where two titles ask opposite questions: one has a word of an opposite pair the other has the
     * counterpart of (and not the word itself), or only one says "not"; null when they do not.
     */
    static String opposed(String a, String b) {
        Set<String> x = words(a);
        Set<String> y = words(b);
        for (List<String> pair : OPPOSITES) {
            String p = pair.get(0);
            String q = pair.get(1);
            if ((x.contains(p) && y.contains(q) && !y.contains(p) && !x.contains(q))
                    || (x.contains(q) && y.contains(p) && !y.contains(q) && !x.contains(p))) {
                return "'" + (x.contains(p) ? p : q) + "' and '" + (x.contains(p) ? q : p) + "'";
            }
        }
        if (x.contains("not") != y.contains("not")) {
            return "'not' in one only";
        }
        return null;
    }

    /** The share of meaningful words the two titles have in common (Jaccard), 0 to 1. */
    static double similarity(String a, String b) {
        Set<String> x = words(a);
        Set<String> y = words(b);
        if (x.isEmpty() && y.isEmpty()) {
            return 0;
        }
        Set<String> both = new HashSet<>(x);
        both.retainAll(y);
        Set<String> either = new HashSet<>(x);
        either.addAll(y);
        return (double) both.size() / either.size();
    }

    private static Set<String> words(String s) {
        if (s == null) {
            return Set.of();
        }
        return Arrays.stream(s.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}$%.]+")).map(w -> w.replaceAll("^\\.+|\\.+$", ""))
                .filter(w -> !w.isEmpty() && !FILLER.contains(w)).collect(Collectors.toSet());
    }

    public List<Entry> all() {
        return List.copyOf(entries.values());
    }

    public String fileProblem() {
        return fileProblem;
    }

    public Path file() {
        return file;
    }

    /** A pairing in use; 404 when no entry has the id, 409 when the entry is not verified or confirmed. */
    public Entry usable(String id) {
        Entry e = entries.get(id);
        if (e == null) {
            throw new OrderRejectedException("event", "unknown event '" + id + "' (the registry is " + file + ")", 404);
        }
        if (!e.status().usable()) {
            throw new OrderRejectedException("event", "event '" + id + "' is " + e.status().name().toLowerCase(Locale.ROOT) + ": "
                    + String.join("; ", e.findings()), 409);
        }
        return e;
    }

    /**
     * A pairing naming this market (a Kalshi ticker, a Polymarket slug) that could not be checked
     * yet: its figures are unknown, so a limit on it cannot pass an order. A Polymarket order named
     * by token has no slug: it is matched by the pairing's tokens, when Polymarket could be read.
     */
    public Optional<Entry> unchecked(String venue, String market) {
        return unchecked(venue, market, null);
    }

    /** The same, also matching a Polymarket outcome token ({@code instrument}) of the pairing's listing. */
    public Optional<Entry> unchecked(String venue, String market, String instrument) {
        boolean kalshi = "kalshi".equals(venue);
        return entries.values().stream().filter(e -> e.status() == Status.UNVERIFIED)
                .filter(e -> kalshi ? market != null && market.equals(e.pair().kalshi())
                        : market != null && market.equals(e.pair().polymarket()) || instrument != null && e.polymarket() != null
                                && (instrument.equals(e.polymarket().yesTokenId()) || instrument.equals(e.polymarket().noTokenId())))
                .findFirst();
    }

    /** The usable pairing a venue's instrument (a Polymarket outcome token, a Kalshi ticker) belongs to. */
    public Optional<Entry> of(String venue, String instrument) {
        if (instrument == null) {
            return Optional.empty();
        }
        return entries.values().stream().filter(e -> e.status().usable()).filter(e -> "kalshi".equals(venue)
                ? instrument.equals(e.kalshi().market())
                : instrument.equals(e.polymarket().yesTokenId()) || instrument.equals(e.polymarket().noTokenId())).findFirst();
    }
}
