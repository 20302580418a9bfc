package io.gomq.core.log;

import io.gomq.core.log.segment.ChronicleSegment;
import io.gomq.core.log.segment.CompactedSegment;
import io.gomq.core.log.segment.CompactedSegmentWriter;
import io.gomq.core.log.segment.Segment;
import io.gomq.core.log.segment.SegmentCursor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@link MessageLog#truncateTo}: drops every record at or above a cut offset, durably.
 *
 * <p>Segments that start at or above the cut are closed and deleted at once (a new head will
 * be created at the cut, possibly at the same path). The segment that straddles the cut is
 * rewritten, like a compaction, into {@code <base>.cseg} holding only the records below the
 * cut: recovery already prefers a committed {@code .cseg} over a Chronicle directory with the
 * same base, so a crash at any point leaves either the old or the truncated segment, and the
 * suffix never comes back. Then the indexes are trimmed and the retained message of every
 * topic that had a retained record in the suffix is recomputed from the records below the cut.
 *
 * <p>Runs under the log's write and maintenance locks (no append, roll, compaction or
 * retention meanwhile). Truncation is rare (a returning old leader), so it favours simplicity.
 */
final class LogTruncation {
    private static final Logger LOG = LoggerFactory.getLogger(LogTruncation.class);
    private final ChronicleMessageLog log;
    private final RetiredSegments retired;

    LogTruncation(ChronicleMessageLog log, RetiredSegments retired) {
        this.log = log;
        this.retired = retired;
    }

    void truncate(long cut) {
        long t0 = System.nanoTime();
        ChronicleSegment oldHead = log.segments().head();
        if (oldHead != null) {
            oldHead.seal();
        }
        Set<String> retainedTopics = new HashSet<>();
        long dropped = 0;
        List<Segment> keep = new ArrayList<>();
        for (Segment s : log.segments().all()) {
            if (s.nextOffset() <= cut) {
                keep.add(s);
                continue;
            }
            dropped += scanSuffix(s, cut, retainedTopics);
            if (s.baseOffset() >= cut) {
                s.retire();
                s.close();
                s.deleteFiles();
                continue;
            }
            CompactedSegment prefix = rewritePrefix(s, cut);
            // a compacted source shares its path with the rewrite: close it later, never delete it
            boolean sharesPath = s.isCompacted();
            if (prefix != null) {
                keep.add(prefix);
                retired.retireLater(s, !sharesPath);
            } else {
                s.retire();
                s.close();
                s.deleteFiles();
            }
        }
        ChronicleSegment newHead = log.segments().createHead(cut);
        keep.add(newHead);
        CompactedSegmentWriter.forceDirectory(log.segments().dir());
        log.installTruncated(keep, newHead, cut);

        for (Map.Entry<String, OffsetList> e : log.indexes().topics().entrySet()) {
            OffsetList l = e.getValue();
            if (l.size() > 0 && l.get(l.size() - 1) >= cut) {
                l.truncate(l.firstAtLeast(cut));
            }
        }
        log.indexes().time().truncate(cut);
        for (String topic : retainedTopics) {
            recomputeRetained(topic, cut);
        }
        LOG.warn("log truncated to offset {}: {} record(s) removed, {} retained topic(s) recomputed, in {} ms",
                cut, dropped, retainedTopics.size(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Counts the records of {@code s} at or above the cut and notes the topics of retained ones. */
    private static long scanSuffix(Segment s, long cut, Set<String> retainedTopics) {
        long n = 0;
        try (SegmentCursor c = s.cursor()) {
            c.seek(Math.max(cut, s.baseOffset()));
            while (c.next()) {
                if (c.offset() < cut) {
                    continue;
                }
                n++;
                if (RecordCodec.retain(c.bytes(), c.from())) {
                    retainedTopics.add(RecordCodec.topic(c.bytes(), c.from()));
                }
            }
        }
        return n;
    }

    /** The records of {@code s} below the cut as a committed compacted segment, or null when there are none. */
    private CompactedSegment rewritePrefix(Segment s, long cut) {
        try (CompactedSegmentWriter w = new CompactedSegmentWriter(log.segments().dir(), s.baseOffset(), cut);
             SegmentCursor c = s.cursor()) {
            c.seek(s.baseOffset());
            while (c.next() && c.offset() < cut) {
                w.add(c.bytes(), c.from(), c.length());
            }
            if (w.records() == 0) {
                return null;
            }
            return w.commit();
        }
    }

    /** The newest retained record of {@code topic} below the cut becomes its retained message (or none). */
    private void recomputeRetained(String topic, long cut) {
        RetainedStore retained = log.indexes().retained();
        LogRecord current = retained.get(topic);
        if (current != null) {
            retained.removeIfAt(topic, current.offset());
        }
        OffsetList l = log.indexes().topics().get(topic);
        if (l == null) {
            return;
        }
        for (int i = l.size() - 1; i >= 0; i--) {
            long o = l.get(i);
            List<LogRecord> r = log.readTopic(topic, o, 1);
            if (!r.isEmpty() && r.get(0).offset() == o && r.get(0).message().retain()) {
                retained.apply(o, r.get(0).message());
                return;
            }
        }
    }
}
