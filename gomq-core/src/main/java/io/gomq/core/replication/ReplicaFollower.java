package io.gomq.core.replication;

import io.gomq.core.log.MessageLog;
import io.gomq.core.replication.SyncPacket.SyncAck;
import io.gomq.core.replication.SyncPacket.SyncOffset;
import io.gomq.core.replication.SyncPacket.SyncReq;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member's side of replication, independent of any transport: builds SYNCREQs from the
 * log's end, applies SYNCACKs (fencing, truncation, append with the leader's offsets) and
 * answers with the SYNCOFFSET to report.
 *
 * <p>Thread rules: one replication thread drives it; {@link #lag()} and the getters may be read
 * from any thread.
 */
public final class ReplicaFollower {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaFollower.class);

    private final MessageLog log;
    private final String nodeId;
    private final EpochStore epochs;
    private final int maxBatchBytes;
    private volatile long minEpoch;
    private volatile long leaderEnd;
    private volatile long highWatermark;
    private volatile long truncations;

    public ReplicaFollower(MessageLog log, String nodeId, EpochStore epochs, int maxBatchBytes) {
        this.log = log;
        this.nodeId = nodeId;
        this.epochs = epochs;
        this.maxBatchBytes = maxBatchBytes;
    }

    /**
     * The lowest leader epoch this member accepts a stream from (the epoch of the leader it was
     * told to follow); a SYNCACK of an older epoch is refused.
     */
    public void minEpoch(long epoch) {
        this.minEpoch = epoch;
    }

    public long minEpoch() {
        return minEpoch;
    }

    /** A request from the log's end, asking the leader to stream (see {@link SyncReq#stream()}). */
    public SyncReq request() {
        return new SyncReq(nodeId, epochs.epoch(), log.endOffset(), maxBatchBytes, true);
    }

    /**
     * Applies one SYNCACK. Returns the SYNCOFFSET to send (the log's new end). Throws
     * {@link FencedException} for a stream from an epoch older than {@link #minEpoch()} or than
     * the epoch of records already stored.
     */
    public SyncOffset apply(SyncAck ack) {
        long known = Math.max(minEpoch, epochs.epoch());
        if (ack.epoch() < known) {
            throw new FencedException("refusing a replication stream from an older leader", known, ack.epoch());
        }
        leaderEnd = ack.leaderEnd();
        highWatermark = ack.highWatermark();
        if (ack.truncateTo() >= 0) {
            if (ack.truncateTo() < log.endOffset()) {
                LOG.warn("truncating the log from {} to {}: records of epoch {} the new leader (epoch {}) never had",
                        log.endOffset(), ack.truncateTo(), epochs.epoch(), ack.epoch());
                log.truncateTo(ack.truncateTo());
                truncations++;
            }
            return new SyncOffset(log.endOffset(), SyncOffset.idOf(nodeId), ack.epoch());
        }
        // the records from here on are the new leader's: note its epoch before the first append
        epochs.epoch(ack.epoch());
        long end = ack.records().isEmpty() ? log.endOffset() : log.appendReplicated(ack.records());
        return new SyncOffset(end, SyncOffset.idOf(nodeId), ack.epoch());
    }

    /** The leader's end minus ours, as of the last SYNCACK. */
    public long lag() {
        return Math.max(0, leaderEnd - log.endOffset());
    }

    public long leaderEnd() {
        return leaderEnd;
    }

    public long highWatermark() {
        return highWatermark;
    }

    public long truncations() {
        return truncations;
    }

    public long epoch() {
        return epochs.epoch();
    }
}
