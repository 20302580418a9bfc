package io.gomq.testing;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tests: a slow disk. Holds a writer thread's file lock on a thread of its own, so that writer
 * stalls at its next batch until {@link #close}; {@link #writerStalled()} tells when it waits.
 */
public final class HeldLock implements AutoCloseable {
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final Thread holder;
    private final ReentrantLock lock;

    private HeldLock(ReentrantLock lock, String name) {
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
        }, name);
        holder.setDaemon(true);
        holder.start();
    }

    /** Returns once {@code lock} is held by a thread called {@code name}. */
    public static HeldLock hold(ReentrantLock lock, String name) throws InterruptedException {
        HeldLock h = new HeldLock(lock, name);
        if (!h.held.await(10, TimeUnit.SECONDS)) {
            h.close();
            throw new AssertionError(name + ": the lock was not free within 10 s");
        }
        return h;
    }

    /** The writer took a batch and waits for the lock: what was handed to it is not written. */
    public boolean writerStalled() {
        return lock.hasQueuedThreads();
    }

    @Override
    public void close() throws InterruptedException {
        release.countDown();
        holder.join(10_000);
    }
}
