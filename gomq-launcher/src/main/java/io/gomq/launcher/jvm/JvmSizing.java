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
 * data a pause copies can be large enough for more threads to pay. The heap starts at 32 MiB and
 * grows under load: an idle broker stays small.
 */
public record JvmSizing(long budgetBytes) {
    /** The smallest budget the broker starts with. */
    public static final long MIN_BUDGET_BYTES = 96L << 20;
    private static final long MIB = 1L << 20;
    private static final long INITIAL_HEAP_BYTES = 32 * MIB;
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

    public long codeCacheBytes() {
        return Math.min(48 * MIB, budgetBytes / 8);
    }

    /** The flags, in the java launcher's syntax; {@code userOptions} are the JVM's own (a collector chosen there stays). */
    public List<String> flags(List<String> userOptions) {
        List<String> flags = new ArrayList<>(List.of(
                "-Xms" + Math.min(INITIAL_HEAP_BYTES, heapBytes()) / MIB + "m",
                "-Xmx" + heapBytes() / MIB + "m",
                "-XX:MaxDirectMemorySize=" + directBytes() / MIB + "m",
                "-XX:ReservedCodeCacheSize=" + codeCacheBytes() / MIB + "m"));
        if (userOptions.stream().noneMatch(o -> COLLECTOR.matcher(o).matches())) {
            flags.add(heapBytes() <= SERIAL_MAX_HEAP_BYTES ? "-XX:+UseSerialGC" : "-XX:+UseParallelGC");
        }
        return flags;
    }
}
