package io.gomq.core.log.segment;

import io.gomq.core.concurrent.FieldHandles;
import io.gomq.core.log.DiskSpace;
import io.gomq.core.log.LogException;
import io.gomq.core.log.RecordCodec;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.LargeRollCycles;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.File;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * A segment stored as one Chronicle queue directory. Each Chronicle document holds one record
 * (see {@link RecordCodec}). Offsets inside are contiguous; Chronicle indexes are contiguous
 * within a Chronicle cycle, so the map offset -> Chronicle index is a short list of runs
 * (one per cycle file), kept in memory and rebuilt by {@link #scan}.
 *
 * <p>Thread rules: {@link #append} and {@link #seal} run under the log's append lock (one
 * writer). Cursors and the accessors may run on any thread: the writer publishes through
 * volatile fields, {@link #nextOffset} last.
 */
public final class ChronicleSegment extends Segment {
    private final SingleChronicleQueue queue;
    private ExcerptAppender appender;
    private HeadAllocation allocation;
    private DiskSpace space;
    private final java.util.function.Supplier<File> appenderFile = () -> appender.currentFile();
    private volatile boolean sealed;
    private volatile long nextOffset;
    private volatile long lastIndex = -1;
    private volatile long records;
    private volatile long bytes;
    private volatile long maxTimestamp = Long.MIN_VALUE;
    private volatile long firstAppendMillis;
    private volatile File currentFile;
    private long[] runOffsets = new long[4];
    private long[] runIndexes = new long[4];
    private volatile int runCount;
    private long lastOffset = -1;

    // The single writer publishes with release stores: readers' volatile reads still see every
    // earlier write, and the append path pays no store fence per field.
    private static final VarHandle NEXT_OFFSET =
            FieldHandles.of(MethodHandles.lookup(), ChronicleSegment.class, "nextOffset", long.class);
    private static final VarHandle LAST_INDEX =
            FieldHandles.of(MethodHandles.lookup(), ChronicleSegment.class, "lastIndex", long.class);
    private static final VarHandle RECORDS =
            FieldHandles.of(MethodHandles.lookup(), ChronicleSegment.class, "records", long.class);
    private static final VarHandle BYTES =
            FieldHandles.of(MethodHandles.lookup(), ChronicleSegment.class, "bytes", long.class);
    private static final VarHandle MAX_TIMESTAMP =
            FieldHandles.of(MethodHandles.lookup(), ChronicleSegment.class, "maxTimestamp", long.class);

    private ChronicleSegment(long baseOffset, Path dir, SingleChronicleQueue queue) {
        super(baseOffset, dir);
        this.queue = queue;
        this.nextOffset = baseOffset;
    }

    /**
     * Creates a new, empty head segment whose files are allocated ahead of the writer (see
     * {@link HeadAllocation}; the step follows {@code segmentBytes}); appends that cannot get
     * their space are refused with {@link io.gomq.core.log.DiskFullException}.
     */
    public static ChronicleSegment create(Path segmentsDir, long baseOffset, DiskSpace space, long segmentBytes,
                                          long blockSize) {
        Path dir = segmentsDir.resolve(name(baseOffset));
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LogException("cannot create segment " + dir, e);
        }
        ChronicleSegment s = new ChronicleSegment(baseOffset, dir, build(dir, false, blockSize));
        s.appender = s.queue.createAppender();
        s.appender.singleThreadedCheckDisabled(true);
        s.space = space;
        s.allocation = new HeadAllocation(space, segmentBytes);
        return s;
    }

    /**
     * Opens an existing segment for reading; call {@link #scan} before use. Read-only: a
     * recovered segment is never written again, and recovery must not write (a full disk).
     */
    public static ChronicleSegment openExisting(Path dir, long baseOffset, long blockSize) {
        SingleChronicleQueue queue = build(dir, true, blockSize); // reads no data file yet
        try {
            ShortDataFiles.coverMappedChunks(dir, queue.blockSize(), queue.overlapSize());
        } catch (RuntimeException e) {
            queue.close();
            throw e;
        }
        return new ChronicleSegment(baseOffset, dir, queue);
    }

    /** The smallest window (with its quarter of overlap, 20 MiB mapped). */
    public static final long MIN_BLOCK_BYTES = 16L << 20;

    /**
     * The size of the file windows Chronicle maps: four times the largest record (Chronicle's
     * advice), at least {@link #MIN_BLOCK_BYTES}. Design note: Chronicle's default, 64 MiB plus a
     * 16 MiB overlap per window, was up to 87 MB of the broker's resident memory (mapped pages of
     * the window being written) in a persistent row: a third of the 256 MiB default budget for
     * pages the page cache holds anyway. A smaller window only costs a map call more often.
     */
    public static long blockSizeFor(long maxRecordBytes) {
        long wanted = Math.max(MIN_BLOCK_BYTES, 4 * maxRecordBytes);
        long pow2 = Long.highestOneBit(wanted);
        return pow2 == wanted ? wanted : pow2 << 1;
    }

    private static SingleChronicleQueue build(Path dir, boolean readOnly, long blockSize) {
        return SingleChronicleQueueBuilder.binary(dir)
                .blockSize(blockSize)
                .rollCycle(LargeRollCycles.LARGE_DAILY)
                .checkInterrupts(false)
                .readOnly(readOnly)
                .build();
    }

    /**
     * Writes one encoded record. Runs under the log's append lock.
     *
     * @throws io.gomq.core.log.DiskFullException when its space could not be allocated: nothing is written
     */
    public void append(byte[] record, int length, long offset, long timestamp) {
        append(record, 0, length, offset, timestamp);
    }

    /** {@link #append(byte[], int, long, long)} of the record at {@code record[from, from+length)}. */
    public void append(byte[] record, int from, int length, long offset, long timestamp) {
        boolean admitted;
        try (DocumentContext dc = appender.writingDocument()) {
            try {
                Bytes<?> b = dc.wire().bytes();
                admitted = allocation.admit(b.writePosition(), length, appenderFile);
                if (admitted) {
                    b.write(record, from, length);
                } else {
                    dc.rollbackOnClose();
                }
            } catch (RuntimeException | Error e) {
                dc.rollbackOnClose();
                throw e;
            }
        }
        if (!admitted) {
            throw space.refusal();
        }
        long index = appender.lastIndexAppended();
        if (records == 0) {
            firstAppendMillis = System.currentTimeMillis();
        }
        if (currentFile == null || index != lastIndex + 1) {
            // a new Chronicle cycle file: force the previous one so a later fsync of the new file covers all
            if (currentFile != null) {
                force();
            }
            currentFile = appender.currentFile();
        }
        noteRecord(offset, index, length, timestamp);
        LAST_INDEX.setRelease(this, index);
        NEXT_OFFSET.setRelease(this, offset + 1); // last: a cursor that sees it sees the record
    }

    private void noteRecord(long offset, long index, int length, long timestamp) {
        if (runCount == 0 || offset != lastOffset + 1 || index != lastIndex + 1) {
            addRun(offset, index);
        }
        lastOffset = offset;
        RECORDS.setRelease(this, (long) RECORDS.getOpaque(this) + 1);
        BYTES.setRelease(this, (long) BYTES.getOpaque(this) + length + 4);
        if (timestamp > (long) MAX_TIMESTAMP.getOpaque(this)) {
            MAX_TIMESTAMP.setRelease(this, timestamp);
        }
    }

    private void addRun(long offset, long index) {
        int n = runCount;
        if (n == runOffsets.length) {
            long[] o = java.util.Arrays.copyOf(runOffsets, n * 2);
            long[] i = java.util.Arrays.copyOf(runIndexes, n * 2);
            o[n] = offset;
            i[n] = index;
            runOffsets = o;
            runIndexes = i;
        } else {
            runOffsets[n] = offset;
            runIndexes[n] = index;
        }
        runCount = n + 1;
    }

    /** The file the head currently writes (for fsync). */
    public File currentFile() {
        return currentFile;
    }

    public long firstAppendMillis() {
        return firstAppendMillis;
    }

    /** Forces the written records to disk. May run on any thread. */
    public void force() {
        File f = currentFile;
        if (f == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(f.toPath(), StandardOpenOption.WRITE)) {
            ch.force(false);
        } catch (IOException e) {
            throw new LogException("fsync failed for " + f, e);
        }
    }

    /** Stops appends to this segment. Runs under the log's append lock. */
    public void seal() {
        sealed = true;
        if (appender != null) {
            appender.close();
            appender = null;
        }
        if (allocation != null) {
            allocation.close();
        }
    }

    /** Loads the native fallocate (maintenance thread: neither startup nor appends wait for it). */
    public static void loadAllocator() {
        BlockAllocator.loadNow();
    }

    /** How far ahead of its writer a head of {@code segmentBytes} segments allocates, per step. */
    public static long allocationStep(long segmentBytes) {
        return HeadAllocation.stepFor(segmentBytes);
    }

    /** Maintenance thread: keeps the head's allocation ahead of its writer (no-op once sealed). */
    public void allocateAhead() {
        HeadAllocation a = allocation;
        if (a != null && !sealed) {
            a.topUp();
        }
    }

    /** What {@link #scan} found. */
    public record ScanResult(long records, String corruption) {
    }

    /** Visits each valid record at recovery. */
    public interface RecordVisitor {
        void visit(byte[] bytes, int from, int length);
    }

    /**
     * Reads every record once (recovery): validates each, rebuilds the offset runs and the
     * figures, and hands valid records to {@code visitor}. Stops at the first invalid record
     * and seals the segment there; returns a description of the damage (file, position) or null.
     * Where Chronicle reports a clean end, the rest of the file is searched for record bytes
     * that a zeroed or torn document header hid ({@link StrayRecords}): that is damage too.
     */
    public ScanResult scan(RecordVisitor visitor, RecordCodec codec) {
        byte[] scratch = new byte[4096];
        String corruption = null;
        File file = null;
        long end = 0;
        try (ExcerptTailer tailer = queue.createTailer()) {
            tailer.singleThreadedCheckDisabled(true);
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    Bytes<?> b = dc.wire().bytes();
                    long position = b.readPosition();
                    int len = (int) b.readRemaining();
                    if (len > scratch.length) {
                        scratch = new byte[Math.max(len, scratch.length * 2)];
                    }
                    b.read(scratch, 0, len);
                    String bad = codec.validate(scratch, 0, len);
                    long offset = bad == null ? RecordCodec.offset(scratch, 0) : -1;
                    // offsets increase; a gap is a replicated record after one the leader compacted away
                    if (bad == null && (offset < baseOffset || runCount > 0 && offset <= lastOffset)) {
                        bad = "unexpected offset " + offset + " after " + lastOffset;
                    }
                    if (bad != null) {
                        corruption = bad + " in " + tailer.currentFile() + " at position " + position
                                + " (Chronicle index " + Long.toHexString(dc.index()) + ")";
                        break;
                    }
                    long index = dc.index();
                    noteRecord(offset, index, len, RecordCodec.timestamp(scratch, 0));
                    lastIndex = index;
                    nextOffset = offset + 1;
                    file = tailer.currentFile();
                    end = position + len;
                    visitor.visit(scratch, 0, len);
                }
            }
        } catch (RuntimeException | InternalError e) {
            // InternalError: a mapped read past a truncated file's end (SIGBUS)
            corruption = "unreadable record after offset " + lastOffset + " in " + (file != null ? file : firstDataFile(path))
                    + " after position " + end + ": " + e;
        }
        if (corruption == null) {
            corruption = missingDocuments(file, end);
        }
        if (corruption == null) {
            corruption = strayRecords(file, end);
        }
        return new ScanResult(records, corruption);
    }

    /**
     * Chronicle's own header knows its last document; if reading stopped before it, documents
     * were lost to a truncated file or a zeroed region that no stray record bytes reveal.
     */
    private String missingDocuments(File file, long end) {
        if (records == 0) {
            // nothing read: Chronicle's header may be what is damaged, and asking it for its end
            // then stalls for half a minute; LogRecovery judges an empty segment by its files
            return null;
        }
        long last;
        try {
            last = queue.lastIndex();
        } catch (RuntimeException | InternalError | AssertionError e) {
            return "Chronicle cannot find the end of " + (file != null ? file : firstDataFile(path))
                    + " after position " + end + " (a truncated file?): " + e;
        }
        if (last >= 0 && last != lastIndex) {
            return "reading stopped at position " + end + " of " + (file != null ? file : firstDataFile(path))
                    + " (Chronicle index " + Long.toHexString(lastIndex) + "), but Chronicle's header records documents"
                    + " up to index " + Long.toHexString(last) + ": the file was cut short or zeroed";
        }
        return null;
    }

    /** Whether a segment directory holds a Chronicle data file (a cycle file: made at its first append). */
    public static boolean hasDataFile(Path path) {
        return !firstDataFile(path).equals(path);
    }

    /** A segment directory's first Chronicle data file (where reading starts), or the directory if it has none. */
    public static Path firstDataFile(Path path) {
        try (Stream<Path> s = Files.list(path)) {
            return s.filter(f -> f.toString().endsWith(".cq4")).sorted().findFirst().orElse(path);
        } catch (IOException e) {
            return path;
        }
    }

    /** Record bytes after the clean end at {@code end} of {@code file} (null: no record read, all files). */
    private String strayRecords(File file, long end) {
        try (Stream<Path> s = Files.list(path)) {
            for (Path p : (Iterable<Path>) s.filter(f -> f.toString().endsWith(".cq4")).sorted()::iterator) {
                boolean last = file != null && p.equals(file.toPath());
                if (file != null && !last && p.compareTo(file.toPath()) < 0) {
                    continue; // a cycle file read to its end before the last record's
                }
                long at = StrayRecords.find(p, last ? end : 0);
                if (at >= 0) {
                    return "reading stopped at position " + (last ? end : 0) + " of " + p
                            + " (a zeroed or torn document header), but record data follows at position " + at;
                }
            }
            return null;
        } catch (IOException e) {
            throw new LogException("cannot list " + path, e);
        }
    }

    /** Marks a recovered segment sealed (it is never appended again). */
    public void markSealed() {
        sealed = true;
    }

    @Override
    public long nextOffset() {
        return nextOffset;
    }

    @Override
    public long recordCount() {
        return records;
    }

    @Override
    public long sizeBytes() {
        return bytes;
    }

    @Override
    public long maxTimestamp() {
        return maxTimestamp;
    }

    @Override
    public boolean isCompacted() {
        return false;
    }

    @Override
    public boolean isSealed() {
        return sealed;
    }

    /** The Chronicle index of the record at {@code offset} (or of the last record if beyond), -1 if empty. */
    long indexFor(long offset) {
        long next = nextOffset;
        int n = runCount;
        long[] ro = runOffsets;
        long[] ri = runIndexes;
        if (n == 0) {
            return -1;
        }
        if (offset >= next) {
            return lastIndex;
        }
        if (offset <= ro[0]) {
            return ri[0];
        }
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (ro[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        long index = ri[lo] + (offset - ro[lo]);
        if (lo + 1 < n && index > ri[lo + 1]) {
            // offset falls in a gap after run lo: the next run's first record is the first >= offset
            index = ri[lo + 1];
        }
        return index;
    }

    @Override
    public SegmentCursor cursor() {
        return new Cursor();
    }

    @Override
    public void close() {
        if (appender != null) {
            appender.close();
            appender = null;
        }
        if (allocation != null) {
            allocation.close();
        }
        queue.close();
    }

    @Override
    public void deleteFiles() {
        deleteChronicleDir(path);
    }

    /**
     * Deletes Chronicle's files ({@code *.cq4}, {@code *.cq4t}) and then the directory if it is
     * empty; a foreign file inside keeps the directory (and is reported at the next recovery).
     */
    public static void deleteChronicleDir(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.endsWith(".cq4") || n.endsWith(".cq4t")) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new LogException("cannot delete " + dir, e);
        }
        try (Stream<Path> s = Files.list(dir)) {
            if (s.findAny().isEmpty()) {
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new LogException("cannot delete " + dir, e);
        }
    }

    private final class Cursor implements SegmentCursor {
        private final ExcerptTailer tailer = queue.createTailer();
        private final RecordCodec codec = new RecordCodec();
        private byte[] scratch = new byte[1024];
        private int length;
        private long offset;
        private long seek = baseOffset;
        private boolean exhausted;

        Cursor() {
            tailer.singleThreadedCheckDisabled(true);
        }

        @Override
        public void seek(long target) {
            seek = target;
            exhausted = false;
            long index = indexFor(target);
            if (index < 0 || !tailer.moveToIndex(index)) {
                tailer.toStart();
            }
        }

        @Override
        public boolean next() {
            while (true) {
                boolean wasSealed = sealed;
                long end = nextOffset;
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        // sealed before we looked: nothing more will come
                        exhausted = wasSealed;
                        return false;
                    }
                    Bytes<?> b = dc.wire().bytes();
                    int len = (int) b.readRemaining();
                    if (len > scratch.length) {
                        scratch = new byte[Math.max(len, scratch.length * 2)];
                    }
                    b.read(scratch, 0, len);
                    long off = len >= RecordCodec.MIN_RECORD ? RecordCodec.offset(scratch, 0) : -1;
                    if (wasSealed && off >= end || codec.validate(scratch, 0, len) != null) {
                        // the corrupt tail recovery cut off, or damage since: this segment ends here
                        dc.rollbackOnClose();
                        exhausted = sealed;
                        return false;
                    }
                    if (off < seek) {
                        continue;
                    }
                    if (off >= end) {
                        // written but not yet acknowledged: read it again later
                        dc.rollbackOnClose();
                        return false;
                    }
                    length = len;
                    offset = off;
                    seek = off + 1;
                    return true;
                }
            }
        }

        @Override
        public boolean exhausted() {
            return exhausted;
        }

        @Override
        public byte[] bytes() {
            return scratch;
        }

        @Override
        public int from() {
            return 0;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public long offset() {
            return offset;
        }

        @Override
        public void close() {
            tailer.close();
        }
    }
}
