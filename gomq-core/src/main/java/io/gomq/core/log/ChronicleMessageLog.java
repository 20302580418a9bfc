package io.gomq.core.log;

import io.gomq.core.concurrent.FieldHandles;
import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Durability;
import io.gomq.core.log.segment.ChronicleSegment;
import io.gomq.core.log.segment.CompactedSegment;
import io.gomq.core.log.segment.Segment;
import io.gomq.core.message.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * {@link MessageLog} on Chronicle Queue. Layout under {@code dataDir/log}:
 * {@code segments/<base offset>/} (Chronicle queue directories: the head and recently sealed
 * segments), {@code segments/<base offset>.cseg} (compacted, LZ4), and a {@code .lock} file.
 * See gomq-core/LOG.md.
 *
 * <p>This class owns the lifecycle, the locks, the next offset and the append path (with
 * rolling), and wires the parts that hold the rest: {@link LogSegments} (segment list and
 * head), {@link LogIndexes}, {@link GroupCommit} (acknowledged end, fsync), {@link LogReads},
 * {@link LogCompaction}, {@link LogRetention} and {@link RetiredSegments} (run by
 * {@link LogMaintenance}), {@link LogReplication} with {@link LogTruncation}, and
 * {@link LogWriter}, the single writer that publishers hand their records to.
 *
 * <p>Thread rules: appends, rolls and segment-list swaps hold {@code writeLock}; the segment
 * list is an immutable snapshot in a volatile field, so readers never lock. Compaction,
 * retention and truncation hold {@code maintenanceLock}. Compaction and retention run on the
 * "gomq-log-maintenance" thread; batched fsync on "gomq-log-fsync"; {@link #appendAsync} records
 * are written on "gomq-log-writer", which takes {@code writeLock} once per batch.
 */
public final class ChronicleMessageLog implements MessageLog {
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleMessageLog.class);
    /** A new head's first files: metadata.cq4t (128 KiB), the cycle file's header and index arrays (~512 KiB), margin. */
    private static final long NEW_HEAD_BYTES = 2L << 20;
    /** A record beyond its payload, at most: the longest topic (64 KiB), MQTT 5 properties, the header. */
    private static final int MAX_RECORD_OVERHEAD_BYTES = 256 << 10;

    private final BrokerConfig config;
    private final Path dir;
    private final Durability durability;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock maintenanceLock = new ReentrantLock();
    private final RecordCodec codec = new RecordCodec();
    private final AtomicLong corruptions = new AtomicLong();
    private final LogSegments segments;
    private final LogIndexes indexes = new LogIndexes();
    private final RetiredSegments retired;
    private final GroupCommit commit;
    private final LogReads reads;
    private final LogCompaction compaction;
    private final LogRetention retention;
    private final LogReplication replication;
    private final LogMaintenance maintenance;
    private final LogWriter writer;
    private final AppendSignal appendSignal = new AppendSignal();
    private volatile long nextOffset;
    private volatile boolean closed;
    private FileChannel lockChannel;
    private FileLock fileLock;
    private DiskSpace space;

    private static final VarHandle NEXT_OFFSET =
            FieldHandles.of(MethodHandles.lookup(), ChronicleMessageLog.class, "nextOffset", long.class);

    private ChronicleMessageLog(BrokerConfig config) {
        this.config = config;
        this.dir = config.dataDir().resolve("log");
        this.durability = config.durability();
        this.segments = new LogSegments(dir.resolve("segments"), config.segmentBytes(),
                ChronicleSegment.blockSizeFor(config.maxPayloadBytes() + MAX_RECORD_OVERHEAD_BYTES));
        this.commit = new GroupCommit(this, durability, appendSignal);
        this.reads = new LogReads(this, indexes);
        this.retired = new RetiredSegments(config.clock());
        this.compaction = new LogCompaction(this, config, retired);
        this.retention = new LogRetention(this, config, indexes, retired, commit);
        this.replication = new LogReplication(this, dir, retired, commit);
        this.maintenance = new LogMaintenance(this, config, retention, compaction, retired);
        this.writer = new LogWriter(this, commit);
    }

    public static ChronicleMessageLog open(BrokerConfig config) {
        return open(config, null);
    }

    /** See {@link MessageLog#open(BrokerConfig, LongSupplier)}; a null floor is no floor. */
    public static ChronicleMessageLog open(BrokerConfig config, LongSupplier compactionFloor) {
        config.conclude();
        ChronicleMessageLog log = new ChronicleMessageLog(config);
        log.compaction.floor(compactionFloor);
        try {
            log.start();
            return log;
        } catch (RuntimeException | Error e) {
            try {
                log.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void start() {
        try {
            Files.createDirectories(segments.dir());
            lockChannel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            fileLock = lockChannel.tryLock();
            if (fileLock == null) {
                throw new LogException("log " + dir + " is already open in another process");
            }
        } catch (IOException e) {
            throw new LogException("cannot open log directory " + dir, e);
        }
        space = DiskSpace.of(dir, config.diskReserveBytes(), NEW_HEAD_BYTES + ChronicleSegment.allocationStep(config.segmentBytes()));
        segments.space(space);
        LogRecovery.Result r = new LogRecovery(dir, segments.dir(), indexes::indexRecord, segments.blockSize()).recover();
        corruptions.addAndGet(r.corruptions());
        List<Segment> list = new ArrayList<>(r.segments());
        ChronicleSegment newHead = null;
        if (space.check()) {
            // recovery wrote nothing; the head (new files) waits for space: the first append after it creates it
            LOG.warn("log {} opened on a low disk: read-only until free space is back above the reserve", dir);
        } else {
            newHead = segments.createHead(r.nextOffset());
            list.add(newHead);
        }
        segments.install(list, newHead);
        nextOffset = r.nextOffset();
        commit.reset(r.nextOffset());
        maintenance.start();
        commit.start(config);
        writer.start();
    }

    // ---------------------------------------------------------------- append

    @Override
    public long append(Message m) {
        long offset;
        writeLock.lock();
        try {
            offset = writeAcknowledged(m);
        } finally {
            writeLock.unlock();
        }
        commit.awaitDurable(offset);
        return offset;
    }

    @Override
    public void appendAsync(LogAppend append, io.gomq.core.queue.Pacer pacer) {
        checkOpen();
        replication.checkWritable();
        space.refuseIfLow(); // refused here, nothing of it queued: the caller's packet waits for space as before
        writer.offer(append, pacer);
    }

    /** Under writeLock: one record written and, unless FSYNC, acknowledged. */
    private long writeAcknowledged(Message m) {
        long offset = writeForWriter(m);
        commit.acknowledgeWritten();
        return offset;
    }

    /** Under writeLock: one record written, not yet acknowledged (the caller moves the durable end). */
    long writeForWriter(Message m) {
        checkOpen();
        replication.checkWritable();
        space.refuseIfLow();
        maybeRoll(m.timestampMillis());
        return writeOne(m);
    }

    @Override
    public long append(List<Message> batch) {
        if (batch.isEmpty()) {
            return endOffset();
        }
        long first;
        long last;
        writeLock.lock();
        try {
            checkOpen();
            replication.checkWritable();
            space.refuseIfLow();
            maybeRoll(batch.get(0).timestampMillis());
            first = writeOne(batch.get(0));
            last = first;
            try {
                for (int i = 1; i < batch.size(); i++) {
                    last = writeOne(batch.get(i));
                }
            } finally {
                commit.acknowledgeWritten(); // a refusal mid-batch: what was written counts, as it would after a restart
            }
        } finally {
            writeLock.unlock();
        }
        commit.awaitDurable(last);
        return first;
    }

    /** Under writeLock. */
    long writeOne(Message m) {
        return writeAt(nextOffset, m);
    }

    /** Under writeLock; {@code offset >= nextOffset} (a larger one leaves a gap). */
    long writeAt(long offset, Message m) {
        int len = codec.encode(offset, m);
        segments.head().append(codec.array(), len, offset, m.timestampMillis());
        NEXT_OFFSET.setRelease(this, offset + 1); // one writer; readers' volatile reads see the record first
        indexes.add(offset, m);
        return offset;
    }

    /**
     * Under writeLock: writes a record as it was stored elsewhere (replication: validated, with
     * the leader's offset, {@code >= nextOffset}) without decoding it; returns its offset.
     */
    long writeStored(byte[] record, int from, int len) {
        long offset = RecordCodec.offset(record, from);
        segments.head().append(record, from, len, offset, RecordCodec.timestamp(record, from));
        NEXT_OFFSET.setRelease(this, offset + 1);
        indexes.indexRecord(record, from, len);
        return offset;
    }

    /** Under writeLock: rolls the head when it is due by size or age. */
    void maybeRoll() {
        maybeRoll(config.clock().millis());
    }

    /**
     * Under writeLock: like {@link #maybeRoll()}, reading the clock only when {@code hintMillis}
     * (the timestamp of the message about to be appended, taken at publish) says the head may be
     * due by age. A message with an older timestamp defers an age roll to the maintenance tick
     * (at most a second later); a newer one costs a clock read, never a premature roll.
     */
    void maybeRoll(long hintMillis) {
        ChronicleSegment h = segments.head();
        if (h == null) {
            requireSpaceForNewHead();
            segments.roll(nextOffset, false); // opened on a low disk: the head's files are made now
            return;
        }
        if (h.recordCount() == 0) {
            return;
        }
        long rollMs = config.segmentRollMs();
        if (h.sizeBytes() >= config.segmentBytes() || hintMillis - h.firstAppendMillis() >= rollMs
                && config.clock().millis() - h.firstAppendMillis() >= rollMs) {
            requireSpaceForNewHead();
            segments.roll(nextOffset, durability != Durability.WRITE);
        }
    }

    /**
     * Chronicle writes a new head's first pages (its metadata file, the cycle file's header and
     * index) before {@link io.gomq.core.log.segment.ChronicleSegment} can allocate them: make sure
     * they fit, with the reserve left, before rolling.
     */
    private void requireSpaceForNewHead() {
        if (!space.allows(NEW_HEAD_BYTES)) {
            throw space.refusal();
        }
    }

    @Override
    public void roll() {
        writeLock.lock();
        try {
            checkOpen();
            ChronicleSegment h = segments.head();
            if (h != null && h.recordCount() > 0) {
                requireSpaceForNewHead();
                segments.roll(nextOffset, durability != Durability.WRITE);
            }
        } finally {
            writeLock.unlock();
        }
    }

    void checkOpen() {
        if (closed) {
            throw new LogException("log " + dir + " is closed");
        }
    }

    // ---------------------------------------------------------------- replication

    @Override
    public long appendReplicated(RecordBatch batch) {
        return replication.appendReplicated(batch);
    }

    @Override
    public void replicaMode(boolean on) {
        replication.replicaMode(on);
    }

    @Override
    public boolean replicaMode() {
        return replication.replicaMode();
    }

    @Override
    public void truncateTo(long offset) {
        replication.truncateTo(offset);
    }

    // ---------------------------------------------------------------- reading

    @Override
    public long startOffset() {
        return segments.startOffset(commit::end);
    }

    @Override
    public long endOffset() {
        return commit.end();
    }

    @Override
    public void addAppendListener(Runnable listener) {
        appendSignal.add(listener);
    }

    @Override
    public void removeAppendListener(Runnable listener) {
        appendSignal.remove(listener);
    }

    @Override
    public LogReader reader(long fromOffset) {
        checkOpen();
        return new TailingReader(this, Math.max(fromOffset, 0));
    }

    @Override
    public List<LogRecord> readTopic(String topic, long fromOffset, int limit) {
        return reads.readTopic(topic, fromOffset, limit);
    }

    @Override
    public long offsetForTimestamp(long epochMillis) {
        return reads.offsetForTimestamp(epochMillis);
    }

    // ---------------------------------------------------------------- retained

    @Override
    public LogRecord retained(String topic) {
        return indexes.retained().get(topic);
    }

    @Override
    public List<LogRecord> retainedMatching(String filter) {
        return indexes.retained().matching(filter);
    }

    @Override
    public int retainedCount() {
        return indexes.retained().size();
    }

    // ---------------------------------------------------------------- maintenance

    @Override
    public void compactionFloor(LongSupplier floor) {
        compaction.floor(floor);
    }

    /** Retired segments the maintenance thread has not closed yet (tests). */
    int retiredPending() {
        return retired.pending();
    }

    @Override
    public CompactionResult compactNow() {
        return compaction.compactNow();
    }

    @Override
    public int enforceRetentionNow() {
        return retention.enforceNow();
    }

    // ---------------------------------------------------------------- state for the parts of the log

    ReentrantLock writeLock() {
        return writeLock;
    }

    /** Held by compaction, retention and truncation: one of them at a time, and none after close. */
    ReentrantLock maintenanceLock() {
        return maintenanceLock;
    }

    LogSegments segments() {
        return segments;
    }

    LogIndexes indexes() {
        return indexes;
    }

    long nextOffset() {
        return nextOffset;
    }

    /** Under writeLock and maintenanceLock: installs the segment list and head a truncation built; the log ends at {@code end}. */
    void installTruncated(List<Segment> list, ChronicleSegment newHead, long end) {
        segments.install(list, newHead);
        nextOffset = end;
        commit.reset(end);
    }

    LogWriter writer() {
        return writer;
    }

    GroupCommit commit() {
        return commit;
    }

    long durableEnd() {
        return commit.end();
    }

    @Override
    public DiskSpace diskSpace() {
        return space;
    }

    boolean isClosed() {
        return closed;
    }

    // ---------------------------------------------------------------- stats, close

    @Override
    public LogStats stats() {
        List<Segment> s = segments.all();
        long records = 0;
        long size = 0;
        int compacted = 0;
        long raw = 0;
        long stored = 0;
        for (Segment seg : s) {
            records += seg.recordCount();
            size += seg.sizeBytes();
            if (seg instanceof CompactedSegment c) {
                compacted++;
                raw += c.rawBytes();
                stored += c.fileBytes();
            }
        }
        return new LogStats(startOffset(), endOffset(), records, s.size(), compacted, size,
                segments.head() == null ? 0 : segments.head().sizeBytes(), indexes.topics().size(), indexes.retained().size(), compaction.runs(),
                compaction.removed(), raw, stored, retention.deleted(), retention.carriedForward(), corruptions.get());
    }

    @Override
    public Map<String, Integer> topicIndexSizes() {
        return indexes.topicSizes();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        maintenance.stop();
        writer.close(); // finishes what publishers queued before anything below closes
        commit.stop();
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            if (segments.head() != null && durability != Durability.WRITE) {
                segments.head().force();
            }
            closed = true;
        } finally {
            writeLock.unlock();
        }
        maintenanceLock.lock();
        try {
            retired.purge(true);
            for (Segment s : segments.all()) {
                try {
                    s.close();
                } catch (RuntimeException e) {
                    LOG.warn("closing segment {} failed", s, e);
                }
            }
        } finally {
            maintenanceLock.unlock();
        }
        try {
            if (fileLock != null) {
                fileLock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.warn("cannot release {}", dir.resolve(".lock"), e);
        }
    }
}
