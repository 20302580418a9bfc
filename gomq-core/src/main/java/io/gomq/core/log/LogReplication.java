package io.gomq.core.log;

import java.nio.file.Path;

/**
 * The replication side of {@link ChronicleMessageLog}: a member stores the leader's records
 * with the leader's offsets ({@link MessageLog#appendReplicated}), refuses its own appends in
 * replica mode, and a returning old leader drops the suffix it never replicated
 * ({@link MessageLog#truncateTo}, done by {@link LogTruncation}).
 *
 * <p>Thread rules: any thread. Writes take the log's write lock like {@code append}; a
 * truncation also takes the maintenance lock so no compaction or retention runs meanwhile.
 */
final class LogReplication {
    private final ChronicleMessageLog log;
    private final Path dir;
    private final RetiredSegments retired;
    private final GroupCommit commit;
    private volatile boolean replica;

    LogReplication(ChronicleMessageLog log, Path dir, RetiredSegments retired, GroupCommit commit) {
        this.log = log;
        this.dir = dir;
        this.retired = retired;
        this.commit = commit;
    }

    /** See {@link MessageLog#appendReplicated}: the records are written as they came, none decoded. */
    long appendReplicated(RecordBatch batch) {
        long last = -1;
        byte[] b = batch.array();
        int length = batch.length();
        log.writeLock().lock();
        try {
            log.checkOpen();
            for (int p = 0; p < length; ) {
                int n = RecordBatch.lengthAt(b, p);
                int record = p + 4;
                p = record + n;
                if (RecordCodec.offset(b, record) < log.nextOffset()) {
                    continue; // stored already: a re-sent batch
                }
                log.maybeRoll(RecordCodec.timestamp(b, record));
                last = log.writeStored(b, record, n);
            }
            if (last >= 0) {
                commit.acknowledgeWritten();
            }
        } finally {
            log.writeLock().unlock();
        }
        if (last >= 0) {
            commit.awaitDurable(last);
        }
        return log.endOffset();
    }

    void replicaMode(boolean on) {
        log.writeLock().lock();
        try {
            replica = on;
        } finally {
            log.writeLock().unlock();
        }
    }

    boolean replicaMode() {
        return replica;
    }

    /** Under the write lock: an append of the log's own is refused in replica mode. */
    void checkWritable() {
        if (replica) {
            throw new LogException("log " + dir + " is a replica (cluster member): only the leader takes writes");
        }
    }

    void truncateTo(long offset) {
        log.maintenanceLock().lock();
        try {
            log.writeLock().lock();
            try {
                log.checkOpen();
                if (offset >= log.nextOffset()) {
                    return;
                }
                new LogTruncation(log, retired).truncate(Math.max(0, offset));
            } finally {
                log.writeLock().unlock();
            }
        } finally {
            log.maintenanceLock().unlock();
        }
    }
}
