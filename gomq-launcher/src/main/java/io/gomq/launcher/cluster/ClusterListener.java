package io.gomq.launcher.cluster;

/**
 * Role changes of a {@link ClusterNode}, called on the node's coordinator thread (keep them
 * short; never block on the cluster from inside).
 */
public interface ClusterListener {
    /** This node won the election: accept clients and writes. The log left replica mode before this call. */
    default void onBecomeLeader(long epoch) {
    }

    /**
     * This node follows the leader at {@code leaderMqttEndpoint}: refuse client CONNECTs with
     * CONNACK 3 (server unavailable). The log is in replica mode (appends throw).
     */
    default void onBecomeMember(String leaderMqttEndpoint, long epoch) {
    }

    /**
     * This node was leader and must stop accepting writes at once (its lease was lost or a newer
     * leader exists). The log is already in replica mode; pending {@code awaitReplicated} futures have failed.
     */
    default void onStepDown(long epoch, String reason) {
    }

    ClusterListener NONE = new ClusterListener() {
    };
}
