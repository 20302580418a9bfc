package io.gomq.core.log;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Durability;
import io.gomq.core.log.compaction.Compactor;
import io.gomq.core.log.segment.ChronicleSegment;
import io.gomq.core.log.segment.CompactedSegment;
import io.gomq.core.log.segment.Segment;
import io.gomq.core.log.segment.SegmentCursor;
import io.gomq.core.message.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * {@link MessageLog} on Chronicle Queue. Layout under {@code dataDir/log}:
 * {@code segments/<base offset>/} (Chronicle queue directories: the head and recently sealed
 * segments), {@code segments/<base offset>.cseg} (compacted, LZ4), and a {@code .lock} file.
 * See gomq-core/LOG.md.
 *
 * <p>Thread rules: appends, rolls and segment-list swaps hold {@code writeLock}; the segment
 * list is an immutable snapshot in a volatile field, so readers never lock. Compaction and
 * retention run on the "gomq-log-maintenance" thread; batched fsync on "gomq-log-fsync".
 */
public final class ChronicleMessageLog implements MessageLog {
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleMessageLog.class);
    /** How long a replaced or deleted segment stays open for readers still on it. */
    static final long RETIRE_GRACE_MS = 1_000;

    private final BrokerConfig config;
    private final Path dir;
    private final Path segmentsDir;
    private final Durability durability;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Object syncLock = new Object();
    private final RecordCodec codec = new RecordCodec();
    private final ConcurrentHashMap<String, OffsetList> topicIndex = new ConcurrentHashMap<>();
    private final RetainedStore retained = new RetainedStore();
    private final TimeIndex timeIndex = new TimeIndex();
    private final Compactor compactor;
    private final List<Retired> retired = new ArrayList<>();
    private final AtomicLong compactionRuns = new AtomicLong();
    private final AtomicLong compactionRemoved = new AtomicLong();
    private final AtomicLong retentionDeleted = new AtomicLong();
    private final AtomicLong carriedForward = new AtomicLong();
    private final AtomicLong corruptions = new AtomicLong();
    private final ReentrantLock maintenanceLock = new ReentrantLock();
    private volatile List<Segment> segments = List.of();
    private volatile ChronicleSegment head;
    private volatile long nextOffset;
    private volatile long durableEnd;
    private volatile boolean closed;
    private volatile LongSupplier compactionFloor = () -> Long.MAX_VALUE;
    private FileChannel lockChannel;
    private FileLock fileLock;
    private ScheduledExecutorService maintenance;
    private ScheduledExecutorService fsyncer;

    private volatile boolean replica;

    /** A segment out of the list, closed after a grace period; its files deleted unless a successor took its path. */
    private record Retired(Segment segment, long atMillis, boolean deleteFiles) {
    }

    private ChronicleMessageLog(BrokerConfig config) {
        this.config = config;
        this.dir = config.dataDir().resolve("log");
        this.segmentsDir = dir.resolve("segments");
        this.durability = config.durability();
        this.compactor = new Compactor(segmentsDir);
    }

    public static ChronicleMessageLog open(BrokerConfig config) {
        config.conclude();
        ChronicleMessageLog log = new ChronicleMessageLog(config);
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
            Files.createDirectories(segmentsDir);
            lockChannel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            fileLock = lockChannel.tryLock();
            if (fileLock == null) {
                throw new LogException("log " + dir + " is already open in another process");
            }
        } catch (IOException e) {
            throw new LogException("cannot open log directory " + dir, e);
        }
        LogRecovery.Result r = new LogRecovery(dir, segmentsDir, this::indexRecord).recover();
        corruptions.addAndGet(r.corruptions());
        List<Segment> list = new ArrayList<>(r.segments());
        ChronicleSegment newHead = ChronicleSegment.create(segmentsDir, r.nextOffset());
        list.add(newHead);
        segments = List.copyOf(list);
        head = newHead;
        nextOffset = r.nextOffset();
        durableEnd = r.nextOffset();
        long period = Math.min(1_000, config.compactionIntervalMs());
        maintenance = Executors.newSingleThreadScheduledExecutor(daemon("gomq-log-maintenance"));
        maintenance.scheduleWithFixedDelay(this::maintenanceTick, period, period, TimeUnit.MILLISECONDS);
        if (durability == Durability.FSYNC_BATCHED) {
            fsyncer = Executors.newSingleThreadScheduledExecutor(daemon("gomq-log-fsync"));
            fsyncer.scheduleWithFixedDelay(this::batchedSync, config.fsyncIntervalMs(), config.fsyncIntervalMs(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Recovery callback: adds one valid record to the in-memory indexes. */
    private void indexRecord(byte[] b, int from, int len) {
        long offset = RecordCodec.offset(b, from);
        String topic = RecordCodec.topic(b, from);
        topicIndex.computeIfAbsent(topic, t -> new OffsetList(16)).add(offset);
        timeIndex.add(offset, RecordCodec.timestamp(b, from));
        if (RecordCodec.retain(b, from)) {
            retained.apply(offset, RecordCodec.decode(b, from, topic));
        }
    }

    // ---------------------------------------------------------------- append

    @Override
    public long append(Message m) {
        long offset;
        writeLock.lock();
        try {
            checkOpen();
            checkWritable();
            maybeRoll();
            offset = writeOne(m);
            if (durability != Durability.FSYNC) {
                durableEnd = offset + 1;
            }
        } finally {
            writeLock.unlock();
        }
        if (durability == Durability.FSYNC) {
            syncTo(offset);
        }
        return offset;
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
            checkWritable();
            maybeRoll();
            first = writeOne(batch.get(0));
            last = first;
            for (int i = 1; i < batch.size(); i++) {
                last = writeOne(batch.get(i));
            }
            if (durability != Durability.FSYNC) {
                durableEnd = last + 1;
            }
        } finally {
            writeLock.unlock();
        }
        if (durability == Durability.FSYNC) {
            syncTo(last);
        }
        return first;
    }

    /** Under writeLock. */
    private long writeOne(Message m) {
        return writeAt(nextOffset, m);
    }

    /** Under writeLock; {@code offset >= nextOffset} (a larger one leaves a gap). */
    private long writeAt(long offset, Message m) {
        int len = codec.encode(offset, m);
        head.append(codec.array(), len, offset, m.timestampMillis());
        nextOffset = offset + 1;
        OffsetList l = topicIndex.get(m.topic());
        if (l == null) {
            l = new OffsetList(16);
            topicIndex.put(m.topic(), l);
        }
        l.add(offset);
        timeIndex.add(offset, m.timestampMillis());
        if (m.retain()) {
            retained.apply(offset, m);
        }
        return offset;
    }

    @Override
    public long appendReplicated(List<LogRecord> batch) {
        long last = -1;
        writeLock.lock();
        try {
            checkOpen();
            for (LogRecord r : batch) {
                if (r.offset() < nextOffset) {
                    continue; // stored already: a re-sent batch
                }
                maybeRoll();
                last = writeAt(r.offset(), r.message());
            }
            if (last >= 0 && durability != Durability.FSYNC) {
                durableEnd = last + 1;
            }
        } finally {
            writeLock.unlock();
        }
        if (last >= 0 && durability == Durability.FSYNC) {
            syncTo(last);
        }
        return endOffset();
    }

    @Override
    public void replicaMode(boolean on) {
        writeLock.lock();
        try {
            replica = on;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public boolean replicaMode() {
        return replica;
    }

    private void checkWritable() {
        if (replica) {
            throw new LogException("log " + dir + " is a replica (cluster member): only the leader takes writes");
        }
    }

    @Override
    public void truncateTo(long offset) {
        maintenanceLock.lock();
        try {
            writeLock.lock();
            try {
                checkOpen();
                if (offset >= nextOffset) {
                    return;
                }
                new LogTruncation(this).truncate(Math.max(0, offset));
            } finally {
                writeLock.unlock();
            }
        } finally {
            maintenanceLock.unlock();
        }
    }

    // ---- state access for LogTruncation (runs under writeLock and maintenanceLock)

    ChronicleSegment head() {
        return head;
    }

    Path segmentsDir() {
        return segmentsDir;
    }

    Map<String, OffsetList> topicIndex() {
        return topicIndex;
    }

    RetainedStore retainedStore() {
        return retained;
    }

    TimeIndex timeIndex() {
        return timeIndex;
    }

    /** Installs the segment list and head a truncation built; the log ends at {@code end}. */
    void installTruncated(List<Segment> list, ChronicleSegment newHead, long end) {
        segments = List.copyOf(list);
        head = newHead;
        nextOffset = end;
        durableEnd = end;
    }

    /** Retires {@code s}: closed after the grace period, its files deleted iff {@code deleteFiles}. */
    void retireLater(Segment s, boolean deleteFiles) {
        s.retire();
        synchronized (retired) {
            retired.add(new Retired(s, System.currentTimeMillis(), deleteFiles));
        }
    }

    /** Under writeLock. */
    private void maybeRoll() {
        ChronicleSegment h = head;
        if (h.recordCount() > 0 && (h.sizeBytes() >= config.segmentBytes()
                || System.currentTimeMillis() - h.firstAppendMillis() >= config.segmentRollMs())) {
            rollLocked();
        }
    }

    /** Under writeLock. */
    private void rollLocked() {
        ChronicleSegment old = head;
        if (durability != Durability.WRITE) {
            old.force();
        }
        old.seal();
        ChronicleSegment h = ChronicleSegment.create(segmentsDir, nextOffset);
        List<Segment> list = new ArrayList<>(segments);
        list.add(h);
        segments = List.copyOf(list);
        head = h;
        LOG.debug("rolled segment {} ({} records, {} bytes)", old.baseOffset(), old.recordCount(), old.sizeBytes());
    }

    @Override
    public void roll() {
        writeLock.lock();
        try {
            checkOpen();
            if (head.recordCount() > 0) {
                rollLocked();
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Group commit: one force covers every record written before it started. */
    private void syncTo(long offset) {
        synchronized (syncLock) {
            if (durableEnd > offset) {
                return;
            }
            long target = nextOffset; // read before head: older segments were forced when sealed
            head.force();
            if (target > durableEnd) {
                durableEnd = target;
            }
        }
    }

    private void batchedSync() {
        try {
            long target = nextOffset;
            if (target > 0 && !closed) {
                syncTo(target - 1);
            }
        } catch (RuntimeException e) {
            LOG.error("batched fsync failed", e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new LogException("log " + dir + " is closed");
        }
    }

    // ---------------------------------------------------------------- reading

    @Override
    public long startOffset() {
        List<Segment> s = segments;
        for (Segment seg : s) {
            if (seg.recordCount() > 0) {
                return seg.baseOffset();
            }
        }
        return durableEnd;
    }

    @Override
    public long endOffset() {
        return durableEnd;
    }

    List<Segment> segments() {
        return segments;
    }

    /** The segment that holds or will hold {@code offset}, or null if it is beyond the head's range. */
    Segment segmentFor(long offset) {
        List<Segment> s = segments;
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

    @Override
    public LogReader reader(long fromOffset) {
        checkOpen();
        return new TailingReader(this, Math.max(fromOffset, 0));
    }

    @Override
    public List<LogRecord> readTopic(String topic, long fromOffset, int limit) {
        OffsetList l = topicIndex.get(topic);
        if (l == null || limit <= 0) {
            return List.of();
        }
        for (int attempt = 0; ; attempt++) {
            try {
                return readTopicOnce(topic, l, fromOffset, limit);
            } catch (RuntimeException e) {
                if (attempt >= 2 || closed) {
                    throw e;
                }
                // a segment was replaced under us: read again from the current list
            }
        }
    }

    private List<LogRecord> readTopicOnce(String topic, OffsetList l, long fromOffset, int limit) {
        List<LogRecord> out = new ArrayList<>(Math.min(limit, 64));
        long end = durableEnd;
        int n = l.size();
        Segment seg = null;
        SegmentCursor cur = null;
        try {
            for (int i = l.firstAtLeast(fromOffset); i < n && out.size() < limit; i++) {
                long o = l.get(i);
                if (o >= end) {
                    break;
                }
                Segment s = segmentFor(o);
                if (s == null || o < s.baseOffset()) {
                    continue; // deleted by retention
                }
                if (s != seg) {
                    if (cur != null) {
                        cur.close();
                    }
                    seg = s;
                    cur = s.cursor();
                }
                cur.seek(o);
                if (cur.next() && cur.offset() == o) {
                    out.add(new LogRecord(o, RecordCodec.decode(cur.bytes(), cur.from(), topic)));
                }
            }
        } finally {
            if (cur != null) {
                cur.close();
            }
        }
        return out;
    }

    @Override
    public long offsetForTimestamp(long epochMillis) {
        long start = timeIndex.scanStart(epochMillis, startOffset());
        try (LogReader r = reader(start)) {
            LogRecord rec;
            while ((rec = r.next()) != null) {
                if (rec.message().timestampMillis() >= epochMillis) {
                    return rec.offset();
                }
            }
        }
        return endOffset();
    }

    long durableEnd() {
        return durableEnd;
    }

    boolean isClosed() {
        return closed;
    }

    // ---------------------------------------------------------------- retained

    @Override
    public LogRecord retained(String topic) {
        return retained.get(topic);
    }

    @Override
    public List<LogRecord> retainedMatching(String filter) {
        return retained.matching(filter);
    }

    @Override
    public int retainedCount() {
        return retained.size();
    }

    // ---------------------------------------------------------------- maintenance

    @Override
    public void compactionFloor(LongSupplier floor) {
        this.compactionFloor = floor == null ? () -> Long.MAX_VALUE : floor;
    }

    private long lastCompactionMillis = System.currentTimeMillis();

    private void maintenanceTick() {
        if (closed) {
            return;
        }
        try {
            writeLock.lock();
            try {
                if (!closed) {
                    maybeRoll();
                }
            } finally {
                writeLock.unlock();
            }
            enforceRetentionNow();
            if (System.currentTimeMillis() - lastCompactionMillis >= config.compactionIntervalMs()) {
                compactNow();
                lastCompactionMillis = System.currentTimeMillis();
            }
            purgeRetired(false);
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.error("log maintenance failed", e);
            }
        }
    }

    @Override
    public CompactionResult compactNow() {
        maintenanceLock.lock();
        try {
            checkOpen();
            long t0 = System.nanoTime();
            List<Segment> sealed = new ArrayList<>();
            for (Segment s : segments) {
                if (s.isSealed() && !s.isRetired()) {
                    sealed.add(s);
                }
            }
            if (sealed.isEmpty()) {
                return CompactionResult.NOTHING;
            }
            long deadline = System.currentTimeMillis() - config.tombstoneRetentionMs();
            List<Compactor.Replacement> done = compactor.compact(sealed, compactionFloor.getAsLong(), deadline);
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
                writeLock.lock();
                try {
                    List<Segment> list = new ArrayList<>();
                    for (Segment s : segments) {
                        Segment n = swap.remove(s);
                        list.add(n == null ? s : n);
                        if (n != null) {
                            // a compacted segment compacted again is replaced by a file at the same
                            // path: retiring it must close it, not delete what now is the new file
                            retireLater(s, !s.isCompacted());
                        }
                    }
                    segments = List.copyOf(list);
                } finally {
                    writeLock.unlock();
                }
                for (Segment orphan : swap.values()) { // source deleted by retention meanwhile
                    orphan.close();
                    orphan.deleteFiles();
                }
                compactionRuns.incrementAndGet();
                compactionRemoved.addAndGet(before - after);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            CompactionResult result = new CompactionResult(done.size(), before, after, raw, stored, ms);
            if (!done.isEmpty()) {
                LOG.info("compacted {} segment(s): {} -> {} records, {} -> {} bytes (LZ4 ratio {}) in {} ms",
                        done.size(), before, after, raw, stored, String.format("%.2f", result.compressionRatio()), ms);
            }
            return result;
        } finally {
            maintenanceLock.unlock();
        }
    }

    /** Under writeLock. */
    private void retire(Segment s) {
        retireLater(s, true);
    }

    private void purgeRetired(boolean all) {
        long now = System.currentTimeMillis();
        List<Retired> ready = new ArrayList<>();
        synchronized (retired) {
            retired.removeIf(r -> {
                if (all || now - r.atMillis() >= RETIRE_GRACE_MS) {
                    ready.add(r);
                    return true;
                }
                return false;
            });
        }
        for (Retired r : ready) {
            Segment s = r.segment();
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.warn("closing retired segment {} failed", s, e);
            }
            // a compaction source (its .cseg is committed) or a segment retention removed
            if (r.deleteFiles()) {
                s.deleteFiles();
            }
        }
    }

    @Override
    public int enforceRetentionNow() {
        maintenanceLock.lock();
        try {
            checkOpen();
            long now = System.currentTimeMillis();
            List<Segment> doomed = new ArrayList<>();
            List<Segment> s = segments;
            long total = 0;
            for (Segment seg : s) {
                total += seg.sizeBytes();
            }
            for (Segment seg : s) {
                if (!seg.isSealed() || seg == head) {
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
            if (doomed.isEmpty()) {
                return 0;
            }
            writeLock.lock();
            try {
                Set<Segment> gone = new HashSet<>(doomed);
                long limit = doomed.get(doomed.size() - 1).nextOffset();
                // retained messages live until replaced or deleted: carry the ones stored in
                // the doomed segments forward to the head before the segments go
                List<LogRecord> carry = new ArrayList<>();
                for (LogRecord r : retained.all()) {
                    if (r.offset() < limit) {
                        carry.add(r);
                    }
                }
                if (replica) {
                    carry.clear(); // the leader's carried-forward copies arrive by replication
                }
                for (LogRecord r : carry) {
                    writeOne(r.message());
                }
                if (!carry.isEmpty()) {
                    durableEnd = durability == Durability.FSYNC ? durableEnd : nextOffset;
                    carriedForward.addAndGet(carry.size());
                }
                List<Segment> list = new ArrayList<>();
                for (Segment seg : segments) {
                    if (gone.contains(seg)) {
                        retire(seg);
                    } else {
                        list.add(seg);
                    }
                }
                segments = List.copyOf(list);
                for (OffsetList l : topicIndex.values()) {
                    l.dropBefore(l.firstAtLeast(limit));
                }
            } finally {
                writeLock.unlock();
            }
            if (durability == Durability.FSYNC) {
                syncTo(nextOffset - 1);
            }
            retentionDeleted.addAndGet(doomed.size());
            LOG.info("retention deleted {} segment(s) below offset {}", doomed.size(), doomed.get(doomed.size() - 1).nextOffset());
            return doomed.size();
        } finally {
            maintenanceLock.unlock();
        }
    }

    // ---------------------------------------------------------------- stats, close

    @Override
    public LogStats stats() {
        List<Segment> s = segments;
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
        return new LogStats(startOffset(), endOffset(), records, s.size(), compacted, size, head.sizeBytes(),
                topicIndex.size(), retained.size(), compactionRuns.get(), compactionRemoved.get(), raw, stored,
                retentionDeleted.get(), carriedForward.get(), corruptions.get());
    }

    @Override
    public Map<String, Integer> topicIndexSizes() {
        Map<String, Integer> m = new HashMap<>();
        topicIndex.forEach((k, v) -> m.put(k, v.size()));
        return m;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        shutdown(maintenance);
        shutdown(fsyncer);
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            if (head != null && durability != Durability.WRITE) {
                head.force();
            }
            closed = true;
        } finally {
            writeLock.unlock();
        }
        maintenanceLock.lock();
        try {
            purgeRetired(true);
            for (Segment s : segments) {
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

    private static void shutdown(ScheduledExecutorService ex) {
        if (ex == null) {
            return;
        }
        ex.shutdown();
        try {
            if (!ex.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("log background thread did not stop within 10 s; interrupting it");
                ex.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
