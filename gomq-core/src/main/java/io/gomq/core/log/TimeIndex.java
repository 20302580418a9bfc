package io.gomq.core.log;

/**
 * A sparse map offset -> largest record timestamp so far, one sample every
 * {@value #SPACING} records. Timestamps come from publishers and need not be monotonic; the
 * running maximum is, so a binary search finds where to start scanning for a timestamp.
 * One writer (the append path), many readers.
 */
final class TimeIndex {
    static final int SPACING = 64;
    private final OffsetList offsets = new OffsetList(1024);
    private final OffsetList maxTimes = new OffsetList(1024);
    private long runningMax = Long.MIN_VALUE;
    private long sinceSample = SPACING;

    void add(long offset, long timestamp) {
        if (++sinceSample >= SPACING) {
            // sample the max BEFORE this record: every record from here on may be the first >= t
            offsets.add(offset); // published before its time: readers size by maxTimes
            maxTimes.add(runningMax);
            sinceSample = 0;
        }
        if (timestamp > runningMax) {
            runningMax = timestamp;
        }
    }

    /**
     * An offset from which a forward scan finds the first record with timestamp >= t: the last
     * sample whose preceding records all have timestamps < t.
     */
    long scanStart(long t, long startOffset) {
        OffsetList.View times = maxTimes.view(); // offsets are added first: its view holds as many
        OffsetList.View offs = offsets.view();
        int n = times.size();
        if (n == 0) {
            return startOffset;
        }
        // last sample i with maxTimes[i] < t (records before it are all older than t)
        int lo = 0;
        int hi = n - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (times.get(mid) < t) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found < 0 ? startOffset : Math.max(startOffset, offs.get(found));
    }

    /** Forgets the samples at or above {@code offset} (log truncation); the running maximum stays, which only widens scans. */
    void truncate(long offset) {
        int n = offsets.firstAtLeast(offset);
        maxTimes.truncate(n);
        offsets.truncate(n);
        sinceSample = SPACING;
    }
}
