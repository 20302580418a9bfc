package io.gomq.core.log.segment;

/**
 * Reads the raw records of one segment in offset order. After {@link #next()} returned true,
 * the record is {@code bytes()[from(), from()+length())}. Not thread-safe.
 */
public interface SegmentCursor extends AutoCloseable {

    /** Advances to the next valid record with offset >= the sought one; false when none (yet). */
    boolean next();

    /** Positions before the first record with offset >= {@code offset}. */
    void seek(long offset);

    /** True once no record will ever follow (a sealed segment exhausted, or its corrupt tail reached). */
    boolean exhausted();

    byte[] bytes();

    int from();

    int length();

    long offset();

    @Override
    void close();
}
