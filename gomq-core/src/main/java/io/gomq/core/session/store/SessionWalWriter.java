package io.gomq.core.session.store;

import io.gomq.core.config.Durability;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the WAL frames of many sessions' threads; each {@link #write} returns once its frame is
 * in the file (and forced, under FSYNC). Only the file write itself is serialized: frames are
 * encoded, and sessions' memory changed, outside of it.
 *
 * <p>Under FSYNC the writes are a group commit: a thread queues its frame, and whichever thread
 * holds the file next writes every queued frame with one {@code write(2)} and one force, after
 * which each waiting thread whose frame went out returns. Concurrent sessions then share a force
 * (milliseconds on a disk) instead of queueing behind one another's.
 *
 * <p>Design note: without a force, a write is a few microseconds and each thread writes its own
 * frame under the file's monitor: handing frames to another thread (a writer thread, or the
 * group commit's leader) costs more in wake-ups than it saves, as measured with
 * {@code SessionStoreCommitBenchmark} on two cores. The group commit has no thread of its own
 * (the caller that finds the file free writes for the others, as RocksDB's write-group leader
 * does). Its queue holds at most one frame per thread blocked in {@link #write}: bounded by the
 * callers. A batch that cannot be written (no space to allocate) fails every update in it,
 * before any of its bytes reaches the file ({@link SessionWal#append}).
 *
 * <p>Thread rules: {@link #write} from any thread; {@link #switchTo}, {@link #restartInPlace}
 * and {@link #close} while no write runs (the store's exclusive lock).
 */
final class SessionWalWriter implements AutoCloseable {
    private final Durability durability;
    /** Held while the file is written. */
    private final Object file = new Object();
    private final List<Pending> queue = new ArrayList<>();
    /** Guarded by {@link #file}. */
    private SessionWal wal;
    /** Written, not yet forced (FSYNC_BATCHED); guarded by {@link #file}. */
    private boolean dirty;
    /** The WAL's length in use, read without the lock. */
    private volatile long bytes;

    private static final class Pending {
        final byte[] frame;
        /** Both guarded by {@link #file}. */
        boolean written;
        IOException failure;

        Pending(byte[] frame) {
            this.frame = frame;
        }
    }

    SessionWalWriter(SessionWal wal, Durability durability) {
        this.durability = durability;
        switchTo(wal);
    }

    /** Returns once {@code frame} is in the WAL (and forced, under FSYNC). */
    void write(byte[] frame) throws IOException {
        if (durability != Durability.FSYNC) {
            synchronized (file) {
                append(frame);
                dirty = true;
            }
            return;
        }
        Pending mine = new Pending(frame);
        synchronized (queue) {
            queue.add(mine);
        }
        synchronized (file) {
            if (!mine.written && mine.failure == null) {
                writeQueued();
            }
            if (mine.failure != null) {
                throw new IOException(mine.failure.getMessage(), mine.failure);
            }
        }
    }

    /** FSYNC: writes and forces every queued frame as one batch. */
    private void writeQueued() {
        List<Pending> batch;
        synchronized (queue) {
            batch = new ArrayList<>(queue);
            queue.clear();
        }
        int total = 0;
        for (Pending p : batch) {
            total += p.frame.length;
        }
        byte[] all = new byte[total];
        int at = 0;
        for (Pending p : batch) {
            System.arraycopy(p.frame, 0, all, at, p.frame.length);
            at += p.frame.length;
        }
        try {
            append(all);
            wal.force();
            batch.forEach(p -> p.written = true);
        } catch (IOException e) {
            batch.forEach(p -> p.failure = e);
        }
    }

    private void append(byte[] frames) throws IOException {
        if (wal == null) {
            throw new IOException("the session WAL is not open (a snapshot switch failed)");
        }
        wal.append(frames);
        bytes = wal.bytes();
    }

    /** The WAL's length in use. */
    long bytes() {
        return bytes;
    }

    /** FSYNC_BATCHED: forces what was written since the last force. */
    void forceIfDirty() throws IOException {
        synchronized (file) {
            if (dirty && wal != null) {
                wal.force();
                dirty = false;
            }
        }
    }

    /** Closes the current file (the new one is renamed over it next); {@link #switchTo} follows. */
    void closeFile() throws IOException {
        synchronized (file) {
            if (wal != null) {
                wal.close();
                wal = null;
            }
        }
    }

    boolean hasFile() {
        synchronized (file) {
            return wal != null;
        }
    }

    /** Writes from now on go to {@code next}, a fresh WAL already forced (null: none yet). */
    void switchTo(SessionWal next) {
        synchronized (file) {
            wal = next;
            dirty = false;
            bytes = next == null ? 0 : next.bytes();
        }
    }

    /** Rewrites the current file in place as an empty WAL with {@code header}, forced. */
    void restartInPlace(byte[] header) throws IOException {
        synchronized (file) {
            wal.restart(header);
            wal.force();
            dirty = false;
            bytes = wal.bytes();
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (file) {
            if (wal != null) {
                if (durability != Durability.WRITE) {
                    wal.force();
                }
                wal.close();
                wal = null;
            }
        }
    }
}
