package io.gomq.core.session.store;

import io.gomq.core.config.Durability;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The WAL file as the session store's writer uses it: batches of frames written, a force per
 * batch under FSYNC ({@link #sync}: only when something was written since), a background force
 * under FSYNC_BATCHED ({@link #forceIfDirty}), and the switch to the file of a new snapshot.
 *
 * <p>Thread rules: {@link SessionStoreWriter}'s thread (the opening thread before it starts),
 * plus {@link #forceIfDirty} on the batched-fsync thread; {@link #fileLock} serializes them. No
 * network thread ever takes it.
 */
final class SessionWalWriter implements AutoCloseable {
    private final Durability durability;
    /** Held while the file is written, forced or switched. */
    private final ReentrantLock fileLock = new ReentrantLock();
    /** Guarded by {@link #fileLock}. */
    private SessionWal wal;
    /** Written, not yet forced (FSYNC_BATCHED); guarded by {@link #fileLock}. */
    private boolean dirty;
    /** FSYNC: written since the last force; guarded by {@link #fileLock}. */
    private boolean unforced;
    /** Forces by {@link #sync}; written under {@link #fileLock}, read without it. */
    private volatile long forces;
    /** The WAL's length in use, read without the lock. */
    private volatile long bytes;

    SessionWalWriter(SessionWal wal, Durability durability) {
        this.durability = durability;
        switchTo(wal);
    }

    /** The lock around every use of the file (tests hold it to stall the writer). */
    ReentrantLock fileLock() {
        return fileLock;
    }

    /** Returns once {@code length} bytes of whole frames are in the WAL; under FSYNC, {@link #sync} forces them. */
    void write(byte[] frames, int length) throws IOException {
        fileLock.lock();
        try {
            if (wal == null) {
                throw new IOException("the session WAL is not open (a snapshot switch failed)");
            }
            wal.append(frames, length);
            bytes = wal.bytes();
            dirty = true;
            unforced = durability == Durability.FSYNC;
        } finally {
            fileLock.unlock();
        }
    }

    /** FSYNC: forces every frame written so far, once (a no-op when nothing was written since). */
    void sync() throws IOException {
        fileLock.lock();
        try {
            if (unforced && wal != null) {
                wal.force();
                forces++;
                unforced = false;
                dirty = false;
            }
        } finally {
            fileLock.unlock();
        }
    }

    /** Forces done by {@link #sync}. */
    long forces() {
        return forces;
    }

    /** The WAL's length in use. */
    long bytes() {
        return bytes;
    }

    /** FSYNC_BATCHED: forces what was written since the last force. */
    void forceIfDirty() throws IOException {
        fileLock.lock();
        try {
            if (dirty && wal != null) {
                wal.force();
                dirty = false;
            }
        } finally {
            fileLock.unlock();
        }
    }

    /** Closes the current file (the new one is renamed over it next); {@link #switchTo} follows. */
    void closeFile() throws IOException {
        fileLock.lock();
        try {
            if (wal != null) {
                wal.close();
                wal = null;
            }
        } finally {
            fileLock.unlock();
        }
    }

    boolean hasFile() {
        fileLock.lock();
        try {
            return wal != null;
        } finally {
            fileLock.unlock();
        }
    }

    /** Writes from now on go to {@code next}, a fresh WAL already forced (null: none yet). */
    void switchTo(SessionWal next) {
        fileLock.lock();
        try {
            wal = next;
            dirty = false;
            unforced = false;
            bytes = next == null ? 0 : next.bytes();
        } finally {
            fileLock.unlock();
        }
    }

    /** Rewrites the current file in place as an empty WAL with {@code header}, forced. */
    void restartInPlace(byte[] header) throws IOException {
        fileLock.lock();
        try {
            wal.restart(header);
            wal.force();
            dirty = false;
            unforced = false;
            bytes = wal.bytes();
        } finally {
            fileLock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        fileLock.lock();
        try {
            if (wal != null) {
                if (durability != Durability.WRITE) {
                    wal.force();
                }
                wal.close();
                wal = null;
            }
        } finally {
            fileLock.unlock();
        }
    }
}
