package io.gomq.core.log;

/** What one compaction pass did. */
public record CompactionResult(int segmentsRewritten, long recordsBefore, long recordsAfter,
                               long rawBytes, long storedBytes, long millis) {
    public static final CompactionResult NOTHING = new CompactionResult(0, 0, 0, 0, 0, 0);

    public double compressionRatio() {
        return storedBytes == 0 ? 1.0 : (double) rawBytes / storedBytes;
    }
}
