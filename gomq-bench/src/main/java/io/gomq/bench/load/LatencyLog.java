package io.gomq.bench.load;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every delivery of the measured interval, for finding when the tail happened, not only how
 * long it is: one subscriber's receive times and latencies in nanoseconds. Receive times are
 * {@link System#nanoTime}, Linux's monotonic clock, the clock a kernel trace ({@code trace_clock
 * mono}) and the JVM's {@code -Xlog} decorator {@code timenanos} use, so a delay can be laid
 * beside what ran on each core at that moment.
 *
 * <p>A ring, written by one thread at a time (the subscriber connection's callbacks) from the warm-up on, so that the
 * measurement's start changes no branch the warmed-up code takes (see {@link LoadSubscriber});
 * it keeps the last {@code capacity} deliveries, and the measured interval is the stretch
 * between {@link #start} and {@link #stop}. Read once the deliveries have stopped.
 */
final class LatencyLog {
    private final long[] receivedNanos;
    private final long[] latencyNanos;
    private final int mask;
    private final AtomicLong written = new AtomicLong();
    private volatile long from;
    private volatile long to;

    /** @param capacity deliveries kept, rounded up to a power of two */
    LatencyLog(int capacity) {
        int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        receivedNanos = new long[size];
        latencyNanos = new long[size];
        mask = size - 1;
    }

    /** Room for a run's measured deliveries (its rate for its duration, twice over); unpaced 4 M, the last ones. */
    static LatencyLog sizedFor(LoadOptions o) {
        long expected = o.ratePerPublisher > 0
                ? (long) o.ratePerPublisher * o.publishers * Math.max(1, o.duration.toSeconds()) * 2
                : 4_000_000L;
        return new LatencyLog((int) Math.min(1 << 23, Math.max(1_024L, expected)));
    }

    void start() {
        from = written.get();
    }

    void stop() {
        to = written.get();
    }

    void record(long receivedAt, long latency) {
        long n = written.get();
        int i = (int) (n & mask);
        receivedNanos[i] = receivedAt;
        latencyNanos[i] = latency;
        written.lazySet(n + 1);
    }

    /** The first measured delivery still held. */
    long firstKept() {
        return Math.max(from, to - receivedNanos.length);
    }

    /** Writes the logs of all subscribers: a header, then "subscriber received_nanos latency_nanos" per delivery. */
    static void write(Path file, List<LatencyLog> logs, long measuredFromNanos) throws IOException {
        try (Writer w = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.US_ASCII), 1 << 16)) {
            w.write("# gomq load latency log: subscriber received_nanos latency_nanos (System.nanoTime = CLOCK_MONOTONIC)\n");
            w.write("# measured_from_nanos " + measuredFromNanos + "\n");
            for (int s = 0; s < logs.size(); s++) {
                LatencyLog log = logs.get(s);
                long first = log.firstKept();
                if (first > log.from) {
                    w.write("# subscriber " + s + ": its first " + (first - log.from) + " measured deliveries not logged"
                            + " (the log keeps the last " + log.receivedNanos.length + ")\n");
                }
                for (long n = first; n < log.to; n++) {
                    int i = (int) (n & log.mask);
                    w.write(s + " " + log.receivedNanos[i] + " " + log.latencyNanos[i] + "\n");
                }
            }
        }
    }
}
