package io.gomq.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One subscribing connection's accounting: end-to-end latency (recorded while measuring),
 * messages received, and per publisher which sequence numbers arrived, for losses and
 * duplicates. Called on the client's threads.
 */
final class LoadSubscriber {
    private final Recorder latency = new Recorder(3);
    private final AtomicLong received = new AtomicLong();
    private final BitSet[] seen;
    private long unique;
    private long duplicates;
    private volatile boolean measuring;

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
        if (measuring) {
            latency.recordValue(Math.max(0, now - LoadPayload.sentNanos(p)) / 1_000);
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
        latency.reset();
        measuring = true;
    }

    /** Ends it; the latencies recorded since {@link #measure}, in microseconds. */
    Histogram stopMeasuring() {
        measuring = false;
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
