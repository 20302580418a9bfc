package io.gomq.core.log;

import io.gomq.core.concurrent.FieldHandles;
import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Durability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The log's acknowledged end ({@link MessageLog#endOffset()}) and how it follows the writes, per
 * durability: WRITE and FSYNC_BATCHED acknowledge a record once written (FSYNC_BATCHED forces
 * the head every {@code fsyncIntervalMs} on "gomq-log-fsync"); FSYNC acknowledges it once the
 * head is forced, and concurrent appenders share one force (group commit). Readers stop at this
 * end, so they never see a record a power loss could take back.
 *
 * <p>Thread rules: {@link #acknowledgeWritten} and {@link #reset} under the log's write lock;
 * {@link #awaitDurable} outside it; {@link #end} from any thread.
 */
final class GroupCommit {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    private final ChronicleMessageLog log;
    private final Durability durability;
    private final AppendSignal appended;
    private final Object syncLock = new Object();
    private volatile long durableEnd;
    private final java.util.concurrent.atomic.AtomicLong forces = new java.util.concurrent.atomic.AtomicLong();
    private ScheduledExecutorService fsyncer;

    private static final VarHandle DURABLE_END =
            FieldHandles.of(MethodHandles.lookup(), GroupCommit.class, "durableEnd", long.class);

    GroupCommit(ChronicleMessageLog log, Durability durability, AppendSignal appended) {
        this.log = log;
        this.durability = durability;
        this.appended = appended;
    }

    /** Starts the background force for FSYNC_BATCHED. */
    void start(BrokerConfig config) {
        if (durability == Durability.FSYNC_BATCHED) {
            fsyncer = LogThreads.start("gomq-log-fsync");
            fsyncer.scheduleWithFixedDelay(this::batchedSync, config.fsyncIntervalMs(), config.fsyncIntervalMs(),
                    TimeUnit.MILLISECONDS);
        }
    }

    void stop() {
        LogThreads.shutdown(fsyncer);
    }

    /** Forces of the head so far (FSYNC: one per group commit; FSYNC_BATCHED: one per interval with writes). */
    long forces() {
        return forces.get();
    }

    /** One past the last acknowledged record. */
    long end() {
        return durableEnd;
    }

    /** Under the write lock: the log (re)starts at {@code end}, everything below it durable. */
    void reset(long end) {
        durableEnd = end;
    }

    /** Under the write lock, after writes: unless FSYNC, what is written is acknowledged at once. */
    void acknowledgeWritten() {
        if (durability != Durability.FSYNC) {
            DURABLE_END.setRelease(this, log.nextOffset()); // one writer here: no store fence needed
        }
    }

    /**
     * After writes, outside the write lock: with FSYNC, returns once {@code offset} is forced (and
     * acknowledged). Every write path ends here once its records are acknowledged, so this is where
     * the log's append listeners hear of them: once per write, whichever path wrote.
     */
    void awaitDurable(long offset) {
        if (durability == Durability.FSYNC) {
            syncTo(offset);
        }
        appended.appended();
    }

    /** Group commit: one force covers every record written before it started. */
    private void syncTo(long offset) {
        synchronized (syncLock) {
            if (durableEnd > offset) {
                return;
            }
            long target = log.nextOffset(); // read before head: older segments were forced when sealed
            var head = log.segments().head();
            if (head != null) {
                head.force();
                forces.incrementAndGet();
            }
            // only FSYNC acknowledges here; FSYNC_BATCHED's appenders move the end themselves, and a
            // second writer could move it back
            if (durability == Durability.FSYNC && target > durableEnd) {
                durableEnd = target;
            }
        }
    }

    private void batchedSync() {
        try {
            long target = log.nextOffset();
            if (target > 0 && !log.isClosed()) {
                syncTo(target - 1);
            }
        } catch (RuntimeException e) {
            LOG.error("batched fsync failed", e);
        }
    }
}
