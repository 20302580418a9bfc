/**
 * Leader to member replication of the log, without sockets: {@link io.gomq.core.replication.SyncCodec}
 * (the packets as ByteBuffers), {@link io.gomq.core.replication.ReplicationLeader} and
 * {@link io.gomq.core.replication.ReplicaFollower}. The launcher carries the packets over its
 * replication listener (a port of its own: a first byte of 250-252 is MQTT type 15, which
 * the MQTT decoder rejects) and elects the leader through etcd.
 *
 * <h2>Packets</h2>
 * Fixed header as MQTT: byte 0 = type, then the remaining length (MQTT variable-length
 * integer, 1-4 bytes), then the body, big endian:
 * <pre>
 * SYNCREQ    250  u16 nodeIdLength, nodeId UTF-8, i64 lastEpoch, i64 fromOffset, i32 maxBytes,
 *                 then an optional u8 flags: 1 = stream (absent: a pull, one SYNCACK)
 * SYNCACK    251  i64 epoch, i64 leaderEnd, i64 highWatermark, i64 truncateTo (-1 = none),
 *                 i32 recordCount, i32 rawLength, i32 compressedLength, then rawLength bytes
 *                 LZ4-compressed into one block (or as they are when LZ4 does not shrink
 *                 them: compressedLength = rawLength):
 *                 recordCount x (i32 length, record in the log's layout with its CRC32C)
 * SYNCOFFSET 252  i64 offset, u16 memberId (GoMQ's 8 + 2 bytes), i64 epoch
 * </pre>
 * Flow: the member sends SYNCREQ from its log end; the leader answers one SYNCACK (records,
 * an empty heartbeat after {@code heartbeatMs}, or a truncation order); the member appends
 * with the leader's offsets and sends SYNCOFFSET. A pull then sends the next SYNCREQ; a stream
 * (the flag, what members send) gets the following SYNCACKs as records arrive
 * ({@link io.gomq.core.replication.ReplicationLeader.Connection#next}) and answers each with a
 * SYNCOFFSET; after a truncation order the member asks again. The records travel as
 * the leader's log stores them ({@link io.gomq.core.log.RecordBatch}): the leader copies them out
 * of its segments and the member checks each CRC32C once and writes them as they came.
 *
 * <h2>Epochs and truncation</h2>
 * Each member stores the epoch of the leader whose records its log ends with
 * ({@link io.gomq.core.replication.EpochStore}). The leader knows when every epoch started
 * ({@link io.gomq.core.replication.EpochHistory}); a member whose log runs beyond the end of
 * its epoch holds a suffix its old leader never replicated and is told to truncate it.
 */
package io.gomq.core.replication;
