package io.gomq.core.replication;

import io.gomq.core.log.RecordBatch;

/**
 * The replication packets, kept from GoMQ and extended (see package docs for the byte layout).
 * They travel on the replication listener only, never on the MQTT port.
 */
public sealed interface SyncPacket {
    int SYNCREQ = 250;
    int SYNCACK = 251;
    int SYNCOFFSET = 252;

    int type();

    /**
     * Member to leader: "send me records from {@code fromOffset}".
     *
     * @param nodeId     the member's node id
     * @param lastEpoch  the epoch of the leader that wrote the member's newest records (0: none yet)
     * @param fromOffset the member's log end: the first offset it lacks
     * @param maxBytes   the most raw record bytes it wants in one SYNCACK
     * @param stream     whether the leader should keep sending SYNCACKs as records arrive after
     *                   its first (non-truncating) answer, without waiting for further SYNCREQs
     */
    record SyncReq(String nodeId, long lastEpoch, long fromOffset, int maxBytes, boolean stream) implements SyncPacket {
        /** A pull request: one SYNCACK answers it. */
        public SyncReq(String nodeId, long lastEpoch, long fromOffset, int maxBytes) {
            this(nodeId, lastEpoch, fromOffset, maxBytes, false);
        }

        @Override
        public int type() {
            return SYNCREQ;
        }
    }

    /**
     * Leader to member: a batch of records with the leader's offsets (empty = heartbeat), or an
     * order to truncate first ({@code truncateTo >= 0}, no records).
     *
     * @param epoch         the leader's epoch (fencing: a member refuses an older one)
     * @param leaderEnd     the leader's log end when the batch was cut (the member's lag is measured against it)
     * @param highWatermark the offset below which records are on the required number of in-sync members
     * @param truncateTo    -1, or the offset the member must truncate its log to before it asks again
     * @param records       the records as stored, ascending offsets, possibly with gaps (compaction)
     */
    record SyncAck(long epoch, long leaderEnd, long highWatermark, long truncateTo, RecordBatch records)
            implements SyncPacket {
        public static final long NO_TRUNCATE = -1;

        @Override
        public int type() {
            return SYNCACK;
        }
    }

    /**
     * Member to leader: "my log ends at {@code offset}" (GoMQ: 8-byte offset + 2-byte id), plus
     * the epoch the member follows.
     */
    record SyncOffset(long offset, short memberId, long epoch) implements SyncPacket {
        @Override
        public int type() {
            return SYNCOFFSET;
        }

        /** GoMQ's 2-byte member id, derived from the node id (the connection's SYNCREQ names the node). */
        public static short idOf(String nodeId) {
            return (short) nodeId.hashCode();
        }
    }
}
