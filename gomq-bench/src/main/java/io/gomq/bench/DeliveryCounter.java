package io.gomq.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts deliveries. One writer at a time (the subscriber thread; the broker's handler runs
 * are serialized with happens-before between them), read by the benchmark thread: a plain
 * read and an opaque write, no atomic read-modify-write that the raw side would not pay.
 */
public final class DeliveryCounter {
    private static final long DRAIN_TIMEOUT_MS = 5_000;
    private final AtomicLong total = new AtomicLong();
    private long mark;

    public void increment() {
        total.setOpaque(total.getPlain() + 1);
    }

    public long total() {
        return total.getOpaque();
    }

    public void markIteration() {
        mark = total();
    }

    public long sinceMark() {
        return total() - mark;
    }

    /** Waits until {@code expected} were delivered; false after the drain timeout. */
    public boolean awaitTotal(long expected) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS);
        while (total() < expected) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.onSpinWait();
        }
        return true;
    }
}
