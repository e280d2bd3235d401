package com.oddsgate.fills;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams' fills, stored in groups: each WebSocket frame's fills are queued and one writer
 * thread stores whatever has queued meanwhile (up to {@code groupSize} fills per venue, through the
 * fill book: {@code FillBook.TRANSACTION} fills per transaction). Nothing waits for a group to fill up: a lone frame is stored at once, and under load the
 * groups grow by themselves while the previous one commits (group commit). The queue is bounded
 * ({@code capacity} frames): when the ledger falls behind, the frames' threads wait in {@link #add}.
 * <p>
 * A group that cannot be stored after a few tries is left to its venue's catch-up poll, asked for
 * on a thread of its own (once per venue while one is pending): nothing has marked its fills as
 * read — the polling cursor moves only on what polling stored — and the same holds after a crash
 * for every frame still queued, which the catch-up poll at start reads again.
 */
public final class FillStream implements AutoCloseable {

    /** Stores one group of one venue's fills (the fill book: repeats harmless, so a group tried again is too). */
    public interface Store {
        void apply(List<Fill> fills, String source);
    }

    /** A frame's fills, or a flush's marker (counted down once everything queued before it is stored). */
    private record Item(List<Fill> fills, CountDownLatch marker) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(FillStream.class);

    private final Store store;
    private final int groupSize;
    private final long[] backoffMs;
    private final Consumer<String> catchUp;
    private final BlockingQueue<Item> queue;
    private final Thread writer;
    private final ExecutorService catchUps = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fill-stream-catch-up");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> owed = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    /**
     * @param catchUp runs the venue's catch-up poll; throws when the poll failed
     */
    public FillStream(Store store, int groupSize, int capacity, Consumer<String> catchUp) {
        this(store, groupSize, capacity, catchUp, new long[] {100, 500, 2_000});
    }

    /** @param backoffMs the waits before each retry of a group that could not be stored */
    public FillStream(Store store, int groupSize, int capacity, Consumer<String> catchUp, long[] backoffMs) {
        this.store = store;
        this.groupSize = Math.max(1, groupSize);
        this.catchUp = catchUp;
        this.backoffMs = backoffMs.clone();
        this.queue = new ArrayBlockingQueue<>(Math.max(1, capacity));
        this.writer = new Thread(this::loop, "fill-stream-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues a frame's fills (none: nothing to do); waits while the queue is full. */
    public void add(List<Fill> fills) throws InterruptedException {
        if (fills != null && !fills.isEmpty()) {
            enqueue(new Item(List.copyOf(fills), null));
        }
    }

    /**
     * Returns once every frame queued before this call is stored (or left to a catch-up): a frame's
     * order events (a cancel at the venue) are applied after the fills that came before them.
     */
    public void flush() throws InterruptedException {
        CountDownLatch marker = new CountDownLatch(1);
        enqueue(new Item(List.of(), marker));
        while (!marker.await(1, TimeUnit.SECONDS)) {
            requireWriter();
        }
    }

    private void enqueue(Item item) throws InterruptedException {
        while (!queue.offer(item, 200, TimeUnit.MILLISECONDS)) {
            requireWriter();
        }
        requireWriter(); // queued just as the writer ended: close() reports what it left
    }

    private void requireWriter() {
        if (!running || !writer.isAlive()) {
            throw new IllegalStateException("the fill stream is stopped; the catch-up poll reads these fills again");
        }
    }

    private void loop() {
        List<Item> taken = new ArrayList<>();
        try {
            while (running || !queue.isEmpty()) {
                Item first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                taken.add(first);
                int fills = first.fills().size();
                // Whatever else queued while the last group was being stored, up to the group's size.
                for (Item next; fills < groupSize && (next = queue.poll()) != null;) {
                    taken.add(next);
                    fills += next.fills().size();
                }
                storeGroup(taken, fills);
                taken.forEach(FillStream::release);
                taken.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stopping: what is left is reported by close()
        } finally {
            running = false;
            taken.forEach(FillStream::release);
        }
    }

    private static void release(Item item) {
        if (item.marker() != null) {
            item.marker().countDown();
        }
    }

    private void storeGroup(List<Item> taken, int fills) throws InterruptedException {
        Map<String, List<Fill>> byVenue = new LinkedHashMap<>();
        taken.forEach(item -> item.fills().forEach(f -> byVenue.computeIfAbsent(f.venue(), v -> new ArrayList<>(fills)).add(f)));
        for (Map.Entry<String, List<Fill>> group : byVenue.entrySet()) {
            for (int attempt = 0;; attempt++) {
                try {
                    store.apply(group.getValue(), "websocket");
                    break;
                } catch (RuntimeException | Error e) { // an Error too: the writer must outlive one bad group
                    if (attempt == backoffMs.length) {
                        LOG.warn("{} streamed fills of {} could not be stored after {} tries ({}); asking for its catch-up poll",
                                group.getValue().size(), group.getKey(), attempt + 1, e.toString());
                        askForCatchUp(group.getKey());
                        break;
                    }
                    Thread.sleep(backoffMs[attempt]);
                }
            }
        }
    }

    /** One pending catch-up per venue, on its own thread: the writer goes on with the next groups meanwhile. */
    private void askForCatchUp(String venue) {
        if (!owed.add(venue)) {
            return;
        }
        try {
            catchUps.execute(() -> {
                owed.remove(venue);
                try {
                    catchUp.accept(venue);
                    LOG.info("catch-up poll of {} done after a group of streamed fills could not be stored", venue);
                } catch (RuntimeException e) {
                    LOG.warn("catch-up poll of {} after a group of streamed fills could not be stored failed too ({}); the"
                            + " polling timer, the next reconnect or the next start reads them", venue, e.getMessage());
                }
            });
        } catch (RuntimeException rejected) { // stopping
            owed.remove(venue);
            LOG.warn("no catch-up poll of {} at stop; the catch-up poll at start reads its fills again", venue);
        }
    }

    /** Stores what is queued (the writer finishes it), then stops; waits at most {@code waitMs} for the writer. */
    public void close(long waitMs) {
        running = false;
        try {
            writer.join(waitMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int frames = 0;
        for (Item item; (item = queue.poll()) != null;) {
            release(item);
            frames += item.fills().isEmpty() ? 0 : 1;
        }
        if (frames > 0 || writer.isAlive()) {
            LOG.warn("{} streamed frames not stored at stop{}; the catch-up poll at start reads their fills again", frames,
                    writer.isAlive() ? " (a group was still being stored)" : "");
        }
        catchUps.shutdown();
    }

    @Override
    public void close() {
        close(10_000);
    }
}
