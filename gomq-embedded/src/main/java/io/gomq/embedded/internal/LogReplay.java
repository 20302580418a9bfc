package io.gomq.embedded.internal;

import io.gomq.client.Replay;
import io.gomq.client.ReplayFrom;
import io.gomq.client.StoredMessage;
import io.gomq.core.log.LogReader;
import io.gomq.core.log.LogRecord;
import io.gomq.core.log.MessageLog;
import io.gomq.core.topic.Topics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Reads the durable log from a chosen start, keeping to the records whose topic matches a
 * filter, and goes on with records appended later (tailing). The log holds what the broker
 * persists: retained messages and QoS 1/2 messages for persistent sessions. One thread at a time.
 */
final class LogReplay implements Replay {
    private static final long MAX_WAIT_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final LogReader reader;
    private final String filter;
    private volatile boolean closed;

    LogReplay(LogReader reader, String filter) {
        this.reader = reader;
        this.filter = filter;
    }

    /** {@return the offset in {@code log} where a replay from {@code from} starts} */
    static long resolve(ReplayFrom from, MessageLog log) {
        switch (from.kind()) {
            case EARLIEST: return log.startOffset();
            case LATEST: return log.endOffset();
            case OFFSET: return Math.max(from.value(), log.startOffset());
            default: return log.offsetForTimestamp(from.value());
        }
    }

    @Override
    public StoredMessage poll(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long step = TimeUnit.MICROSECONDS.toNanos(50);
        while (!closed) {
            LogRecord r;
            while ((r = reader.next()) != null) {
                if (Topics.matches(filter, r.message().topic())) {
                    return new StoredMessage(r.offset(), CoreMessages.toApi(r.message()));
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

    @Override
    public long position() {
        return reader.position();
    }

    @Override
    public void close() {
        closed = true;
        reader.close();
    }
}
