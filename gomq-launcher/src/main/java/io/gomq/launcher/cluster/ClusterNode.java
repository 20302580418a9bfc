package io.gomq.launcher.cluster;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.gomq.core.log.MessageLog;
import io.gomq.core.replication.EpochStore;
import io.gomq.core.replication.FencedException;
import io.gomq.core.replication.MemberState;
import io.gomq.core.replication.ReplicaFollower;
import io.gomq.core.replication.ReplicationLeader;
import io.gomq.launcher.NodeStatus;
import io.gomq.launcher.cluster.ClusterCoordinator.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One broker's membership in a cluster: etcd lease and registration, leader election with an
 * epoch, the replication listener (leader) or the replication client (member), and failover.
 *
 * <p>Election: a transaction creates {@code /gomq/<cluster>/leader} if absent, bound to the
 * node's lease, and in the same transaction an epoch-history key; the revision of that
 * transaction is the leader epoch. Members watch the leader key; when it disappears every
 * candidate publishes its log end in its member key, waits {@code settleMs}, and only the one
 * with the most complete log (ties: smallest node id) campaigns; the others campaign too if no
 * leader appears within a lease TTL (the best one may be dead as well).
 *
 * <p>Lease: kept alive every TTL/4 by {@link NodeLease}. A leader that has had no keep-alive
 * answer for TTL minus a safety margin (or learns its lease is gone) steps down at once: replica
 * mode on the log, replication stopped, {@link ClusterListener#onStepDown}.
 *
 * <p>Parts: this class owns the resources and the public view; {@link ClusterCoordinator} runs the
 * election and the role changes, {@link NodeLease} the lease.
 *
 * <p>Thread rules: every role change runs on the "gomq-cluster" coordinator thread, which
 * takes events (lease lost, leader key changed, tick) from a queue. Public methods are thread-safe.
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

    /** Roles as NodeStatus names them. */
    public enum Role { STARTING, LEADER, MEMBER, STOPPED }

    private final ClusterSettings settings;
    private final MessageLog log;
    private final Client etcd;
    private final ReplicationServer server;
    private final ReplicationClient client;
    private final ClusterCoordinator coordinator;
    private final NodeLease lease;

    private ClusterNode(ClusterSettings settings, MessageLog log, ClusterListener listener) throws IOException {
        this.settings = settings;
        this.log = log;
        EpochStore epochs = EpochStore.open(settings.clusterDir());
        log.replicaMode(true); // nobody writes until the election says who leads
        this.etcd = EtcdClients.open(settings.etcdEndpoints(), settings.etcdTls());
        this.server = new ReplicationServer(settings.replicationBind(), settings.replicationPort(), settings.peerTls(),
                this::fenced);
        ReplicaFollower follower = new ReplicaFollower(log, settings.nodeId(), epochs,
                settings.replication().maxBatchBytes());
        int readTimeout = (int) Math.max(2_000, settings.replication().heartbeatMs() * 10);
        this.client = new ReplicationClient(follower, readTimeout, settings.nodeId(), settings.peerTls());
        this.coordinator = new ClusterCoordinator(settings, log, listener == null ? ClusterListener.NONE : listener,
                new EtcdKeys(settings.clusterName()), epochs, etcd, server, client);
        this.lease = coordinator.lease();
    }

    /**
     * Joins the cluster: grants the lease, registers, starts the election loop. Returns at once
     * with the node STARTING; the listener hears the outcome. A failed start closes what it opened.
     */
    public static ClusterNode start(ClusterSettings settings, MessageLog log, ClusterListener listener) {
        ClusterNode n = null;
        try {
            n = new ClusterNode(settings, log, listener);
            n.coordinator.register();
            n.coordinator.watchLeader();
            n.lease.start();
            n.coordinator.start();
            return n;
        } catch (IOException | RuntimeException e) {
            if (n != null) {
                try {
                    n.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new ClusterException("cannot join cluster " + settings.clusterName() + " via " + settings.etcdEndpoints(), e);
        }
    }

    // ------------------------------------------------------------------ public view

    public Role role() {
        return coordinator.role();
    }

    public boolean isLeader() {
        return coordinator.role() == Role.LEADER;
    }

    /** The current leader epoch as this node knows it (0 before the first election). */
    public long epoch() {
        return coordinator.epoch();
    }

    /** The leader's MQTT endpoint, or null when unknown. */
    public String leaderEndpoint() {
        NodeInfo l = coordinator.leaderInfo();
        return l == null ? null : l.mqtt();
    }

    public int replicationPort() {
        return server.port();
    }

    public long leaseId() {
        return lease.id();
    }

    /**
     * On the leader: completes once {@code min-insync} in-sync members hold {@code offset}; fails
     * if this node is not (or stops being) the leader. The engine acks QoS>=1 after it.
     */
    public CompletableFuture<Void> awaitReplicated(long offset) {
        return awaitReplicated(offset, Long.MAX_VALUE);
    }

    /** {@link #awaitReplicated(long)} that fails with a TimeoutException after {@code timeoutMs}. */
    public CompletableFuture<Void> awaitReplicated(long offset, long timeoutMs) {
        ReplicationLeader l = coordinator.leader();
        if (l == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not the leader"));
        }
        return l.awaitReplicated(offset, timeoutMs);
    }

    /** This node's view for /health and /cluster. */
    public NodeStatus status(int mqttPort, int httpPort, int tlsPort) {
        Role r = coordinator.role();
        NodeInfo li = coordinator.leaderInfo();
        List<NodeStatus.Member> members = new ArrayList<>();
        ReplicationLeader l = coordinator.leader();
        List<NodeInfo> infos = coordinator.memberInfos();
        if (r == Role.LEADER && l != null) {
            members.add(new NodeStatus.Member(settings.nodeId(), settings.mqttEndpoint(), log.endOffset(), 0, true));
            for (MemberState m : l.members()) {
                String endpoint = infos.stream().filter(i -> i.nodeId().equals(m.nodeId())).map(NodeInfo::mqtt)
                        .findFirst().orElse(null);
                members.add(new NodeStatus.Member(m.nodeId(), endpoint, m.offset(), m.lag(), m.inSync()));
            }
        } else {
            ReplicaFollower f = client.follower();
            members.add(new NodeStatus.Member(settings.nodeId(), settings.mqttEndpoint(), log.endOffset(), f.lag(),
                    client.connected() && f.lag() <= settings.replication().maxLagRecords()));
        }
        String role = r == Role.LEADER ? "leader" : "member";
        return new NodeStatus(role, settings.nodeId(), mqttPort, httpPort, tlsPort, li == null ? null : li.mqtt(),
                coordinator.epoch(), members);
    }

    /** Replica lag in records (member), 0 on the leader. */
    public long lag() {
        return coordinator.role() == Role.LEADER ? 0 : client.follower().lag();
    }

    private void fenced(FencedException e) {
        coordinator.post(Event.FENCED);
    }

    // ------------------------------------------------------------------ tests, close

    /** Tests: stops replicating from the leader (the member falls behind) or resumes. */
    void replicationPaused(boolean paused) {
        client.paused(paused);
    }

    /**
     * Tests: dies like a kill -9 — stops every thread and socket without revoking the lease or
     * deleting a key, so the others only learn of it when the lease expires.
     */
    void crash() {
        coordinator.markClosed();
        lease.stop();
        coordinator.interrupt();
        server.close();
        client.close();
        ReplicationLeader l = coordinator.leader();
        if (l != null) {
            l.close();
        }
        coordinator.closeWatch();
        etcd.close();
        coordinator.stopped();
    }

    /** Leaves cleanly: steps down, revokes the lease (its keys go with it), stops every thread. Bounded by timeouts. */
    @Override
    public void close() {
        if (coordinator.role() == Role.STOPPED) {
            return;
        }
        coordinator.stop(5_000);
        lease.stop();
        if (coordinator.role() == Role.LEADER) {
            coordinator.stepDown("shutting down");
        }
        server.close();
        client.close();
        coordinator.closeWatch();
        try {
            if (lease.id() != 0) {
                lease.revoke(2_000);
            }
        } catch (Exception e) {
            LOG.warn("could not revoke lease {} (it expires by itself): {}", Long.toHexString(lease.id()), e.toString());
        }
        etcd.close();
        coordinator.stopped();
    }

    static long now() {
        return System.nanoTime() / 1_000_000;
    }

    static String text(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
