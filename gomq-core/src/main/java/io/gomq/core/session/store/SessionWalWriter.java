package io.gomq.core.session.store;

import io.gomq.core.config.Durability;

import java.io.IOException;

/**
 * Writes the WAL frames of many sessions' threads; each {@link #write} returns once its frame is
 * in the file. Only the file write itself is serialized: frames are encoded, and sessions'
 * memory changed, outside of it.
 *
 * <p>Under FSYNC the force is a group commit: writes only mark the file unforced, and
 * {@link #sync} forces once for every frame written before it, from whichever session. The
 * engine syncs before a packet that depends on a write leaves the broker (the end of a
 * session's drain, before a connection flushes its acknowledgements), so one force covers a
 * whole drain, and every session writing meanwhile, instead of one force per update.
 *
 * <p>Design note: a write is a few microseconds and each thread writes its own frame under the
 * file's monitor: handing frames to a writer thread costs more in wake-ups than it saves, as
 * measured with {@code SessionStoreCommitBenchmark} on two cores.
 *
 * <p>Thread rules: {@link #write} and {@link #sync} from any thread; {@link #switchTo},
 * {@link #restartInPlace} and {@link #close} while no write runs (the store's exclusive lock).
 */
final class SessionWalWriter implements AutoCloseable {
    private final Durability durability;
    /** Held while the file is written or forced. */
    private final Object file = new Object();
    /** Guarded by {@link #file}. */
    private SessionWal wal;
    /** Written, not yet forced (FSYNC_BATCHED); guarded by {@link #file}. */
    private boolean dirty;
    /** FSYNC: written since the last force; read without the lock so that a sync with nothing to do costs nothing. */
    private volatile boolean unforced;
    /** Forces by {@link #sync}; guarded by {@link #file}. */
    private long forces;
    /** The WAL's length in use, read without the lock. */
    private volatile long bytes;

    SessionWalWriter(SessionWal wal, Durability durability) {
        this.durability = durability;
        switchTo(wal);
    }

    /** Returns once {@code frame} is in the WAL; under FSYNC, {@link #sync} forces it. */
    void write(byte[] frame) throws IOException {
        synchronized (file) {
            append(frame);
            dirty = true;
            unforced = durability == Durability.FSYNC;
        }
    }

    /** FSYNC: forces every frame written so far, once (a no-op when nothing was written since). */
    void sync() throws IOException {
        if (!unforced) {
            return;
        }
        synchronized (file) {
            if (unforced && wal != null) {
                wal.force();
                forces++;
                unforced = false;
                dirty = false;
            }
        }
    }

    /** Forces done by {@link #sync}. */
    long forces() {
        synchronized (file) {
            return forces;
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
            unforced = false;
            bytes = next == null ? 0 : next.bytes();
        }
    }

    /** Rewrites the current file in place as an empty WAL with {@code header}, forced. */
    void restartInPlace(byte[] header) throws IOException {
        synchronized (file) {
            wal.restart(header);
            wal.force();
            dirty = false;
            unforced = false;
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
