package io.gomq.core.log;

/**
 * A snapshot of the log's figures for /metrics.
 *
 * @param compactedRawBytes    bytes of the records that compacted segments hold, uncompressed
 * @param compactedStoredBytes bytes those compacted segments take on disk (LZ4)
 */
public record LogStats(long startOffset, long endOffset, long recordCount, int segmentCount,
                       int compactedSegmentCount, long sizeBytes, long headSegmentBytes,
                       int topicCount, int retainedCount, long compactionRuns, long compactionRemovedRecords,
                       long compactedRawBytes, long compactedStoredBytes, long retentionDeletedSegments,
                       long retainedCarriedForward, long corruptionsDetected) {

    /** Uncompressed / stored size of compacted segments; 1.0 when there are none. */
    public double compressionRatio() {
        return compactedStoredBytes == 0 ? 1.0 : (double) compactedRawBytes / compactedStoredBytes;
    }
}
