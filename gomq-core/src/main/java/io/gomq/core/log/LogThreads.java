package io.gomq.core.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The log's background threads ("gomq-log-maintenance", "gomq-log-fsync"): daemon, single, stopped with a timeout. */
final class LogThreads {
    private static final Logger LOG = LoggerFactory.getLogger(LogThreads.class);

    private LogThreads() {
    }

    /** A single daemon thread called {@code name} that runs scheduled tasks. */
    static ScheduledExecutorService start(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Lets the running task finish (up to 10 s, then interrupts it); null is ignored. */
    static void shutdown(ScheduledExecutorService ex) {
        if (ex == null) {
            return;
        }
        ex.shutdown();
        try {
            if (!ex.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("log background thread did not stop within 10 s; interrupting it");
                ex.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
