package io.gomq.core.log;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.log.segment.Segment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link MessageLog#enforceRetentionNow}: removes sealed segments from the oldest end while the
 * oldest is older than {@code retentionMs} or the log is larger than {@code retentionBytes};
 * the head is never touched. Retained messages stored in a removed segment that are still
 * current are first re-appended to the head (on a leader; a replica gets the leader's copies by
 * replication). See "Retention" in gomq-core/LOG.md.
 *
 * <p>Thread rules: holds the log's maintenance lock throughout and its write lock for the
 * re-appends and the list swap.
 */
final class LogRetention {
    private static final Logger LOG = LoggerFactory.getLogger(LogRetention.class);

    private final ChronicleMessageLog log;
    private final BrokerConfig config;
    private final LogIndexes indexes;
    private final RetiredSegments retired;
    private final GroupCommit commit;
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong carriedForward = new AtomicLong();

    LogRetention(ChronicleMessageLog log, BrokerConfig config, LogIndexes indexes, RetiredSegments retired,
                 GroupCommit commit) {
        this.log = log;
        this.config = config;
        this.indexes = indexes;
        this.retired = retired;
        this.commit = commit;
    }

    /** Segments deleted by all passes. */
    long deleted() {
        return deleted.get();
    }

    /** Retained messages re-appended to the head by all passes. */
    long carriedForward() {
        return carriedForward.get();
    }

    int enforceNow() {
        log.maintenanceLock().lock();
        try {
            log.checkOpen();
            List<Segment> doomed = doomed(config.clock().millis());
            if (doomed.isEmpty()) {
                return 0;
            }
            long limit = doomed.get(doomed.size() - 1).nextOffset();
            log.writeLock().lock();
            try {
                carryRetainedForward(limit);
                Set<Segment> gone = new HashSet<>(doomed);
                List<Segment> list = new ArrayList<>();
                for (Segment seg : log.segments().all()) {
                    if (gone.contains(seg)) {
                        retired.retireLater(seg, true);
                    } else {
                        list.add(seg);
                    }
                }
                log.segments().replace(list);
                indexes.dropTopicOffsetsBefore(limit);
            } finally {
                log.writeLock().unlock();
            }
            commit.awaitDurable(log.nextOffset() - 1); // retained messages carried forward are new records: announced
            deleted.addAndGet(doomed.size());
            LOG.info("retention deleted {} segment(s) below offset {}", doomed.size(), limit);
            return doomed.size();
        } finally {
            log.maintenanceLock().unlock();
        }
    }

    /** The sealed segments to remove, oldest first. */
    private List<Segment> doomed(long now) {
        List<Segment> doomed = new ArrayList<>();
        List<Segment> s = log.segments().all();
        long total = 0;
        for (Segment seg : s) {
            total += seg.sizeBytes();
        }
        for (Segment seg : s) {
            if (!seg.isSealed() || seg == log.segments().head()) {
                break; // the head is never touched, nor anything after it
            }
            boolean tooOld = config.retentionMs() > 0 && seg.maxTimestamp() < now - config.retentionMs();
            boolean tooBig = config.retentionBytes() > 0 && total > config.retentionBytes();
            if (!tooOld && !tooBig) {
                break; // retention deletes from the oldest end only
            }
            doomed.add(seg);
            total -= seg.sizeBytes();
        }
        return doomed;
    }

    /**
     * Under the write lock. Retained messages live until replaced or deleted: re-appends the
     * ones stored below {@code limit} (in the doomed segments) to the head before those go.
     */
    private void carryRetainedForward(long limit) {
        List<LogRecord> carry = new ArrayList<>();
        for (LogRecord r : indexes.retained().all()) {
            if (r.offset() < limit) {
                carry.add(r);
            }
        }
        carry.sort(java.util.Comparator.comparingLong(LogRecord::offset)); // keep their original order
        if (log.replicaMode()) {
            carry.clear(); // the leader's carried-forward copies arrive by replication
        }
        if (!carry.isEmpty() && log.segments().head() == null) {
            throw log.diskSpace().refusal(); // opened on a low disk, no head yet: retention waits for space
        }
        for (LogRecord r : carry) {
            log.writeOne(r.message());
        }
        if (!carry.isEmpty()) {
            commit.acknowledgeWritten();
            carriedForward.addAndGet(carry.size());
        }
    }
}
