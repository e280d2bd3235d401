package com.oddsgate.api;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.oddsgate.ledger.RecoveryScan;

/**
 * The inbox consumers' poll strategy ({@code pollStrategy=#fileInboxResume}): before each consumer's
 * first poll, the files an earlier run left half-read in its inbox's {@code .inprogress/} go back
 * to the inbox ({@link FileOrders#resumeInProgress}). Run by the consumer itself, it comes before
 * anything that consumer reads — at start, on a route started again, on taking over as leader (a
 * new consumer each time) — and a resume that fails skips the poll and is tried at the next.
 * Each gateway reads its own inbox: a folder shared by several instances is not supported.
 */
public class FileInboxResume implements PollingConsumerPollStrategy {

    private static final Logger LOG = LoggerFactory.getLogger(FileInboxResume.class);

    private final FileOrders files;
    /** Closes the orders an earlier run left RECEIVED (RecoveryScan#closeInterrupted), before their file is read again. */
    private final Runnable closeInterrupted;
    /** The consumers that have resumed their inbox: a new one (a route started again, leadership taken over) resumes anew. */
    private final Set<Consumer> resumed = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    /**
     * @param closeInterrupted run first: an order an earlier run left RECEIVED was never sent, and its
     *        line, read again while it still stood, would be taken for a repeat (its clientOrderId known,
     *        no venue call) and then closed REJECTED by recovery — an intent lost (review). Closed
     *        first, its clientOrderId is released and the line is placed.
     */
    public FileInboxResume(FileOrders files, Runnable closeInterrupted) {
        this.files = files;
        this.closeInterrupted = closeInterrupted;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        if (!(endpoint instanceof GenericFileEndpoint<?> fileEndpoint)) {
            return true;
        }
        if (resumed.contains(consumer)) {
            return true;
        }
        String inbox = fileEndpoint.getConfiguration().getDirectory();
        try {
            closeInterrupted.run();
            files.resumeInProgress(inbox);
            resumed.add(consumer);
            return true;
        } catch (RecoveryScan.NotLeased e) {
            LOG.debug("the inbox {} is read once this instance holds its lease: {}", inbox, e.getMessage());
            return false;
        } catch (Exception e) {
            LOG.error("files left half-read in {}/{} could not be put back: {}; the inbox is not read until they are", inbox,
                    FileOrders.IN_PROGRESS, e.getMessage());
            return false;
        }
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        // nothing to do after a poll
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        return false; // as the default strategy: the next scheduled poll tries again
    }
}
