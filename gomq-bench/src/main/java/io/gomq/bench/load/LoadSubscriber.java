package io.gomq.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One subscribing connection's accounting: end-to-end latency (of the measured interval),
 * messages received, and per publisher which sequence numbers arrived, for losses and
 * duplicates. Called on the client's threads.
 */
final class LoadSubscriber {
    private final Recorder latency = new Recorder(3);
    private final AtomicLong received = new AtomicLong();
    private final BitSet[] seen;
    private long unique;
    private long duplicates;

    LoadSubscriber(int publishers) {
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
        // recorded in the warm-up too, and dropped when the measurement starts: a branch taken
        // only from then on was compiled as a trap, and its deoptimisation and recompilation on
        // the load generator's one core delayed every broker's first ~0.5 s measured by 1-18 ms
        latency.recordValue(Math.max(0, now - LoadPayload.sentNanos(p)) / 1_000);
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
        latency.reset();
    }

    /** Ends it; the latencies recorded since {@link #measure}, in microseconds. */
    Histogram stopMeasuring() {
        return latency.getIntervalHistogram();
    }

    long received() {
        return received.get();
    }

    synchronized long unique() {
        return unique;
    }

    synchronized long duplicates() {
        return duplicates;
    }
}
