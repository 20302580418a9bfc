package io.gomq.launcher.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reloads the ACL file into a {@link ReloadableAcl} when it changes (its modification time,
 * size or file key, checked every {@code pollMs}; a symlink swap as Kubernetes does counts) or
 * when asked ({@link #reloadNow()}, e.g. on SIGHUP). A file that no longer parses is reported
 * and the rules in force stay: a typo never opens or closes the broker.
 *
 * <p>Thread rules: one daemon thread of its own; never an event loop.
 */
public final class AclFileWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AclFileWatcher.class);

    private final Path file;
    private final ReloadableAcl acl;
    private final ScheduledExecutorService thread;
    private final java.util.concurrent.atomic.AtomicLong failedReloads = new java.util.concurrent.atomic.AtomicLong();
    private Object stamp;

    public AclFileWatcher(Path file, ReloadableAcl acl, long pollMs) {
        this.file = file;
        this.acl = acl;
        this.stamp = stamp();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gomq-acl-watch");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(this::checkForChange, pollMs, pollMs, TimeUnit.MILLISECONDS);
    }

    /** Schedules a reload whether or not the file looks changed; returns at once. Any thread (a signal handler). */
    public void reloadNow() {
        try {
            thread.execute(this::reload);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: the broker is stopping
        }
    }

    private void checkForChange() {
        Object now = stamp();
        if (!Objects.equals(now, stamp)) {
            reload();
        }
    }

    private void reload() {
        stamp = stamp();
        try {
            AclRules next = AclRules.load(file);
            acl.replace(next);
            LOG.info("reloaded {}", next);
            AuditLog.aclReloaded(file.toString(), next.size(), null);
        } catch (AclException e) {
            LOG.error("ACL not reloaded, the previous rules stay in force: {}", e.getMessage());
            AuditLog.aclReloaded(file.toString(), -1, e.getMessage());
            failedReloads.incrementAndGet();
        }
    }

    /** Reloads refused because the file did not parse (the previous rules stayed). */
    public long failedReloads() {
        return failedReloads.get();
    }

    private Object stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return java.util.List.of(a.lastModifiedTime(), a.size(), String.valueOf(a.fileKey()));
        } catch (IOException e) {
            return null; // gone for now (an editor's save): reloaded when it is back
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
