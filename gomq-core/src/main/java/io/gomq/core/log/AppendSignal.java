package io.gomq.core.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.VarHandle;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Tells whoever registered that the log's acknowledged end has moved: once per write (a writer
 * batch, a direct append, a replicated batch), on the writing thread, after the end moved and
 * outside the log's locks. Listeners must be quick and must not block (an unpark, a flag).
 *
 * <p>Design note: the replication streams used to be woken once per acknowledged message from the
 * publishers' acknowledgement path, and polled every 2 ms for appends no one announced (session
 * records, retained messages carried forward), so each stream woke 500 times a second on an idle
 * leader. One signal from the log covers every append, once per batch.
 */
final class AppendSignal {
    private static final Logger LOG = LoggerFactory.getLogger(AppendSignal.class);

    private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();

    void add(Runnable listener) {
        listeners.add(listener);
    }

    void remove(Runnable listener) {
        listeners.remove(listener);
    }

    /** After the end moved. */
    void appended() {
        if (listeners.isEmpty()) {
            return;
        }
        // the end is published with a release store: without a full fence, a listener's read of
        // "is anyone waiting" could pass it, and a reader that registered meanwhile would sleep on
        VarHandle.fullFence();
        for (Runnable r : listeners) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("an append listener failed", e);
            }
        }
    }
}
