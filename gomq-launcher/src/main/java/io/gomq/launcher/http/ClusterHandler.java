package io.gomq.launcher.http;

import io.gomq.launcher.NodeStatus;

import java.util.List;
import java.util.function.Supplier;

/**
 * GET /cluster: this node's view of the cluster, {@code {"role":"leader","nodeId":..,
 * "leader":"host:port","epoch":7,"members":[{"nodeId":..,"endpoint":..,"offset":..,"lag":..,
 * "inSync":true}]}}. A standalone broker answers role "standalone", leader null, no members.
 */
final class ClusterHandler implements ApiHandler {
    private final Supplier<NodeStatus> status;

    ClusterHandler(Supplier<NodeStatus> status) {
        this.status = status;
    }

    record ClusterView(String role, String nodeId, String leader, long epoch, boolean acceptsClients,
                       List<NodeStatus.Member> members) {
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        NodeStatus s = status.get();
        return ApiResponse.ok(new ClusterView(s.role(), s.nodeId(), s.leader(), s.epoch(), s.acceptsClients(),
                s.members() == null ? List.of() : s.members()));
    }
}
