package io.gomq.bench.load;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.AtomicHistogram;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One subscribing connection's accounting: end-to-end latency (of the measured interval),
 * messages received, and per publisher which sequence numbers arrived, for losses and
 * duplicates. Called on the client's threads.
 */
final class LoadSubscriber {
    /** The longest latency told apart, an hour; longer ones count as an hour. */
    private static final long MAX_LATENCY_US = 3_600_000_000L;
    // One histogram from the warm-up on; the measured interval is the difference of two copies.
    // Whatever the code does first when the measurement starts had been compiled as a trap: a
    // Recorder's phase flip, a fresh histogram resizing or setting its first minimum and maximum.
    // Their deoptimisation and recompilation took 60-140 ms of the load generator's core in the
    // first second measured, in every run, whichever the broker.
    private final AtomicHistogram latency = new AtomicHistogram(1, MAX_LATENCY_US, 3);
    private volatile AbstractHistogram atStart;
    private final AtomicLong received = new AtomicLong();
    private final BitSet[] seen;
    private long unique;
    private long duplicates;
    private final LatencyLog log;

    /** @param log where each measured delivery goes as well, or null */
    LoadSubscriber(int publishers, LatencyLog log) {
        this.log = log;
        seen = new BitSet[publishers];
        for (int i = 0; i < publishers; i++) {
            seen[i] = new BitSet();
        }
    }

    void onMessage(ByteBuffer p) {
        long now = System.nanoTime();
        if (p == null || p.remaining() < LoadPayload.HEADER) {
            return; // not ours
        }
        long nanos = Math.max(0, now - LoadPayload.sentNanos(p));
        latency.recordValue(Math.min(MAX_LATENCY_US, nanos / 1_000));
        if (log != null) {
            log.record(now, nanos);
        }
        received.incrementAndGet();
        int publisher = LoadPayload.publisher(p);
        long seq = LoadPayload.sequence(p);
        if (publisher < 0 || publisher >= seen.length || seq < 0 || seq > Integer.MAX_VALUE) {
            return;
        }
        synchronized (this) {
            if (seen[publisher].get((int) seq)) {
                duplicates++;
            } else {
                seen[publisher].set((int) seq);
                unique++;
            }
        }
    }

    /** Starts the measured interval: latencies from here on count. */
    void measure() {
        if (log != null) {
            log.start();
        }
        atStart = latency.copy();
    }

    /** Ends it; the latencies recorded since {@link #measure}, in microseconds. */
    AbstractHistogram stopMeasuring() {
        AbstractHistogram measured = latency.copy();
        if (log != null) {
            log.stop();
        }
        measured.subtract(atStart); // counts only grow: no bucket goes below zero
        return measured;
    }

    long received() {
        return received.get();
    }

    synchronized long unique() {
        return unique;
    }

    LatencyLog log() {
        return log;
    }

    synchronized long duplicates() {
        return duplicates;
    }
}
