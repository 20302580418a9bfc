package io.gomq.launcher.jvm;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The JVM flags a memory budget ({@code --memory}) gives the standalone broker: about what the
 * whole process may hold resident, split into the parts a JVM lets you cap. Half is Java heap
 * (messages, sessions, queues), an eighth direct memory (Netty's socket buffers), the code cache
 * an eighth up to 48 MiB; the rest is left for what no flag caps: class metadata, thread stacks,
 * the garbage collector's own structures and the log's mapped file pages.
 *
 * <p>Design note: the serial collector up to a heap of {@link #SERIAL_MAX_HEAP_BYTES}, the
 * parallel one above, never G1, unless the user picks one. At a heap of a few hundred megabytes
 * G1's own structures (remembered sets, bitmaps) took about 40 MiB resident, the parallel
 * collector's 14 MiB. With the little a broker keeps live a young pause takes a millisecond or
 * two either way on a quiet machine, but the parallel collector's threads wait for each other at
 * the end of a pause: on a 2-core machine shared with builds (20,000 msg/s through the broker
 * beside its clients) its young pauses took 15 to 150 ms where the serial collector's mostly took
 * 1 to 5 ms, and the serial one's peak RSS was about 30 MiB lower. Above 1 GiB of heap the live
 * data a pause copies can be large enough for more threads to pay.
 *
 * <p>The young generation starts at a quarter of the heap (at most {@link #MAX_INITIAL_YOUNG_BYTES})
 * and the heap at that plus 32 MiB; the old generation grows under load. A young collection costs
 * about the same however large the young generation is (it copies what is live, little in a
 * broker), so its size sets how often a steady stream pauses: with the 8 MiB eden a 32 MiB heap
 * starts with, 20,000 msg/s paused the broker for about 1 ms every 1.4 s; with a 26 MiB eden every
 * 4.2 s, and the p99 at that rate was a fifth lower. The price is resident memory for an eden that
 * is touched once a cycle: a quarter of the heap, inside the budget.
 */
public record JvmSizing(long budgetBytes) {
    /** The smallest budget the broker starts with. */
    public static final long MIN_BUDGET_BYTES = 96L << 20;
    private static final long MIB = 1L << 20;
    /** The heap beside the young generation at start: the old generation's first size. */
    private static final long INITIAL_OLD_BYTES = 32 * MIB;
    static final long MAX_INITIAL_YOUNG_BYTES = 64 * MIB;
    /** The largest heap the serial collector gets; the parallel one above it. */
    static final long SERIAL_MAX_HEAP_BYTES = 1024 * MIB;
    private static final Pattern COLLECTOR = Pattern.compile("-XX:[+-]Use\\w+GC");

    public JvmSizing {
        if (budgetBytes < MIN_BUDGET_BYTES) {
            throw new IllegalArgumentException("a memory budget below " + MIN_BUDGET_BYTES / MIB + " MiB");
        }
    }

    public long heapBytes() {
        return budgetBytes / 2;
    }

    public long directBytes() {
        return budgetBytes / 8;
    }

    /** The young generation's smallest size (with our collector): a quarter of the heap, at most 64 MiB. */
    public long initialYoungBytes() {
        return Math.min(MAX_INITIAL_YOUNG_BYTES, heapBytes() / 4);
    }

    public long codeCacheBytes() {
        return Math.min(48 * MIB, budgetBytes / 8);
    }

    /** The flags, in the java launcher's syntax; {@code userOptions} are the JVM's own (a collector chosen there stays). */
    public List<String> flags(List<String> userOptions) {
        List<String> flags = new ArrayList<>(List.of(
                "-Xms" + Math.min(initialYoungBytes() + INITIAL_OLD_BYTES, heapBytes()) / MIB + "m",
                "-Xmx" + heapBytes() / MIB + "m",
                "-XX:MaxDirectMemorySize=" + directBytes() / MIB + "m",
                "-XX:ReservedCodeCacheSize=" + codeCacheBytes() / MIB + "m"));
        if (userOptions.stream().noneMatch(o -> COLLECTOR.matcher(o).matches())) {
            flags.add(heapBytes() <= SERIAL_MAX_HEAP_BYTES ? "-XX:+UseSerialGC" : "-XX:+UseParallelGC");
            // ours only: a young generation fixed from below would bind G1's pause-time sizing
            flags.add("-XX:NewSize=" + initialYoungBytes() / MIB + "m");
        }
        return flags;
    }
}
