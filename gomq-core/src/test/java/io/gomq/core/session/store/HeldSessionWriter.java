package io.gomq.core.session.store;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tests: a slow disk under the session store. Holds the lock around the WAL file on a thread of
 * its own, so the store's writer stalls at its next batch (nothing queued is written) until
 * {@link #close}.
 */
public final class HeldSessionWriter implements AutoCloseable {
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Thread holder;
    private final ReentrantLock lock;

    private HeldSessionWriter(ReentrantLock lock) {
        this.lock = lock;
        holder = new Thread(() -> {
            lock.lock();
            try {
                held.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.unlock();
            }
        }, "test-held-session-writer");
        holder.setDaemon(true);
        holder.start();
    }

    /** Returns once the WAL file's lock is held. */
    public static HeldSessionWriter hold(SessionStore store) throws InterruptedException {
        HeldSessionWriter h = new HeldSessionWriter(store.fileLock());
        if (!h.held.await(10, TimeUnit.SECONDS)) {
            h.close();
            throw new AssertionError("the session WAL's lock was not free within 10 s");
        }
        return h;
    }

    /** The store's writer took a batch and waits for the file: what was handed to it is not written. */
    public boolean writerStalled() {
        return lock.hasQueuedThreads();
    }

    @Override
    public void close() throws InterruptedException {
        release.countDown();
        holder.join(10_000);
    }
}
