package io.gomq.core.log;

import io.gomq.core.log.segment.ChronicleSegment;
import io.gomq.core.log.segment.Segment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The log's segments, oldest first, as an immutable snapshot in a volatile field, and the head
 * (the newest segment, the only one appended to). See "Offsets and segments" in gomq-core/LOG.md.
 *
 * <p>Thread rules: readers use {@link #all()} and {@link #segmentFor} without a lock; every
 * change ({@link #install}, {@link #replace}, {@link #roll}) is made under the log's write lock.
 */
final class LogSegments {
    private static final Logger LOG = LoggerFactory.getLogger(LogSegments.class);

    private final Path dir;
    private final long segmentBytes;
    private final long blockSize;
    private volatile DiskSpace space;
    private volatile List<Segment> list = List.of();
    private volatile ChronicleSegment head;

    /** {@code dir} is {@code log/segments}, where every segment lives. */
    LogSegments(Path dir, long segmentBytes, long blockSize) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.blockSize = blockSize;
    }

    /** The file window Chronicle maps ({@link ChronicleSegment#blockSizeFor}). */
    long blockSize() {
        return blockSize;
    }

    /** Once at open, before any head is created. */
    void space(DiskSpace s) {
        space = s;
    }

    /** A new, empty head segment at {@code baseOffset} (not installed). */
    ChronicleSegment createHead(long baseOffset) {
        return ChronicleSegment.create(dir, baseOffset, space, segmentBytes, blockSize);
    }

    Path dir() {
        return dir;
    }

    /** The current list, oldest first; the head is the last. */
    List<Segment> all() {
        return list;
    }

    ChronicleSegment head() {
        return head;
    }

    /**
     * Under the write lock: a whole new list and head (startup, truncation). A null head (the
     * disk was low at startup) is created by {@link #roll} at the first append.
     */
    void install(List<Segment> segments, ChronicleSegment newHead) {
        list = List.copyOf(segments);
        head = newHead;
    }

    /** Under the write lock: a new list with the same head (compaction, retention). */
    void replace(List<Segment> segments) {
        list = List.copyOf(segments);
    }

    /**
     * Under the write lock: seals the head (forced first iff {@code force}) and starts a new one
     * at {@code nextOffset}.
     */
    void roll(long nextOffset, boolean force) {
        ChronicleSegment old = head;
        if (old != null) {
            if (force) {
                old.force();
            }
            old.seal();
        }
        ChronicleSegment h = createHead(nextOffset);
        List<Segment> l = new ArrayList<>(list);
        l.add(h);
        list = List.copyOf(l);
        head = h;
        if (old != null) {
            LOG.debug("rolled segment {} ({} records, {} bytes)", old.baseOffset(), old.recordCount(), old.sizeBytes());
        }
    }

    /** The base offset of the oldest segment that holds a record, or else {@code whenEmpty}. */
    long startOffset(LongSupplier whenEmpty) {
        for (Segment seg : list) {
            if (seg.recordCount() > 0) {
                return seg.baseOffset();
            }
        }
        return whenEmpty.getAsLong();
    }

    /** The segment that holds or will hold {@code offset}, or null if it is beyond the head's range. */
    Segment segmentFor(long offset) {
        List<Segment> s = list;
        for (int i = s.size() - 1; i >= 0; i--) {
            Segment seg = s.get(i);
            if (seg.baseOffset() <= offset) {
                if (seg.isSealed() && offset >= seg.nextOffset()) {
                    return i + 1 < s.size() ? s.get(i + 1) : null;
                }
                return seg;
            }
        }
        return s.isEmpty() ? null : s.get(0);
    }
}
