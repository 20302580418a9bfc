package io.gomq.core.log;

import io.gomq.core.log.segment.ChronicleSegment;
import io.gomq.core.log.segment.CompactedSegment;
import io.gomq.core.log.segment.CompactedSegmentWriter;
import io.gomq.core.log.segment.Segment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Opens every segment at startup, oldest first, validates every record (CRC32C), and feeds
 * the valid ones to the indexes. Finishes interrupted compactions (a committed {@code .cseg}
 * wins over its Chronicle source; a {@code .cseg.tmp} is deleted), reports foreign files
 * without touching them, and cuts a corrupt tail off at the last valid record (WARN with file
 * and position). Every recovered segment is sealed: the log always appends to a fresh head.
 */
final class LogRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(LogRecovery.class);
    private static final Pattern SEGMENT_DIR = Pattern.compile("(\\d{20})");
    private static final Pattern COMPACTED = Pattern.compile("(\\d{20})\\.cseg");
    private static final Pattern COMPACTED_TMP = Pattern.compile("(\\d{20})\\.cseg\\.tmp");
    private static final Pattern QUARANTINED = Pattern.compile("\\d{20}\\.corrupt-\\d+");
    private static final Pattern CHRONICLE_FILE = Pattern.compile(".*\\.cq4t?");

    record Result(List<Segment> segments, long nextOffset, int corruptions) {
    }

    private final Path dir;
    private final Path segmentsDir;
    private final ChronicleSegment.RecordVisitor indexer;
    private final long blockSize;

    LogRecovery(Path dir, Path segmentsDir, ChronicleSegment.RecordVisitor indexer, long blockSize) {
        this.dir = dir;
        this.segmentsDir = segmentsDir;
        this.indexer = indexer;
        this.blockSize = blockSize;
    }

    Result recover() {
        long t0 = System.nanoTime();
        reportForeign(dir, "segments", ".lock");
        TreeMap<Long, Path> chronicle = new TreeMap<>();
        TreeMap<Long, Path> compacted = new TreeMap<>();
        try (Stream<Path> files = Files.list(segmentsDir)) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                String name = p.getFileName().toString();
                Matcher m;
                if ((m = SEGMENT_DIR.matcher(name)).matches() && Files.isDirectory(p)) {
                    chronicle.put(Long.parseLong(m.group(1)), p);
                    reportForeignInChronicle(p);
                } else if ((m = COMPACTED.matcher(name)).matches()) {
                    compacted.put(Long.parseLong(m.group(1)), p);
                } else if (COMPACTED_TMP.matcher(name).matches()) {
                    LOG.info("deleting {}: a compaction interrupted before it committed", p);
                    Files.deleteIfExists(p);
                } else if (QUARANTINED.matcher(name).matches()) {
                    LOG.warn("quarantined corrupt segment {} is kept for inspection and not read", p);
                } else {
                    LOG.warn("foreign file {} in the log directory: not ours, left untouched", p);
                }
            }
        } catch (IOException e) {
            throw new LogException("cannot list " + segmentsDir, e);
        }
        for (Long base : compacted.keySet()) {
            Path src = chronicle.remove(base);
            if (src != null) {
                LOG.info("deleting {}: superseded by committed compacted segment {}", src, compacted.get(base));
                ChronicleSegmentFiles.delete(src);
            }
        }
        TreeMap<Long, Object> all = new TreeMap<>();
        all.putAll(chronicle);
        all.putAll(compacted);
        List<Segment> segments = new ArrayList<>();
        long next = 0;
        long records = 0;
        int corruptions = 0;
        int i = 0;
        RecordCodec codec = new RecordCodec();
        for (var e : all.entrySet()) {
            i++;
            long base = e.getKey();
            Path p = (Path) e.getValue();
            long s0 = System.nanoTime();
            if (base < next) {
                LOG.warn("segment {} starts at offset {} below the previous segment's end {}: overlapping data",
                        p, base, next);
            }
            if (compacted.containsKey(base)) {
                CompactedSegment c;
                try {
                    c = CompactedSegment.open(p);
                    c.scan(indexer);
                } catch (RuntimeException ex) {
                    corruptions++;
                    LOG.warn("compacted segment {} is unreadable ({}); skipped, file kept", p, ex.getMessage());
                    continue;
                }
                segments.add(c);
                records += c.recordCount();
                next = Math.max(next, c.nextOffset());
                LOG.info("recovered segment {}/{} {} (compacted): {} records in {} ms", i, all.size(), p.getFileName(),
                        c.recordCount(), (System.nanoTime() - s0) / 1_000_000);
                continue;
            }
            ChronicleSegment s;
            try {
                s = ChronicleSegment.openExisting(p, base, blockSize);
            } catch (RuntimeException | InternalError ex) {
                corruptions++;
                LOG.warn("corrupt log data: Chronicle cannot open segment {} at position 0 of {} ({}); no record of it"
                        + " is recovered", p, ChronicleSegment.firstDataFile(p).getFileName(), ex.toString());
                quarantine(p);
                next = Math.max(next, base);
                continue;
            }
            ChronicleSegment.ScanResult r = s.scan(indexer, codec);
            s.markSealed();
            if (r.records() == 0 && r.corruption() == null && ChronicleSegment.hasDataFile(p)) {
                // an empty head never had a data file (Chronicle makes it at the first append)
                r = new ChronicleSegment.ScanResult(0, "no record readable from position 0 of "
                        + ChronicleSegment.firstDataFile(p) + ": its header or first document is damaged");
            }
            if (r.corruption() != null) {
                corruptions++;
                LOG.warn("corrupt log data: {}; recovered {} records of segment {} up to offset {}, the rest is ignored",
                        r.corruption(), r.records(), p, s.nextOffset() - 1);
            }
            if (r.records() == 0) {
                s.close();
                if (r.corruption() == null) {
                    ChronicleSegmentFiles.delete(p); // an empty head from the last run
                } else {
                    quarantine(p);
                }
                next = Math.max(next, base);
                continue;
            }
            segments.add(s);
            records += r.records();
            next = Math.max(next, s.nextOffset());
            LOG.info("recovered segment {}/{} {}: {} records in {} ms", i, all.size(), p.getFileName(), r.records(),
                    (System.nanoTime() - s0) / 1_000_000);
        }
        LOG.info("log {} recovered: {} records in {} segments, next offset {}, {} corruption(s), in {} ms",
                dir, records, segments.size(), next, corruptions, (System.nanoTime() - t0) / 1_000_000);
        CompactedSegmentWriter.forceDirectory(segmentsDir);
        return new Result(segments, next, corruptions);
    }

    /** Moves a segment without one valid record aside, kept for inspection and never read. */
    private static void quarantine(Path segment) {
        Path q = segment.resolveSibling(segment.getFileName() + ".corrupt-" + System.currentTimeMillis());
        try {
            Files.move(segment, q);
        } catch (IOException ex) {
            throw new LogException("cannot quarantine " + segment, ex);
        }
        LOG.warn("segment {} holds no valid record; moved to {} for inspection", segment, q);
    }

    private static void reportForeign(Path dir, String... ours) {
        try (Stream<Path> files = Files.list(dir)) {
            files.filter(p -> !List.of(ours).contains(p.getFileName().toString()))
                    .forEach(p -> LOG.warn("foreign file {} in the log directory: not ours, left untouched", p));
        } catch (IOException e) {
            throw new LogException("cannot list " + dir, e);
        }
    }

    private static void reportForeignInChronicle(Path segmentDir) {
        try (Stream<Path> files = Files.list(segmentDir)) {
            files.filter(p -> !CHRONICLE_FILE.matcher(p.getFileName().toString()).matches())
                    .forEach(p -> LOG.warn("foreign file {} in the log directory: not ours, left untouched", p));
        } catch (IOException e) {
            throw new LogException("cannot list " + segmentDir, e);
        }
    }
}
