package io.gomq.core.session.store;

import io.gomq.core.config.Durability;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes the WAL frames of many sessions' threads as a group commit: a thread queues its frame,
 * and whichever thread holds the file next writes every queued frame with one {@code write(2)}
 * (and one force under FSYNC), then each waiting thread returns, once its own frame is in the
 * file. So an update is in the WAL when its call returns, as with one write per update, while
 * concurrent sessions share the write and the force instead of queueing behind one another's.
 *
 * <p>Design note: no writer thread of its own (the caller that finds the file free writes for
 * the others, as RocksDB's write-group leader does), so a lone update costs no hand-off. The
 * queue holds at most one frame per thread blocked in {@link #write}: bounded by the callers.
 * A batch that cannot be written (no space to allocate) fails every update in it, before any of
 * its bytes reaches the file ({@link SessionWal#append}).
 *
 * <p>Thread rules: {@link #write} from any thread; {@link #switchTo}, {@link #restartInPlace}
 * and {@link #close} while no write runs (the store's exclusive lock).
 */
final class SessionWalWriter implements AutoCloseable {
    private final Durability durability;
    private final ReentrantLock file = new ReentrantLock();
    private final List<Pending> queue = new ArrayList<>();
    /** Guarded by {@link #file}. */
    private SessionWal wal;
    /** Written, not yet forced (FSYNC_BATCHED); guarded by {@link #file}. */
    private boolean dirty;

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
        this.wal = wal;
        this.durability = durability;
    }

    /** Returns once {@code frame} is in the WAL (and forced, under FSYNC). */
    void write(byte[] frame) throws IOException {
        Pending mine = new Pending(frame);
        synchronized (queue) {
            queue.add(mine);
        }
        file.lock();
        try {
            if (!mine.written && mine.failure == null) {
                writeQueued();
            }
            if (mine.failure != null) {
                throw new IOException(mine.failure.getMessage(), mine.failure);
            }
        } finally {
            file.unlock();
        }
    }

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
            wal.append(all);
            if (durability == Durability.FSYNC) {
                wal.force();
            } else {
                dirty = true;
            }
            batch.forEach(p -> p.written = true);
        } catch (IOException e) {
            batch.forEach(p -> p.failure = e);
        }
    }

    /** The WAL's length in use. */
    long bytes() {
        file.lock();
        try {
            return wal.bytes();
        } finally {
            file.unlock();
        }
    }

    /** FSYNC_BATCHED: forces what was written since the last force. */
    void forceIfDirty() throws IOException {
        file.lock();
        try {
            if (dirty && wal != null) {
                wal.force();
                dirty = false;
            }
        } finally {
            file.unlock();
        }
    }

    /** Closes the current file (the new one is renamed over it next); {@link #switchTo} follows. */
    void closeFile() throws IOException {
        file.lock();
        try {
            if (wal != null) {
                wal.close();
                wal = null;
            }
        } finally {
            file.unlock();
        }
    }

    boolean hasFile() {
        file.lock();
        try {
            return wal != null;
        } finally {
            file.unlock();
        }
    }

    /** Writes from now on go to {@code next}, a fresh WAL already forced. */
    void switchTo(SessionWal next) {
        file.lock();
        try {
            wal = next;
            dirty = false;
        } finally {
            file.unlock();
        }
    }

    /** Rewrites the current file in place as an empty WAL with {@code header}, forced. */
    void restartInPlace(byte[] header) throws IOException {
        file.lock();
        try {
            wal.restart(header);
            wal.force();
            dirty = false;
        } finally {
            file.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        file.lock();
        try {
            if (wal != null) {
                if (durability != Durability.WRITE) {
                    wal.force();
                }
                wal.close();
                wal = null;
            }
        } finally {
            file.unlock();
        }
    }
}
