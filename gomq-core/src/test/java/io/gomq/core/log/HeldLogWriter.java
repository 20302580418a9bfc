package io.gomq.core.log;

import io.gomq.testing.HeldLock;

/** Tests: a slow store, the log's writer stalled at its next batch (nothing queued is stored). */
public final class HeldLogWriter {
    private HeldLogWriter() {
    }

    /** Holds the log's write lock on a thread of its own; returns once it is held. */
    public static HeldLock hold(MessageLog log) throws InterruptedException {
        return HeldLock.hold(((ChronicleMessageLog) log).writeLock(), "test-held-log-writer");
    }
}
