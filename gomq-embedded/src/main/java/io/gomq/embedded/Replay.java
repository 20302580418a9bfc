package io.gomq.embedded;

import io.gomq.core.log.LogReader;
import io.gomq.core.log.LogRecord;
import io.gomq.core.topic.Topics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads the durable log from a chosen start, keeping to the records whose topic matches a
 * filter, and goes on with records appended later (tailing). The log holds what the broker
 * persists: retained messages and QoS 1/2 messages for persistent sessions. One thread at a time.
 */
public final class Replay implements AutoCloseable {
    private static final long MAX_WAIT_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final LogReader reader;
    private final String filter;
    private volatile boolean closed;

    Replay(LogReader reader, String filter) {
        this.reader = reader;
        this.filter = filter;
    }

    /**
     * The next matching record, waiting up to {@code timeout} for one to be appended.
     *
     * @param timeout how long to wait when the log has nothing more yet
     * @return the record, or null on timeout or close
     */
    public StoredMessage poll(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long step = TimeUnit.MICROSECONDS.toNanos(50);
        while (!closed) {
            LogRecord r;
            while ((r = reader.next()) != null) {
                if (Topics.matches(filter, r.message().topic())) {
                    return new StoredMessage(r.offset(), r.message().withOffset(r.offset()));
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            LockSupport.parkNanos(Math.min(left, step)); // caught up: back off until something is appended
            step = Math.min(step * 2, MAX_WAIT_STEP_NANOS);
        }
        return null;
    }

    /** {@return the offset the next poll starts looking at} */
    public long position() {
        return reader.position();
    }

    @Override
    public void close() {
        closed = true;
        reader.close();
    }
}
