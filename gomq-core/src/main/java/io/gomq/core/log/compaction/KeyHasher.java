package io.gomq.core.log.compaction;

import io.gomq.core.log.RecordCodec;
import net.jpountz.xxhash.XXHash64;
import net.jpountz.xxhash.XXHashFactory;

/**
 * The 128-bit hash of a record's compaction key (see {@link RecordCodec#compactionKey}), read
 * from the record's bytes without building the key string: xxHash64 (lz4-java's) under two
 * seeds, which differ for retained (per-topic) and other (per-key) records so the two kinds
 * never meet. One thread.
 */
final class KeyHasher {
    private static final XXHash64 XX = XXHashFactory.fastestJavaInstance().hash64();
    private static final long RETAINED_SEEDS = 0x52L;  // 'R'
    private static final long KEYED_SEEDS = 0x4EL;     // 'N'
    private static final long SECOND = 0x9E3779B97F4A7C15L;

    long h1;
    long h2;

    /** Hashes the key of the validated record at {@code from}; the result is in {@link #h1}, {@link #h2}. */
    void hash(byte[] bytes, int from) {
        long range = RecordCodec.compactionKeyRange(bytes, from);
        int start = (int) (range >>> 32);
        int length = (int) range;
        long seed = RecordCodec.retain(bytes, from) ? RETAINED_SEEDS : KEYED_SEEDS;
        h1 = XX.hash(bytes, start, length, seed);
        h2 = XX.hash(bytes, start, length, seed ^ SECOND);
    }
}
