package io.gomq.core.log;

/**
 * A sequential cursor over every topic, oldest first, that also sees records appended after
 * it was created (tailing). Not thread-safe: use it from one thread at a time.
 */
public interface LogReader extends AutoCloseable {

    /** The next record, or null when the reader has caught up with the log's end (try again later). */
    LogRecord next();

    /**
     * Appends the next records as they are stored to {@code batch} while it holds fewer than
     * {@code maxBytes} bytes (so at least one record when it starts empty) and records are there;
     * returns how many it added. Replication uses it: no record is decoded.
     */
    int readInto(RecordBatch batch, int maxBytes);

    /** The offset the next call to {@link #next()} looks for: one past the last record returned. */
    long position();

    /** Moves the cursor; later {@link #next()} calls return records with offset >= {@code offset}. */
    void seek(long offset);

    @Override
    void close();
}
