package io.gomq.core.log;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.log.compaction.Compactor;
import io.gomq.core.log.segment.Segment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * {@link MessageLog#compactNow}: runs the {@link Compactor} over the sealed segments, swaps the
 * rewritten segments into the list in place of their sources and retires the sources. See
 * "Compaction" in gomq-core/LOG.md.
 *
 * <p>Thread rules: holds the log's maintenance lock throughout (one pass at a time, never
 * concurrent with retention or truncation) and its write lock only for the list swap, so
 * appends never wait for the rewrite itself.
 */
final class LogCompaction {
    private static final Logger LOG = LoggerFactory.getLogger(LogCompaction.class);

    private final ChronicleMessageLog log;
    private final BrokerConfig config;
    private final Compactor compactor;
    private final RetiredSegments retired;
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong removed = new AtomicLong();
    private volatile LongSupplier floor = () -> Long.MAX_VALUE;

    LogCompaction(ChronicleMessageLog log, BrokerConfig config, RetiredSegments retired) {
        this.log = log;
        this.config = config;
        this.compactor = new Compactor(log.segments().dir(), config.compactionMapBytes());
        this.retired = retired;
    }

    /** See {@link MessageLog#compactionFloor}; null means no floor. */
    void floor(LongSupplier floor) {
        this.floor = floor == null ? () -> Long.MAX_VALUE : floor;
    }

    /** Passes that replaced at least one segment. */
    long runs() {
        return runs.get();
    }

    /** Records removed by all passes. */
    long removed() {
        return removed.get();
    }

    CompactionResult compactNow() {
        log.maintenanceLock().lock();
        try {
            log.checkOpen();
            long t0 = System.nanoTime();
            List<Segment> sealed = new ArrayList<>();
            for (Segment s : log.segments().all()) {
                if (s.isSealed() && !s.isRetired()) {
                    sealed.add(s);
                }
            }
            if (sealed.isEmpty()) {
                return CompactionResult.NOTHING;
            }
            long deadline = config.clock().millis() - config.tombstoneRetentionMs();
            List<Compactor.Replacement> done = compactor.compact(sealed, floor.getAsLong(), deadline);
            long before = 0;
            long after = 0;
            long raw = 0;
            long stored = 0;
            Map<Segment, Segment> swap = new HashMap<>();
            for (Compactor.Replacement r : done) {
                before += r.recordsBefore();
                after += r.replacement().recordCount();
                raw += r.replacement().rawBytes();
                stored += r.replacement().fileBytes();
                swap.put(r.old(), r.replacement());
            }
            if (!swap.isEmpty()) {
                swapIn(swap, done);
                for (Segment orphan : swap.values()) { // source deleted by retention meanwhile
                    orphan.close();
                    orphan.deleteFiles();
                }
                runs.incrementAndGet();
                removed.addAndGet(before - after);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            CompactionResult result = new CompactionResult(done.size(), before, after, raw, stored, ms);
            if (!done.isEmpty()) {
                LOG.info("compacted {} segment(s): {} -> {} records, {} -> {} bytes (LZ4 ratio {}) in {} ms",
                        done.size(), before, after, raw, stored, String.format("%.2f", result.compressionRatio()), ms);
            }
            return result;
        } finally {
            log.maintenanceLock().unlock();
        }
    }

    /**
     * Replaces each source still in the list by its rewrite and retires the source; removes
     * from {@code swap} every entry it used, so what is left are rewrites of vanished sources.
     * The topic index forgets the records that did not survive, in the same critical section.
     */
    private void swapIn(Map<Segment, Segment> swap, List<Compactor.Replacement> done) {
        log.writeLock().lock();
        try {
            List<Segment> list = new ArrayList<>();
            java.util.Set<Segment> swapped = new java.util.HashSet<>();
            for (Segment s : log.segments().all()) {
                Segment n = swap.remove(s);
                list.add(n == null ? s : n);
                if (n != null) {
                    swapped.add(s);
                    // a compacted segment compacted again is replaced by a file at the same
                    // path: retiring it must close it, not delete what now is the new file
                    retired.retireLater(s, !s.isCompacted());
                }
            }
            log.segments().replace(list);
            log.indexes().dropCompactedAway(done.stream().filter(r -> swapped.contains(r.old())).toList());
        } finally {
            log.writeLock().unlock();
        }
    }
}
