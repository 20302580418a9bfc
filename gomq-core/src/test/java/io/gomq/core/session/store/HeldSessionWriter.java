package io.gomq.core.session.store;

import io.gomq.testing.HeldLock;

/** Tests: a slow disk under the session store, its writer stalled at its next batch (nothing queued is written). */
public final class HeldSessionWriter {
    private HeldSessionWriter() {
    }

    /** Holds the lock around the WAL file on a thread of its own; returns once it is held. */
    public static HeldLock hold(SessionStore store) throws InterruptedException {
        return HeldLock.hold(store.fileLock(), "test-held-session-writer");
    }
}
