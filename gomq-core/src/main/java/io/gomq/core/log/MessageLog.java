package io.gomq.core.log;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.message.Message;
import io.gomq.core.queue.Pacer;

import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The durable log: one global sequence of records for all topics, each with a stable offset.
 *
 * <p>Thread rules: every method may be called from any thread. {@link #append} calls are
 * serialised inside (one writer at a time); {@link #appendAsync} hands the record to the log's
 * own writer thread; readers never block the writer. A {@link LogReader}
 * belongs to one thread at a time.
 */
public interface MessageLog extends AutoCloseable {

    /** Opens (creating or recovering) the log under {@code config.dataDir()/log}. */
    static MessageLog open(BrokerConfig config) {
        return ChronicleMessageLog.open(config);
    }

    /**
     * Opens the log with {@code compactionFloor} (see {@link #compactionFloor}) in force before its
     * maintenance thread starts: an owner that restores its sessions after opening passes a floor
     * that keeps everything until they are back.
     */
    static MessageLog open(BrokerConfig config, LongSupplier compactionFloor) {
        return ChronicleMessageLog.open(config, compactionFloor);
    }

    /**
     * Appends {@code m}; returns its offset once the record is durable per the configured
     * durability. A retained message with an empty payload is a tombstone: it deletes the
     * topic's retained message.
     */
    long append(Message m);

    /**
     * Hands {@code append} to the log's single writer and returns at once: the writer appends it
     * with whatever else is queued, forces once per batch under FSYNC, then runs
     * {@link LogAppend#onStored} on its own thread, in offset order, and completes the future.
     * A publisher offering while the writer's queue is above its high watermark is paced
     * ({@code pacer}, null for none).
     *
     * @throws DiskFullException when the disk is below its reserve now (nothing queued)
     * @throws LogException      when the log is a replica or closed (nothing queued)
     */
    void appendAsync(LogAppend append, Pacer pacer);

    /**
     * Appends all of {@code batch} in order under one lock and, with FSYNC, one sync, on the
     * caller's thread. Returns
     * the offset of the first; the others follow contiguously.
     */
    long append(List<Message> batch);

    /**
     * Replication, member side: stores each record of {@code batch} with the offset the leader
     * gave it, so offsets are identical on every node. Records below {@link #endOffset()} are
     * already stored and skipped (a re-sent batch is harmless); a record above it leaves a gap,
     * as compaction on the leader does. Offsets within the batch must increase. Returns the new
     * {@link #endOffset()} once the records are durable per the configured durability.
     */
    long appendReplicated(RecordBatch batch);

    /** {@link #appendReplicated(RecordBatch)} of decoded records (tests, tools). */
    default long appendReplicated(List<LogRecord> batch) {
        return appendReplicated(RecordBatch.of(batch));
    }

    /**
     * Replication: removes every record with an offset >= {@code offset} (a returning old leader
     * drops the suffix it never replicated before it follows the new leader). Durable: a restart
     * does not bring the records back. The next append gets {@code offset}. Readers positioned
     * beyond the cut must {@link LogReader#seek} back; nothing else may append meanwhile.
     */
    void truncateTo(long offset);

    /**
     * Replica mode (a cluster member): {@link #append} throws {@link LogException} so a deposed
     * leader cannot take writes, and retention does not re-append retained messages (the
     * leader's re-appended copies arrive through replication with the leader's offsets).
     */
    void replicaMode(boolean replica);

    boolean replicaMode();

    /** The offset of the oldest record still stored (or {@link #endOffset()} when empty). */
    long startOffset();

    /** The offset the next append will get; every acknowledged record has a smaller one. */
    long endOffset();

    /**
     * Runs {@code listener} whenever {@link #endOffset()} has moved: once per write (a batch of the
     * single writer, a direct append, a replicated batch), on the writing thread, outside the log's
     * locks. It must be quick and must not block (wake a thread, set a flag).
     */
    void addAppendListener(Runnable listener);

    void removeAppendListener(Runnable listener);

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

    /**
     * The free space of the log's file system against its reserve: below it appends throw
     * {@link DiskFullException}. Null for a log that does not watch it.
     */
    default DiskSpace diskSpace() {
        return null;
    }

    /** Per-topic record counts in the index (compacted-away records are forgotten when their segment is replaced). */
    Map<String, Integer> topicIndexSizes();

    @Override
    void close();
}
