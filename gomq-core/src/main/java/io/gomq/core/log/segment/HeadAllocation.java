package io.gomq.core.log.segment;

import io.gomq.core.concurrent.FieldHandles;
import io.gomq.core.log.DiskSpace;

import java.io.File;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keeps real blocks under the head's memory-mapped Chronicle file ahead of Chronicle's write
 * position ({@link BlockAllocator}: fallocate, or written zeros). Chronicle's files are
 * sparse: a store into a hole page needs a new block, and on a full file system that is a
 * SIGBUS (Java's "InternalError: a fault occurred in a recent unsafe memory access") in the
 * middle of a record. Here a full disk is an {@link IOException} while extending, before the
 * record is written, and the append is refused instead.
 *
 * <p>Invariant: Chronicle never writes at or beyond {@link #allocatedEnd}: a record is admitted
 * only if its end plus {@link #SLACK_BYTES} (room for the index array Chronicle may place after
 * it) lies below it. A new cycle file (the segment's first, or a daily roll) is allocated up to
 * its write position by reading and writing back its bytes (its header and index arrays, under
 * the append lock, so nothing changes them meanwhile), and allocated ahead from there.
 *
 * <p>Thread rules: {@link #admit} runs under the log's append lock (the single writer);
 * {@link #topUp} on the maintenance thread. Both extend under {@code fillLock}; the maintenance
 * thread only fills beyond {@link #allocatedEnd}, where the writer never writes.
 */
final class HeadAllocation implements AutoCloseable {
    /** Room behind a record for one LARGE_DAILY index array (32768 longs) and the next header. */
    static final long SLACK_BYTES = 512 * 1024;

    private final DiskSpace space;
    private final long stepBytes;
    private final long segmentBytes;
    private final ReentrantLock fillLock = new ReentrantLock();
    private BlockAllocator blocks;
    private File file;
    private volatile long allocatedEnd;
    /** How far steps go in the current file: a segment's worth past its first record, so a sealed segment keeps few zeros. */
    private long stepLimit;
    /** Data position of the last admitted record (writer; read opaquely by {@link #topUp}). */
    private long lastPosition = -1;

    private static final VarHandle LAST_POSITION =
            FieldHandles.of(MethodHandles.lookup(), HeadAllocation.class, "lastPosition", long.class);

    HeadAllocation(DiskSpace space, long segmentBytes) {
        this.space = space;
        this.stepBytes = stepFor(segmentBytes);
        this.segmentBytes = segmentBytes;
    }

    /**
     * Under the append lock, inside Chronicle's writing document whose data starts at
     * {@code position} of {@code current}: whether {@code length} bytes may be written there.
     * False when the space for them could not be allocated (the caller rolls the document back).
     */
    boolean admit(long position, int length, java.util.function.Supplier<File> current) {
        if (position > lastPosition && position + length + SLACK_BYTES <= allocatedEnd) {
            LAST_POSITION.setOpaque(this, position);
            return true;
        }
        fillLock.lock();
        try {
            if (position <= lastPosition || blocks == null) {
                // positions only grow within a file: a smaller one is a new cycle file
                if (!openFile(current.get(), position)) {
                    return false;
                }
            }
            long need = position + length + SLACK_BYTES;
            if (need > allocatedEnd && !extendTo(Math.max(need, Math.min(need + stepBytes, stepLimit)))) {
                return false;
            }
            LAST_POSITION.setOpaque(this, position);
            return true;
        } finally {
            fillLock.unlock();
        }
    }

    /** Maintenance thread: extends by a step when less than two steps remain ahead of the writer. */
    void topUp() {
        if (space.isLow() || !fillLock.tryLock()) {
            return;
        }
        try {
            long last = (long) LAST_POSITION.getOpaque(this);
            if (blocks != null && allocatedEnd - last < 2 * stepBytes) {
                extendTo(Math.min(allocatedEnd + stepBytes, stepLimit));
            }
        } finally {
            fillLock.unlock();
        }
    }

    /** Under fillLock and the append lock: a new cycle file, allocated up to {@code position}. */
    private boolean openFile(File f, long position) {
        closeBlocks();
        allocatedEnd = 0;
        if (!space.allows(position + stepBytes)) {
            return false;
        }
        try {
            blocks = new BlockAllocator(f.toPath(), true);
            file = f;
            blocks.allocateWritten(position); // Chronicle's header and index arrays, under the append lock
            allocatedEnd = position;
            stepLimit = position + segmentBytes + 2 * SLACK_BYTES; // the roll comes once the records reach segmentBytes
            return true;
        } catch (IOException e) {
            space.markLow("cannot allocate " + f + ": " + e.getMessage());
            return false;
        }
    }

    /** Under fillLock: allocates from {@link #allocatedEnd} to {@code target}; false on ENOSPC or a low disk. */
    private boolean extendTo(long target) {
        long from = allocatedEnd;
        if (target <= from) {
            return true;
        }
        if (!space.allows(target - from)) {
            return false;
        }
        try {
            blocks.allocate(from, target);
            allocatedEnd = target; // published after the blocks exist
            return true;
        } catch (IOException e) {
            // whatever got allocated lies beyond allocatedEnd, where Chronicle has not written: harmless
            space.markLow("cannot allocate " + file + " up to " + target + ": " + e.getMessage());
            return false;
        }
    }

    private void closeBlocks() {
        if (blocks != null) {
            blocks.close();
            blocks = null;
        }
    }

    @Override
    public void close() {
        fillLock.lock();
        try {
            closeBlocks();
        } finally {
            fillLock.unlock();
        }
    }

    /** A step proportional to the segment size: 1/16 of it, between 64 KiB and 4 MiB. */
    static long stepFor(long segmentBytes) {
        return Math.max(64 * 1024, Math.min(4L << 20, segmentBytes / 16));
    }
}
