package io.gomq.launcher.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.gomq.core.log.MessageLog;
import io.gomq.core.replication.EpochHistory;
import io.gomq.core.replication.EpochStore;
import io.gomq.core.replication.FencedException;
import io.gomq.core.replication.MemberState;
import io.gomq.core.replication.ReplicaFollower;
import io.gomq.core.replication.ReplicationLeader;
import io.gomq.launcher.NodeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
 * <p>Lease: kept alive by this class every TTL/4 with {@code keepAliveOnce}. A leader that has
 * had no keep-alive answer for TTL minus a safety margin (or learns its lease is gone) steps
 * down at once: replica mode on the log, replication stopped, {@link ClusterListener#onStepDown}.
 * Design note: our own keep-alive loop rather than jetcd's stream observer, because the
 * step-down deadline must be known exactly, not inferred from a stream that may just be slow.
 *
 * <p>Thread rules: every role change runs on the "gomq-cluster" coordinator thread, which
 * takes events (lease lost, leader key changed, tick) from a queue. Public methods are thread-safe.
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TICK_MS = 200;

    /** Roles as NodeStatus names them. */
    public enum Role { STARTING, LEADER, MEMBER, STOPPED }

    private enum Event { TICK, LEADER_CHANGED, LEASE_LOST, FENCED }

    private final ClusterSettings settings;
    private final MessageLog log;
    private final ClusterListener listener;
    private final EtcdKeys keys;
    private final EpochStore epochs;
    private final Client etcd;
    private final ReplicationServer server;
    private final ReplicationClient client;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService keepAlive;
    private final Thread coordinator;
    private final long safetyMs;
    private volatile Role role = Role.STARTING;
    private volatile long leaseId;
    private volatile long lastKeepAliveMs;
    private volatile long epoch;
    private volatile NodeInfo leaderInfo;
    private volatile ReplicationLeader leader;
    private volatile List<NodeInfo> memberInfos = List.of();
    private volatile boolean closed;
    private volatile boolean leadingWithoutEtcd;
    private long leaderGoneSinceMs = -1;
    private Watch.Watcher watcher;

    private ClusterNode(ClusterSettings settings, MessageLog log, ClusterListener listener) throws IOException {
        this.settings = settings;
        this.log = log;
        this.listener = listener == null ? ClusterListener.NONE : listener;
        this.keys = new EtcdKeys(settings.clusterName());
        this.epochs = EpochStore.open(settings.clusterDir());
        this.safetyMs = Math.min(500, settings.leaseTtlMs() / 4);
        log.replicaMode(true); // nobody writes until the election says who leads
        this.etcd = Client.builder().endpoints(settings.etcdEndpoints().toArray(new java.net.URI[0])).build();
        this.server = new ReplicationServer(settings.replicationBind(), settings.replicationPort(), this::fenced);
        ReplicaFollower follower = new ReplicaFollower(log, settings.nodeId(), epochs,
                settings.replication().maxBatchBytes());
        int readTimeout = (int) Math.max(2_000, settings.replication().heartbeatMs() * 10);
        this.client = new ReplicationClient(follower, readTimeout, settings.nodeId());
        this.keepAlive = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gomq-cluster-lease");
            t.setDaemon(true);
            return t;
        });
        this.coordinator = new Thread(this::coordinate, "gomq-cluster");
        this.coordinator.setDaemon(true);
    }

    /**
     * Joins the cluster: grants the lease, registers, starts the election loop. Returns at once
     * with the node STARTING; the listener hears the outcome. A failed start closes what it opened.
     */
    public static ClusterNode start(ClusterSettings settings, MessageLog log, ClusterListener listener) {
        ClusterNode n = null;
        try {
            n = new ClusterNode(settings, log, listener);
            n.register();
            n.watchLeader();
            long period = Math.max(100, settings.leaseTtlMs() / 4);
            ClusterNode node = n;
            n.keepAlive.scheduleWithFixedDelay(node::keepAliveOnce, period, period, TimeUnit.MILLISECONDS);
            n.coordinator.start();
            n.events.add(Event.LEADER_CHANGED);
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
        return role;
    }

    public boolean isLeader() {
        return role == Role.LEADER;
    }

    /** The current leader epoch as this node knows it (0 before the first election). */
    public long epoch() {
        return epoch;
    }

    /** The leader's MQTT endpoint, or null when unknown. */
    public String leaderEndpoint() {
        NodeInfo l = leaderInfo;
        return l == null ? null : l.mqtt();
    }

    public int replicationPort() {
        return server.port();
    }

    public long leaseId() {
        return leaseId;
    }

    /**
     * On the leader: completes once {@code min-insync} in-sync members hold {@code offset}; fails
     * if this node is not (or stops being) the leader. The engine acks QoS>=1 after it.
     */
    public CompletableFuture<Void> awaitReplicated(long offset) {
        ReplicationLeader l = leader;
        if (l == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not the leader"));
        }
        return l.awaitReplicated(offset);
    }

    /** Wakes member pulls held open at the leader; call after appends (optional, lowers latency). */
    public void notifyAppended() {
        ReplicationLeader l = leader;
        if (l != null) {
            l.notifyAppended();
        }
    }

    /** This node's view for /health and /cluster. */
    public NodeStatus status(int mqttPort, int httpPort, int tlsPort) {
        Role r = role;
        NodeInfo li = leaderInfo;
        List<NodeStatus.Member> members = new ArrayList<>();
        ReplicationLeader l = leader;
        List<NodeInfo> infos = memberInfos;
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
                epoch, members);
    }

    /** Replica lag in records (member), 0 on the leader. */
    public long lag() {
        return role == Role.LEADER ? 0 : client.follower().lag();
    }

    // ------------------------------------------------------------------ lease and registration

    private void register() {
        try {
            leaseId = etcd.getLeaseClient().grant(settings.leaseTtlSeconds()).get(5, TimeUnit.SECONDS).getID();
            lastKeepAliveMs = now();
            publishMember();
        } catch (Exception e) {
            throw new ClusterException("etcd registration failed", e);
        }
    }

    private NodeInfo self(long startOffset) {
        return new NodeInfo(settings.nodeId(), settings.mqttEndpoint(), settings.replicationHost() + ":" + server.port(),
                settings.httpEndpoint(), log.endOffset(), epochs.epoch(), startOffset);
    }

    private void publishMember() throws Exception {
        etcd.getKVClient().put(keys.member(settings.nodeId()), json(self(-1)),
                PutOption.builder().withLeaseId(leaseId).build()).get(5, TimeUnit.SECONDS);
    }

    private void keepAliveOnce() {
        if (closed) {
            return;
        }
        long id = leaseId;
        boolean unreachable = false;
        try {
            long ttl = etcd.getLeaseClient().keepAliveOnce(id).get(settings.leaseTtlMs() / 2, TimeUnit.MILLISECONDS).getTTL();
            if (ttl > 0 && id == leaseId) {
                lastKeepAliveMs = now();
            } else if (id == leaseId) {
                LOG.warn("etcd lease {} has expired", Long.toHexString(id));
                events.add(Event.LEASE_LOST);
                return;
            }
        } catch (Exception e) {
            LOG.debug("lease keep-alive failed: {}", e.toString());
            if (e.getCause() != null && String.valueOf(e.getCause().getMessage()).contains("requested lease not found")) {
                events.add(Event.LEASE_LOST);
                return;
            }
            unreachable = true;
        }
        if (role == Role.LEADER && now() - lastKeepAliveMs > settings.leaseTtlMs() - safetyMs) {
            if (unreachable && membersFollow()) {
                if (!leadingWithoutEtcd) {
                    leadingWithoutEtcd = true;
                    LOG.warn("etcd unreachable for {} ms; still leading epoch {}: the members still follow", now() - lastKeepAliveMs, epoch);
                }
                return;
            }
            events.add(Event.LEASE_LOST);
        } else if (leadingWithoutEtcd && !unreachable) {
            leadingWithoutEtcd = false;
            LOG.info("etcd reachable again; lease {} kept", Long.toHexString(id));
        }
    }

    /**
     * While etcd is unreachable a leader keeps leading as long as a member still pulls from it.
     * Design note: a member only switches leaders when etcd names a new one, so members still
     * pulling from this node show that it is the leader they know; without etcd nobody can be
     * elected, so stepping down would only turn an etcd outage into a broker outage. A leader cut
     * off from etcd and from every member steps down at the lease deadline as before. If etcd
     * comes back without the lease, the keep-alive says so and the node steps down and re-registers.
     */
    private boolean membersFollow() {
        ReplicationLeader l = leader;
        if (l == null) {
            return false;
        }
        long fresh = Math.max(500, settings.leaseTtlMs() / 2);
        return l.members().stream().anyMatch(m -> m.connected() && m.sinceContactMs() <= fresh);
    }

    private void watchLeader() {
        watcher = etcd.getWatchClient().watch(keys.leader(), WatchOption.DEFAULT,
                r -> events.add(Event.LEADER_CHANGED),
                e -> LOG.debug("leader watch: {}", e.toString()));
    }

    private void fenced(FencedException e) {
        events.add(Event.FENCED);
    }

    // ------------------------------------------------------------------ coordinator

    private void coordinate() {
        while (!closed) {
            Event e;
            try {
                e = events.poll(TICK_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException ex) {
                return;
            }
            if (closed) {
                return;
            }
            try {
                if (e == Event.LEASE_LOST) {
                    events.removeIf(x -> x == Event.LEASE_LOST);
                    leaseLost();
                }
                evaluate();
                ReplicationLeader l = leader;
                if (l != null) {
                    l.tick();
                }
            } catch (Exception ex) {
                if (!closed) {
                    LOG.warn("cluster coordinator: {}", ex.toString());
                }
            }
        }
    }

    private void leaseLost() throws Exception {
        if (role == Role.LEADER) {
            stepDown("the etcd lease was lost (no keep-alive answer for " + (now() - lastKeepAliveMs) + " ms)");
        }
        long old = leaseId;
        try {
            etcd.getLeaseClient().revoke(old).get(1, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // expired already or etcd unreachable
        }
        register(); // a new lease and registration: the node comes back as a member
        LOG.info("re-registered with a new lease {}", Long.toHexString(leaseId));
    }

    private void evaluate() throws Exception {
        List<KeyValue> kvs = etcd.getKVClient().get(keys.leader()).get(5, TimeUnit.SECONDS).getKvs();
        if (kvs.isEmpty()) {
            if (role == Role.LEADER) {
                stepDown("the leader key is gone");
            }
            leaderInfo = null;
            client.unfollow();
            if (leaderGoneSinceMs < 0) {
                leaderGoneSinceMs = now();
            }
            campaign();
            return;
        }
        leaderGoneSinceMs = -1;
        KeyValue kv = kvs.get(0);
        NodeInfo li = JSON.readValue(kv.getValue().getBytes(), NodeInfo.class);
        long e = kv.getModRevision();
        boolean mine = li.nodeId().equals(settings.nodeId()) && kv.getLease() == leaseId;
        if (mine) {
            if (role != Role.LEADER) {
                becomeLeader(e, li); // a win whose answer was lost, or a re-check
            }
            return;
        }
        if (role == Role.LEADER) {
            stepDown("node " + li.nodeId() + " leads epoch " + e);
        }
        if (role != Role.MEMBER || e != epoch) {
            epoch = e;
            leaderInfo = li;
            log.replicaMode(true);
            client.follow(li.replication(), e);
            role = Role.MEMBER;
            LOG.info("following {} (epoch {}, replication {})", li.nodeId(), e, li.replication());
            listener.onBecomeMember(li.mqtt(), e);
        }
        if (now() - lastMembersRefreshMs > 1_000) {
            refreshMembers();
        }
    }

    private long lastMembersRefreshMs;

    private void refreshMembers() throws Exception {
        List<NodeInfo> out = new ArrayList<>();
        for (KeyValue kv : etcd.getKVClient().get(keys.members(), GetOption.builder().isPrefix(true).build())
                .get(5, TimeUnit.SECONDS).getKvs()) {
            out.add(JSON.readValue(kv.getValue().getBytes(), NodeInfo.class));
        }
        memberInfos = out;
        lastMembersRefreshMs = now();
    }

    private void campaign() throws Exception {
        publishMember(); // our log end, for the other candidates to compare
        Thread.sleep(settings.settleMs());
        if (!etcd.getKVClient().get(keys.leader()).get(5, TimeUnit.SECONDS).getKvs().isEmpty()) {
            return; // someone won meanwhile: the watch brings us back to follow
        }
        refreshMembers();
        NodeInfo best = memberInfos.stream()
                .max(Comparator.comparingLong(NodeInfo::offset).thenComparing(NodeInfo::nodeId, Comparator.reverseOrder()))
                .orElse(null);
        boolean first = best == null || best.nodeId().equals(settings.nodeId());
        if (!first && now() - leaderGoneSinceMs < settings.leaseTtlMs()) {
            LOG.debug("{} has the most complete log ({}); waiting for it to take over", best.nodeId(), best.offset());
            return;
        }
        long start = log.endOffset();
        NodeInfo me = self(start);
        ByteSequence value = json(me);
        ByteSequence epochValue = json(new NodeInfo(settings.nodeId(), null, null, null, start, 0, start));
        PutOption withLease = PutOption.builder().withLeaseId(leaseId).build();
        TxnResponse r = etcd.getKVClient().txn()
                .If(new Cmp(keys.leader(), Cmp.Op.EQUAL, CmpTarget.version(0)))
                .Then(Op.put(keys.leader(), value, withLease),
                        Op.put(keys.epoch(settings.nodeId(), UUID.randomUUID().toString()), epochValue, PutOption.DEFAULT))
                .commit().get(5, TimeUnit.SECONDS);
        if (r.isSucceeded()) {
            becomeLeader(r.getHeader().getRevision(), me);
        }
    }

    private void becomeLeader(long newEpoch, NodeInfo me) throws Exception {
        client.unfollow();
        EpochHistory history = readHistory();
        epochs.epoch(newEpoch); // before any append of the new epoch
        ReplicationLeader l = new ReplicationLeader(log, newEpoch, history, settings.replication());
        epoch = newEpoch;
        leaderInfo = me;
        leader = l;
        server.activate(l);
        log.replicaMode(false);
        role = Role.LEADER;
        LOG.info("{} leads the cluster {} (epoch {}, log end {})", settings.nodeId(), settings.clusterName(), newEpoch,
                log.endOffset());
        listener.onBecomeLeader(newEpoch);
    }

    private EpochHistory readHistory() throws Exception {
        List<EpochHistory.Epoch> list = new ArrayList<>();
        for (KeyValue kv : etcd.getKVClient().get(keys.epochs(), GetOption.builder().isPrefix(true).build())
                .get(5, TimeUnit.SECONDS).getKvs()) {
            NodeInfo i = JSON.readValue(kv.getValue().getBytes(), NodeInfo.class);
            list.add(new EpochHistory.Epoch(kv.getCreateRevision(), i.startOffset()));
        }
        return new EpochHistory(list);
    }

    private void stepDown(String reason) {
        log.replicaMode(true); // first: no write is accepted from here on
        ReplicationLeader l = leader;
        leader = null;
        server.deactivate();
        if (l != null) {
            l.close();
        }
        long e = epoch;
        role = Role.MEMBER;
        leaderInfo = null;
        LOG.warn("{} steps down as leader of epoch {}: {}", settings.nodeId(), e, reason);
        listener.onStepDown(e, reason);
    }

    // ------------------------------------------------------------------ tests, close

    /** Tests: stops pulling from the leader (the member falls behind) or resumes. */
    void replicationPaused(boolean paused) {
        client.paused(paused);
    }

    /**
     * Tests: dies like a kill -9 — stops every thread and socket without revoking the lease or
     * deleting a key, so the others only learn of it when the lease expires.
     */
    void crash() {
        closed = true;
        keepAlive.shutdownNow();
        coordinator.interrupt();
        server.close();
        client.close();
        ReplicationLeader l = leader;
        if (l != null) {
            l.close();
        }
        if (watcher != null) {
            watcher.close();
        }
        etcd.close();
        role = Role.STOPPED;
    }

    /** Leaves cleanly: steps down, revokes the lease (its keys go with it), stops every thread. Bounded by timeouts. */
    @Override
    public void close() {
        if (role == Role.STOPPED) {
            return;
        }
        closed = true;
        if (coordinator.isAlive()) {
            coordinator.interrupt();
            try {
                coordinator.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        keepAlive.shutdownNow();
        if (role == Role.LEADER) {
            stepDown("shutting down");
        }
        server.close();
        client.close();
        if (watcher != null) {
            watcher.close();
        }
        try {
            if (leaseId != 0) {
                etcd.getLeaseClient().revoke(leaseId).get(2, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.warn("could not revoke lease {} (it expires by itself): {}", Long.toHexString(leaseId), e.toString());
        }
        etcd.close();
        role = Role.STOPPED;
    }

    private static long now() {
        return System.nanoTime() / 1_000_000;
    }

    private static ByteSequence json(Object o) {
        try {
            return ByteSequence.from(JSON.writeValueAsBytes(o));
        } catch (IOException e) {
            throw new ClusterException("cannot encode " + o, e);
        }
    }

    static String text(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
