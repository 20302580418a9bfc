package io.gomq.core.log;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.log.segment.ChronicleSegment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The "gomq-log-maintenance" thread of {@link ChronicleMessageLog}. Every second (or every
 * {@code compactionIntervalMs} if shorter) it reads the free disk space ({@link DiskSpace}: a low
 * disk refuses appends, and one back above the reserve takes them again), and unless the disk
 * is low it rolls the head when it is due by age or size, allocates the head's file ahead,
 * applies retention, runs a compaction pass once {@code compactionIntervalMs} has passed since
 * the last one, and closes (and deletes) retired segments whose grace period is over.
 *
 * <p>Thread rules: {@link #start} and {@link #stop} from the thread that opens or closes the
 * log; the tick runs only on the maintenance thread. A failed tick is logged and the next one
 * runs as usual.
 */
final class LogMaintenance {
    private static final Logger LOG = LoggerFactory.getLogger(LogMaintenance.class);

    private final ChronicleMessageLog log;
    private final BrokerConfig config;
    private final LogRetention retention;
    private final LogCompaction compaction;
    private final RetiredSegments retired;
    private long lastCompactionMillis;
    private ScheduledExecutorService thread;

    LogMaintenance(ChronicleMessageLog log, BrokerConfig config, LogRetention retention, LogCompaction compaction,
                   RetiredSegments retired) {
        this.log = log;
        this.config = config;
        this.retention = retention;
        this.compaction = compaction;
        this.retired = retired;
        this.lastCompactionMillis = config.clock().millis();
    }

    void start() {
        long period = Math.min(1_000, config.compactionIntervalMs());
        thread = LogThreads.start("gomq-log-maintenance");
        thread.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    /** Waits for a running tick to finish; no tick starts after it. */
    void stop() {
        LogThreads.shutdown(thread);
    }

    private void tick() {
        if (log.isClosed()) {
            return;
        }
        try {
            ChronicleSegment.loadAllocator(); // once: the native fallocate, off startup and the append path
            boolean low = log.diskSpace().check();
            if (!low) {
                log.writeLock().lock();
                try {
                    if (!log.isClosed()) {
                        log.maybeRoll();
                    }
                } finally {
                    log.writeLock().unlock();
                }
                ChronicleSegment head = log.segments().head();
                if (head != null) {
                    head.allocateAhead();
                }
            }
            retention.enforceNow();
            // compaction writes a new file before it deletes the old: not on a low disk
            if (!low && config.clock().millis() - lastCompactionMillis >= config.compactionIntervalMs()) {
                compaction.compactNow();
                lastCompactionMillis = config.clock().millis();
            }
            retired.purge(false);
        } catch (DiskFullException e) {
            LOG.debug("log maintenance waits for disk space: {}", e.getMessage());
        } catch (RuntimeException e) {
            if (!log.isClosed()) {
                LOG.error("log maintenance failed", e);
            }
        }
    }
}
