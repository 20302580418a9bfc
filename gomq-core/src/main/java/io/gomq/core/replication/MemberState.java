package io.gomq.core.replication;

/**
 * What the leader knows about one member.
 *
 * @param nodeId          the member's node id
 * @param offset          the member's reported log end (it holds every record below)
 * @param lag             the leader's log end minus {@code offset}
 * @param inSync          whether it counts for {@link ReplicationLeader#awaitReplicated}
 * @param sinceContactMs  milliseconds since its last packet
 * @param connected       whether a replication connection from it is open
 */
public record MemberState(String nodeId, long offset, long lag, boolean inSync, long sinceContactMs, boolean connected) {
}
