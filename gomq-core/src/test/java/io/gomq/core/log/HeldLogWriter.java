package io.gomq.core.log;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tests: a slow store. Holds the log's write lock on a thread of its own, so the log's writer
 * stalls at its next batch (nothing queued is stored) until {@link #close}.
 */
public final class HeldLogWriter implements AutoCloseable {
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Thread holder;
    private final ChronicleMessageLog log;

    private HeldLogWriter(ChronicleMessageLog log) {
        this.log = log;
        holder = new Thread(() -> {
            log.writeLock().lock();
            try {
                held.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                log.writeLock().unlock();
            }
        }, "test-held-log-writer");
        holder.setDaemon(true);
        holder.start();
    }

    /** Returns once the write lock is held. */
    public static HeldLogWriter hold(MessageLog log) throws InterruptedException {
        HeldLogWriter h = new HeldLogWriter((ChronicleMessageLog) log);
        if (!h.held.await(10, TimeUnit.SECONDS)) {
            h.close();
            throw new AssertionError("the log's write lock was not free within 10 s");
        }
        return h;
    }

    /** The log's writer took a batch and waits for the lock: what was handed to it is not stored. */
    public boolean writerStalled() {
        return log.writeLock().hasQueuedThreads();
    }

    @Override
    public void close() throws InterruptedException {
        release.countDown();
        holder.join(10_000);
    }
}
