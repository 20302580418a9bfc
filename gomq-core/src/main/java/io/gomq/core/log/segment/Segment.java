package io.gomq.core.log.segment;

import java.nio.file.Path;

/**
 * A contiguous range of offsets [{@link #baseOffset()}, {@link #nextOffset()}) stored in one
 * place: a Chronicle queue directory (the head and freshly sealed segments) or a compacted,
 * LZ4-compressed file. Offsets inside may have gaps (compaction); the range never changes once
 * sealed. Its file name is the base offset, zero-padded to 20 digits.
 */
public abstract class Segment {
    protected final long baseOffset;
    protected final Path path;
    private volatile boolean retired;

    protected Segment(long baseOffset, Path path) {
        this.baseOffset = baseOffset;
        this.path = path;
    }

    public static String name(long baseOffset) {
        return String.format("%020d", baseOffset);
    }

    public final long baseOffset() {
        return baseOffset;
    }

    public final Path path() {
        return path;
    }

    /** One past the last offset this segment covers (the head's grows with each append). */
    public abstract long nextOffset();

    public abstract long recordCount();

    /** Bytes of the records as the log counts them (the Chronicle file is larger: index, preallocation). */
    public abstract long sizeBytes();

    /** Largest record timestamp, for age-based retention; Long.MIN_VALUE when empty. */
    public abstract long maxTimestamp();

    public abstract boolean isCompacted();

    public abstract boolean isSealed();

    public abstract SegmentCursor cursor();

    /** Replaced (compaction) or deleted (retention): readers move to the current segment list. */
    public final boolean isRetired() {
        return retired;
    }

    public final void retire() {
        retired = true;
    }

    public abstract void close();

    public abstract void deleteFiles();

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + baseOffset + ".." + nextOffset() + ", " + recordCount() + " records]";
    }
}
