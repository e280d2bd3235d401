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
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Ledger writes of concurrent orders share commits. Callers hand their write to a writer thread
 * and wait for their own commit: a writer takes every write waiting (up to {@code maxBatch}),
 * runs each behind its own savepoint — a write that fails (a clientOrderId race, a lost
 * compare-and-set) is rolled back alone and its caller gets its exception — and commits them
 * together. Nothing a caller does after {@link #run} returns (a venue call) happens before its
 * write is durable; if the commit fails, every caller of the batch gets the failure and none of
 * them proceeds.
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
        this.each.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
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
        if (!running) {
            throw new IllegalStateException("the ledger writer has stopped");
        }
        Write w = new Write(work);
        queue.add(w);
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

    private void loop() {
        List<Write> group = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            Write first;
            try {
                first = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                continue; // stopping is decided by close(), after the queue is drained
            }
            if (first == null) {
                continue;
            }
            group.clear();
            group.add(first);
            queue.drainTo(group, maxBatch - 1);
            Throwable[] failed = new Throwable[group.size()];
            try {
                batch.executeWithoutResult(s -> {
                    for (int i = 0; i < group.size(); i++) {
                        Write w = group.get(i);
                        try {
                            each.executeWithoutResult(savepoint -> w.work.run());
                        } catch (RuntimeException | Error e) {
                            failed[i] = e;
                        }
                    }
                });
            } catch (RuntimeException | Error commitFailed) {
                group.forEach(w -> w.done.completeExceptionally(commitFailed)); // none of it is durable
                continue;
            }
            commits.increment();
            for (int i = 0; i < group.size(); i++) {
                if (failed[i] == null) {
                    writes.increment();
                    group.get(i).done.complete(null);
                } else {
                    group.get(i).done.completeExceptionally(failed[i]);
                }
            }
        }
    }

    /** Commits so far. */
    public long commits() {
        return commits.sum();
    }

    /** Writes committed so far (writes / commits: the mean group). */
    public long writes() {
        return writes.sum();
    }

    /** Stops taking writes once those waiting are committed. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : writers) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
    }
}
