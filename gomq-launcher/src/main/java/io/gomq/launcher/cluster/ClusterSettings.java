package io.gomq.launcher.cluster;

import io.gomq.core.replication.ReplicationSettings;
import io.gomq.launcher.config.LauncherConfig;
import io.gomq.launcher.config.LauncherDefaults;
import io.gomq.launcher.tls.PeerTls;
import io.gomq.launcher.tls.TlsFiles;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * What a {@link ClusterNode} needs, derived from {@link LauncherConfig} by {@link #from}.
 *
 * @param etcdEndpoints     etcd client URLs
 * @param clusterName       the key prefix: {@code /gomq/<clusterName>/...}
 * @param nodeId            unique per node
 * @param mqttEndpoint      HOST:PORT clients connect to (published in etcd; members redirect to the leader's)
 * @param httpEndpoint      HOST:PORT of the HTTP API, or null
 * @param replicationBind   address the replication listener binds
 * @param replicationPort   its port; 0 picks a free one (members find it in etcd)
 * @param replicationHost   the host published for it
 * @param leaseTtlSeconds   etcd lease TTL: a dead leader is replaced after about this long
 * @param clusterDir        where the node keeps its epoch file ({@code dataDir/cluster})
 * @param settleMs          how long candidates wait for each other's offsets before the best one campaigns
 * @param replication       stream and in-sync tuning (min-insync included)
 * @param etcdTls           etcd's CA and this node's client certificate, or null (plain or the JDK's trust)
 * @param peerTls           mutual TLS on the replication stream, or null (plain TCP: a trusted network only)
 */
public record ClusterSettings(List<URI> etcdEndpoints, String clusterName, String nodeId, String mqttEndpoint,
                              String httpEndpoint, String replicationBind, int replicationPort, String replicationHost,
                              int leaseTtlSeconds, Path clusterDir, long settleMs, ReplicationSettings replication,
                              TlsFiles etcdTls, PeerTls peerTls) {

    /** Without TLS towards etcd or between members. */
    public ClusterSettings(List<URI> etcdEndpoints, String clusterName, String nodeId, String mqttEndpoint,
                           String httpEndpoint, String replicationBind, int replicationPort, String replicationHost,
                           int leaseTtlSeconds, Path clusterDir, long settleMs, ReplicationSettings replication) {
        this(etcdEndpoints, clusterName, nodeId, mqttEndpoint, httpEndpoint, replicationBind, replicationPort,
                replicationHost, leaseTtlSeconds, clusterDir, settleMs, replication, null, null);
    }

    /** The same node with TLS towards etcd and between members (tests build settings field by field). */
    public ClusterSettings withTls(TlsFiles etcd, PeerTls peers) {
        return new ClusterSettings(etcdEndpoints, clusterName, nodeId, mqttEndpoint, httpEndpoint, replicationBind,
                replicationPort, replicationHost, leaseTtlSeconds, clusterDir, settleMs, replication, etcd, peers);
    }

    public static final long DEFAULT_SETTLE_MS = 150;

    /**
     * From the launcher's config: the MQTT endpoint is {@code advertise} (or host:port); the
     * replication listener binds the same address on a free port unless {@code replicationPort} is given.
     *
     * @param peerTls built from cluster-tls-cert, -key and -ca, or null without them
     */
    public static ClusterSettings from(LauncherConfig c, int mqttPort, int httpPort, int replicationPort, PeerTls peerTls) {
        c.conclude();
        String host = c.advertise() != null && c.advertise().contains(":")
                ? c.advertise().substring(0, c.advertise().lastIndexOf(':'))
                : "0.0.0.0".equals(c.bind()) ? "127.0.0.1" : c.bind();
        String mqtt = c.advertise() != null ? c.advertise() : host + ":" + mqttPort;
        return new ClusterSettings(c.etcdEndpoints(), c.clusterName(), c.nodeId(), mqtt, host + ":" + httpPort,
                c.bind(), replicationPort, host, c.leaseTtlSeconds(), c.broker().dataDir().resolve("cluster"),
                DEFAULT_SETTLE_MS, ReplicationSettings.defaults().minInsync(membersToWaitFor(c.minInsync())),
                c.tls().etcdFiles(), peerTls);
    }

    /** The config counts copies with the leader's ("all" or N); replication counts members besides it. */
    public static int membersToWaitFor(int copies) {
        return copies == LauncherDefaults.MIN_INSYNC_ALL ? ReplicationSettings.ALL_IN_SYNC : Math.max(0, copies - 1);
    }

    public long leaseTtlMs() {
        return leaseTtlSeconds * 1000L;
    }
}
