package com.oddsgate.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Ledger writes of concurrent orders share commits. Callers hand their write to a writer thread
 * and wait for their own commit: a writer takes every write waiting (up to {@code maxBatch}) and
 * commits them in one transaction. If any write of a group fails (a clientOrderId race, a lost
 * compare-and-set, a lock timeout or deadlock), the whole group is rolled back and each of its
 * writes is then run in a transaction of its own, so each caller gets exactly its own outcome —
 * never "committed" for a write a database rolled back with its neighbour. Nothing a caller does
 * after {@link #run} returns (a venue call) happens before its write is durable; if a commit fails,
 * every caller of the group gets the failure and none of them proceeds.
 */
public final class GroupCommit implements AutoCloseable {

    private static final class Write {
        final Runnable work;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        Write(Runnable work) {
            this.work = work;
        }
    }

    private final TransactionTemplate batch;
    private final TransactionTemplate each;
    private final BlockingQueue<Write> queue = new LinkedBlockingQueue<>();
    private final int maxBatch;
    private final List<Thread> writers = new ArrayList<>();
    private static final ThreadLocal<Boolean> WRITER = ThreadLocal.withInitial(() -> false);
    private final LongAdder commits = new LongAdder();
    private final LongAdder writes = new LongAdder();
    private volatile boolean running = true;

    public GroupCommit(PlatformTransactionManager transactions, int maxBatch) {
        this(transactions, maxBatch, 1);
    }

    /** @param threads writers taking groups from the one queue (each group is one transaction) */
    public GroupCommit(PlatformTransactionManager transactions, int maxBatch, int threads) {
        this.batch = new TransactionTemplate(transactions);
        this.each = new TransactionTemplate(transactions);
        this.maxBatch = Math.max(1, maxBatch);
        for (int i = 0; i < Math.max(1, threads); i++) {
            Thread t = new Thread(() -> {
                WRITER.set(true);
                loop();
            }, "ledger-group-commit-" + i);
            t.setDaemon(true);
            writers.add(t);
            t.start();
        }
    }

    /** Runs {@code work} (JDBC writes) in the next group commit and returns once it is committed. */
    public void run(Runnable work) {
        if (WRITER.get() || TransactionSynchronizationManager.isActualTransactionActive()) {
            work.run(); // already inside a ledger transaction (a write that writes more, a fill batch): part of it
            return;
        }
        Write w = new Write(work);
        queue.add(w);
        if (!running && queue.remove(w)) {
            // Stopping: no writer may take it any more; it commits on its own, here.
            each.executeWithoutResult(s -> work.run());
            return;
        }
        try {
            w.done.join(); // not interruptible: an interrupted caller could not tell whether its write committed
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** A write of a group failed: the group is rolled back whole, then each write runs alone. */
    private static final class GroupFailed extends RuntimeException {
        GroupFailed(Throwable cause) {
            super(cause);
        }
    }

    private void loop() {
        List<Write> group = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            group.clear();
            try {
                Write first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, maxBatch - 1);
                commit(group);
            } catch (InterruptedException e) {
                // stopping is decided by close(), after the queue is drained
            } catch (Throwable t) {
                group.forEach(w -> w.done.completeExceptionally(t)); // nothing of it is known durable; the writer goes on
            }
        }
    }

    private void commit(List<Write> group) {
        try {
            batch.executeWithoutResult(s -> group.forEach(w -> {
                try {
                    w.work.run();
                } catch (RuntimeException | Error e) {
                    throw new GroupFailed(e);
                }
            }));
        } catch (GroupFailed one) {
            // Rolled back whole. Each write again in a transaction of its own: each caller gets its own outcome.
            for (Write w : group) {
                try {
                    each.executeWithoutResult(s -> w.work.run());
                    commits.increment();
                    writes.increment();
                    w.done.complete(null);
                } catch (RuntimeException | Error e) {
                    w.done.completeExceptionally(e);
                }
            }
            return;
        } catch (RuntimeException | Error commitFailed) {
            group.forEach(w -> w.done.completeExceptionally(commitFailed)); // none of it is durable
            return;
        }
        commits.increment();
        writes.add(group.size());
        group.forEach(w -> w.done.complete(null));
    }

    /** Commits so far. */
    public long commits() {
        return commits.sum();
    }

    /** Writes committed so far (writes / commits: the mean group). */
    public long writes() {
        return writes.sum();
    }

    /** Stops taking writes once those waiting are committed; any left then commit here, one by one. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : writers) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
        for (Write w; (w = queue.poll()) != null; ) {
            Write left = w;
            try {
                each.executeWithoutResult(s -> left.work.run());
                left.done.complete(null);
            } catch (RuntimeException | Error e) {
                left.done.completeExceptionally(e);
            }
        }
    }
}
