package io.gomq.core.log;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.message.Message;

import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The durable log: one global sequence of records for all topics, each with a stable offset.
 *
 * <p>Thread rules: every method may be called from any thread. {@link #append} calls are
 * serialised inside (one writer at a time); readers never block the writer. A {@link LogReader}
 * belongs to one thread at a time.
 */
public interface MessageLog extends AutoCloseable {

    /** Opens (creating or recovering) the log under {@code config.dataDir()/log}. */
    static MessageLog open(BrokerConfig config) {
        return ChronicleMessageLog.open(config);
    }

    /**
     * Appends {@code m}; returns its offset once the record is durable per the configured
     * durability. A retained message with an empty payload is a tombstone: it deletes the
     * topic's retained message.
     */
    long append(Message m);

    /**
     * Appends all of {@code batch} in order under one lock and, with FSYNC, one sync. Returns
     * the offset of the first; the others follow contiguously.
     */
    long append(List<Message> batch);

    /** The offset of the oldest record still stored (or {@link #endOffset()} when empty). */
    long startOffset();

    /** The offset the next append will get; every acknowledged record has a smaller one. */
    long endOffset();

    /** A cursor over all topics from {@code fromOffset} (clamped to the start) that keeps tailing new appends. */
    LogReader reader(long fromOffset);

    default LogReader readerFromEarliest() {
        return reader(startOffset());
    }

    default LogReader readerFromLatest() {
        return reader(endOffset());
    }

    /** Up to {@code limit} records of {@code topic} with offset >= {@code fromOffset}, oldest first. */
    List<LogRecord> readTopic(String topic, long fromOffset, int limit);

    /** The first offset whose record has a timestamp >= {@code epochMillis}; {@link #endOffset()} if none. */
    long offsetForTimestamp(long epochMillis);

    /** The current retained message of {@code topic}, or null. */
    LogRecord retained(String topic);

    /** The current retained message of every topic that matches {@code filter} (MQTT wildcards). */
    List<LogRecord> retainedMatching(String filter);

    /** Number of topics with a retained message. */
    int retainedCount();

    /**
     * Compaction never removes a record at or above the offset this supplies. The engine sets it
     * to the lowest committed offset of its persistent sessions so compaction cannot take a
     * QoS>=1 message a session has still to receive. Default: no limit.
     */
    void compactionFloor(LongSupplier floor);

    /** Runs one compaction pass now (on the caller's thread); returns what it did. */
    CompactionResult compactNow();

    /** Rolls the head segment if it holds records and applies retention now. Returns segments deleted. */
    int enforceRetentionNow();

    /** Forces a new head segment if the current one holds any record (tests, admin). */
    void roll();

    LogStats stats();

    /** Per-topic record counts in the index (records of compacted-away offsets may still count). */
    Map<String, Integer> topicIndexSizes();

    @Override
    void close();
}
