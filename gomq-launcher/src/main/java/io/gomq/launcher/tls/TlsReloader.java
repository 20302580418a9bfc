package io.gomq.launcher.tls;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls the TLS files every {@code intervalMs} on a thread of its own (never an event loop:
 * reading and parsing PEM files is file I/O) and swaps in the new certificates.
 * Design note: polling modification times rather than a WatchService, because mounted secrets
 * (Kubernetes, Vault agents) are replaced through symlink swaps that directory watches miss.
 */
public final class TlsReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TlsReloader.class);

    private final ScheduledExecutorService thread;

    public TlsReloader(List<? extends Reloadable<?>> contexts, long intervalMs, TlsMetrics metrics) {
        thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gomq-tls-reload");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(() -> {
            for (Reloadable<?> c : contexts) {
                try {
                    if (c.reloadIfChanged()) {
                        metrics.reloads.increment();
                    }
                } catch (RuntimeException e) {
                    LOG.warn("{}: TLS reload check failed", c.name(), e);
                }
            }
        }, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
