package io.gomq.core.replication;

/**
 * Tuning of the replication stream and of the in-sync set.
 *
 * @param minInsync      members (besides the leader) that must hold a record before {@link ReplicationLeader#awaitReplicated}
 *                       completes; {@link #ALL_IN_SYNC}: every member currently in the in-sync set (the leader alone when none is)
 * @param maxLagRecords  a member further behind the leader's end than this drops out of the in-sync set
 * @param maxLagMs       a member silent for longer than this drops out of the in-sync set
 * @param maxBatchBytes  the most raw record bytes per SYNCACK
 * @param heartbeatMs    how long the leader holds a SYNCREQ open when there is nothing new (an empty SYNCACK then)
 */
public record ReplicationSettings(int minInsync, long maxLagRecords, long maxLagMs, int maxBatchBytes, long heartbeatMs) {
    /** {@link #minInsync}: wait for every in-sync member (Kafka's acks=all over the in-sync set). */
    public static final int ALL_IN_SYNC = -1;


    public static ReplicationSettings defaults() {
        return new ReplicationSettings(0, 10_000, 5_000, 1 << 20, 200);
    }

    public ReplicationSettings minInsync(int n) {
        return new ReplicationSettings(n, maxLagRecords, maxLagMs, maxBatchBytes, heartbeatMs);
    }

    public ReplicationSettings maxLagRecords(long n) {
        return new ReplicationSettings(minInsync, n, maxLagMs, maxBatchBytes, heartbeatMs);
    }

    public ReplicationSettings maxLagMs(long ms) {
        return new ReplicationSettings(minInsync, maxLagRecords, ms, maxBatchBytes, heartbeatMs);
    }

    public ReplicationSettings maxBatchBytes(int n) {
        return new ReplicationSettings(minInsync, maxLagRecords, maxLagMs, n, heartbeatMs);
    }

    public ReplicationSettings heartbeatMs(long ms) {
        return new ReplicationSettings(minInsync, maxLagRecords, maxLagMs, maxBatchBytes, ms);
    }
}
