package io.gomq.core.log.compaction;

import java.util.Arrays;

/**
 * The newest record per compaction key, in a fixed amount of memory: an open-addressing table
 * of 32-byte slots (the key's 128-bit hash, the offset, the timestamp and a tombstone bit).
 * Keys are never stored, so a pass over millions of keys costs {@code memoryBytes}, not the
 * keys' size (Kafka's cleaner "dedupe buffer" works the same way).
 *
 * <p>Design note: two keys with the same 128-bit hash would make compaction drop the older
 * key's newest record. With xxHash64 under two seeds the chance is about n²/2^129 per pass:
 * for ten million keys, below 10^-24.
 *
 * <p>One pass, one thread: made per pass, so an idle broker holds none of it.
 */
final class KeyOffsetMap {
    private static final int LONGS_PER_SLOT = 4;
    private static final double MAX_LOAD = 0.75;

    private static final int FIRST_SLOTS = 1 << 14;

    private final int maxSlots;
    private long[] table;
    private int mask;
    private int maxEntries;
    private int size;

    /**
     * @param memoryBytes the most the table may take (rounded down to a power of two of slots,
     *                    at least 16); it starts small and doubles as keys arrive
     */
    KeyOffsetMap(long memoryBytes) {
        long slots = Math.max(16, Long.highestOneBit(Math.max(1, memoryBytes / (8 * LONGS_PER_SLOT))));
        this.maxSlots = (int) Math.min(slots, Integer.highestOneBit((Integer.MAX_VALUE - 8) / LONGS_PER_SLOT));
        allocate(Math.min(FIRST_SLOTS, maxSlots));
    }

    private void allocate(int slots) {
        table = new long[slots * LONGS_PER_SLOT];
        mask = slots - 1;
        maxEntries = (int) (slots * MAX_LOAD);
    }

    int size() {
        return size;
    }

    /** Keys it can hold at its largest. */
    int capacity() {
        return (int) (maxSlots * MAX_LOAD);
    }

    /** Doubles the table; false at the size limit. */
    private boolean grow() {
        int slots = mask + 1;
        if (slots >= maxSlots) {
            return false;
        }
        long[] old = table;
        allocate(slots * 2);
        for (int i = 0; i < old.length; i += LONGS_PER_SLOT) {
            if (old[i] != 0 || old[i + 1] != 0) {
                int j = probe(old[i], old[i + 1]) * LONGS_PER_SLOT;
                System.arraycopy(old, i, table, j, LONGS_PER_SLOT);
            }
        }
        return true;
    }

    /**
     * Records {@code offset} as the newest of the key hashed {@code (h1, h2)}. Returns false,
     * changing nothing, when the key is new and the map is full.
     */
    boolean put(long h1, long h2, long offset, long timestamp, boolean tombstone) {
        if (h1 == 0 && h2 == 0) {
            h2 = 1; // (0, 0) marks an empty slot
        }
        int slot = probe(h1, h2);
        int i = slot * LONGS_PER_SLOT;
        if (table[i] == 0 && table[i + 1] == 0) {
            if (size >= maxEntries) {
                if (!grow()) {
                    return false;
                }
                i = probe(h1, h2) * LONGS_PER_SLOT;
            }
            table[i] = h1;
            table[i + 1] = h2;
            size++;
        }
        table[i + 2] = offset;
        table[i + 3] = timestamp << 1 | (tombstone ? 1 : 0);
        return true;
    }

    /** The newest offset recorded for the key, or -1 when it was not recorded. */
    long offset(long h1, long h2) {
        int i = find(h1, h2);
        return i < 0 ? -1 : table[i + 2];
    }

    /** Whether the key's newest record is a tombstone older than {@code deadlineMillis}; false when not recorded. */
    boolean expiredTombstone(long h1, long h2, long deadlineMillis) {
        int i = find(h1, h2);
        return i >= 0 && (table[i + 3] & 1) != 0 && (table[i + 3] >> 1) < deadlineMillis;
    }

    private int find(long h1, long h2) {
        if (h1 == 0 && h2 == 0) {
            h2 = 1;
        }
        int i = probe(h1, h2) * LONGS_PER_SLOT;
        return table[i] == 0 && table[i + 1] == 0 ? -1 : i;
    }

    /** The slot holding the key, or the empty slot where it would go (linear probing; the table never fills). */
    private int probe(long h1, long h2) {
        int slot = (int) (h1 ^ h1 >>> 32) & mask;
        while (true) {
            int i = slot * LONGS_PER_SLOT;
            long a = table[i];
            long b = table[i + 1];
            if (a == 0 && b == 0 || a == h1 && b == h2) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
    }
}
