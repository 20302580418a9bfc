package io.gomq.launcher;

import java.util.List;

/**
 * What /health and /cluster report about this node. Standalone: role "standalone", no leader.
 *
 * @param role       standalone, leader, member, or starting (a cluster node before it joined)
 * @param mqttPort   the bound MQTT port (the real one when 0 was asked)
 * @param httpPort   the bound HTTP port
 * @param tlsPort    the bound TLS port, or -1
 * @param wsPort     the bound MQTT over WebSocket port, or -1
 * @param wssPort    the bound MQTT over secure WebSocket port, or -1
 * @param leader     the leader's advertised HOST:PORT, or null
 * @param epoch      the leader epoch (etcd revision of the election win), or 0
 * @param members    the cluster's members with their replication state
 */
public record NodeStatus(String role, String nodeId, int mqttPort, int httpPort, int tlsPort, int wsPort, int wssPort,
                         String leader, long epoch, List<Member> members) {

    /** Without WebSocket listeners. */
    public NodeStatus(String role, String nodeId, int mqttPort, int httpPort, int tlsPort,
                      String leader, long epoch, List<Member> members) {
        this(role, nodeId, mqttPort, httpPort, tlsPort, -1, -1, leader, epoch, members);
    }

    public record Member(String nodeId, String endpoint, long offset, long lag, boolean inSync) {
    }

    public static NodeStatus standalone(String nodeId, int mqttPort, int httpPort, int tlsPort) {
        return new NodeStatus("standalone", nodeId, mqttPort, httpPort, tlsPort, null, 0, List.of());
    }

    /** This status with the bound WebSocket ports (-1 = off). */
    public NodeStatus withWebSocketPorts(int ws, int wss) {
        return new NodeStatus(role, nodeId, mqttPort, httpPort, tlsPort, ws, wss, leader, epoch, members);
    }

    /** Only a standalone broker or a cluster leader accepts clients and writes. */
    public boolean acceptsClients() {
        return "standalone".equals(role) || "leader".equals(role);
    }
}
