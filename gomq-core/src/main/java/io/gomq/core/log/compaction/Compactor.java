package io.gomq.core.log.compaction;

import io.gomq.core.log.RecordCodec;
import io.gomq.core.log.segment.CompactedSegment;
import io.gomq.core.log.segment.CompactedSegmentWriter;
import io.gomq.core.log.segment.Segment;
import io.gomq.core.log.segment.SegmentCursor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Key compaction of sealed segments (Kafka-like). Pass 1 reads every sealed segment and keeps,
 * per compaction key ({@link RecordCodec#compactionKey}), the newest record's offset and
 * whether it is a tombstone (empty payload). Pass 2 rewrites each segment that loses a record,
 * or has never been compacted, into a {@link CompactedSegment}: a record survives when it is
 * its key's newest, unless it is a tombstone older than the tombstone retention; records at or
 * above the floor always survive. Survivors keep their offsets.
 *
 * <p>Runs on the maintenance thread and only reads sealed segments, which never change, so it
 * takes no lock; the caller swaps the results into the segment list.
 */
public final class Compactor {

    /** One rewritten segment and what it replaces. */
    public record Replacement(Segment old, CompactedSegment replacement, long recordsBefore) {
    }

    private static final class Latest {
        long offset;
        boolean tombstone;
        long timestamp;
    }

    private final Path segmentsDir;

    public Compactor(Path segmentsDir) {
        this.segmentsDir = segmentsDir;
    }

    public List<Replacement> compact(List<Segment> sealed, long floor, long tombstoneDeadlineMillis) {
        Map<String, Latest> latest = new HashMap<>();
        for (Segment s : sealed) {
            forEach(s, (b, from, len) -> {
                Latest l = latest.computeIfAbsent(RecordCodec.compactionKey(b, from), k -> new Latest());
                l.offset = RecordCodec.offset(b, from);
                l.timestamp = RecordCodec.timestamp(b, from);
                l.tombstone = RecordCodec.payloadLength(b, from, len) == 0;
            });
        }
        List<Replacement> out = new ArrayList<>();
        for (Segment s : sealed) {
            long[] drops = new long[1];
            forEach(s, (b, from, len) -> {
                if (!keep(latest, b, from, floor, tombstoneDeadlineMillis)) {
                    drops[0]++;
                }
            });
            if (drops[0] == 0 && s.isCompacted()) {
                continue;
            }
            try (CompactedSegmentWriter w = new CompactedSegmentWriter(segmentsDir, s.baseOffset(), s.nextOffset())) {
                forEach(s, (b, from, len) -> {
                    if (keep(latest, b, from, floor, tombstoneDeadlineMillis)) {
                        w.add(b, from, len);
                    }
                });
                out.add(new Replacement(s, w.commit(), s.recordCount()));
            }
        }
        return out;
    }

    private static boolean keep(Map<String, Latest> latest, byte[] b, int from, long floor, long tombstoneDeadline) {
        long offset = RecordCodec.offset(b, from);
        if (offset >= floor) {
            return true;
        }
        Latest l = latest.get(RecordCodec.compactionKey(b, from));
        if (l.offset != offset) {
            return false;
        }
        return !(l.tombstone && l.timestamp < tombstoneDeadline);
    }

    private interface Visitor {
        void visit(byte[] b, int from, int len);
    }

    private static void forEach(Segment s, Visitor v) {
        try (SegmentCursor c = s.cursor()) {
            c.seek(s.baseOffset());
            while (c.next()) {
                if (c.offset() >= s.nextOffset()) {
                    break;
                }
                v.visit(c.bytes(), c.from(), c.length());
            }
        }
    }
}
