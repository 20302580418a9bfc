package io.gomq.core.log.compaction;

import io.gomq.core.log.RecordCodec;
import io.gomq.core.log.segment.CompactedSegment;
import io.gomq.core.log.segment.CompactedSegmentWriter;
import io.gomq.core.log.segment.Segment;
import io.gomq.core.log.segment.SegmentCursor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Key compaction of sealed segments (Kafka-like). Pass 1 reads the sealed segments, oldest
 * first, and keeps, per compaction key ({@link RecordCodec#compactionKey}), the newest record's
 * offset and whether it is a tombstone (empty payload), in a {@link KeyOffsetMap} of bounded
 * size. Pass 2 rewrites each fully indexed segment that loses a record, or has never been
 * compacted, into a {@link CompactedSegment}: a record survives when it is its key's newest,
 * unless it is a tombstone older than the tombstone retention; records at or above the floor
 * always survive. Survivors keep their offsets.
 *
 * <p>Design note: when the map fills up inside a segment, that segment and the later ones sit
 * this pass out. Judging only the fully indexed prefix is safe without any assumption about
 * what earlier passes left: a record is dropped only for a newer record of its key inside the
 * prefix, and everything older than a record lies before it. The pass says so (WARN) and the
 * map size ({@code compaction-map-bytes}) is the remedy.
 *
 * <p>Runs on the maintenance thread and only reads sealed segments, which never change, so it
 * takes no lock; the caller swaps the results into the segment list.
 */
public final class Compactor {
    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);

    /** One rewritten segment, what it replaces, and the offsets that survived (ascending). */
    public record Replacement(Segment old, CompactedSegment replacement, long recordsBefore, long[] survivors) {
        /** Whether {@code offset}, inside the replaced segment's range, survived. */
        public boolean survived(long offset) {
            return java.util.Arrays.binarySearch(survivors, offset) >= 0;
        }
    }

    private final Path segmentsDir;
    private final long mapBytes;
    private final KeyHasher hasher = new KeyHasher();
    /** The key map of the pass that runs; null between passes. */
    private KeyOffsetMap map;
    private int skippedLastPass;

    /** @param mapBytes memory for the key map of one pass */
    public Compactor(Path segmentsDir, long mapBytes) {
        this.segmentsDir = segmentsDir;
        this.mapBytes = mapBytes;
    }

    /** Sealed segments the last pass could not index (its key map was full). */
    public int skippedLastPass() {
        return skippedLastPass;
    }

    /** @param sealed the sealed segments, oldest first */
    public List<Replacement> compact(List<Segment> sealed, long floor, long tombstoneDeadlineMillis) {
        map = new KeyOffsetMap(mapBytes);
        try {
            return compactWithMap(sealed, floor, tombstoneDeadlineMillis);
        } finally {
            map = null;
        }
    }

    private List<Replacement> compactWithMap(List<Segment> sealed, long floor, long tombstoneDeadlineMillis) {
        int indexed = 0;
        while (indexed < sealed.size() && index(sealed.get(indexed))) {
            indexed++;
        }
        skippedLastPass = sealed.size() - indexed;
        if (skippedLastPass > 0) {
            Segment first = sealed.get(indexed);
            LOG.warn("compaction key map full ({} keys): {} sealed segment(s) from offset {} wait for a later pass;"
                    + " raise compaction-map-bytes", map.size(), skippedLastPass, first.baseOffset());
        }
        List<Replacement> out = new ArrayList<>();
        for (Segment s : sealed.subList(0, indexed)) {
            long[] drops = new long[1];
            forEach(s, (b, from, len) -> {
                if (!keep(b, from, floor, tombstoneDeadlineMillis)) {
                    drops[0]++;
                }
            });
            if (drops[0] == 0 && s.isCompacted()) {
                continue;
            }
            try (CompactedSegmentWriter w = new CompactedSegmentWriter(segmentsDir, s.baseOffset(), s.nextOffset())) {
                long[][] kept = {new long[64]};
                int[] count = new int[1];
                forEach(s, (b, from, len) -> {
                    if (keep(b, from, floor, tombstoneDeadlineMillis)) {
                        w.add(b, from, len);
                        if (count[0] == kept[0].length) {
                            kept[0] = java.util.Arrays.copyOf(kept[0], count[0] * 2);
                        }
                        kept[0][count[0]++] = RecordCodec.offset(b, from);
                    }
                });
                out.add(new Replacement(s, w.commit(), s.recordCount(), java.util.Arrays.copyOf(kept[0], count[0])));
            }
        }
        return out;
    }

    /** Adds every record of {@code s} to the map; false when the map filled up before the end. */
    private boolean index(Segment s) {
        try (SegmentCursor c = s.cursor()) {
            c.seek(s.baseOffset());
            while (c.next() && c.offset() < s.nextOffset()) {
                byte[] b = c.bytes();
                int from = c.from();
                hasher.hash(b, from);
                if (!map.put(hasher.h1, hasher.h2, c.offset(), RecordCodec.timestamp(b, from),
                        RecordCodec.payloadLength(b, from, c.length()) == 0)) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean keep(byte[] b, int from, long floor, long tombstoneDeadline) {
        long offset = RecordCodec.offset(b, from);
        if (offset >= floor) {
            return true;
        }
        hasher.hash(b, from);
        if (map.offset(hasher.h1, hasher.h2) != offset) {
            return false; // a newer record of the key follows
        }
        return !map.expiredTombstone(hasher.h1, hasher.h2, tombstoneDeadline);
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
