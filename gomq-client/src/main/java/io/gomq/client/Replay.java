package io.gomq.client;

import java.time.Duration;

/**
 * Reads the durable log from a chosen start ({@link ReplayFrom}), keeping to the records whose
 * topic matches a filter, and goes on with records appended later (tailing). The log holds what
 * the broker persists: retained messages and QoS 1/2 messages for persistent sessions. One thread
 * at a time.
 */
public interface Replay extends AutoCloseable {

    /**
     * The next matching record, waiting up to {@code timeout} for one to be appended.
     *
     * @param timeout how long to wait when the log has nothing more yet
     * @return the record, or null on timeout or close
     */
    StoredMessage poll(Duration timeout);

    /** {@return the offset the next poll starts looking at} */
    long position();

    /** Stops reading. */
    @Override
    void close();
}
