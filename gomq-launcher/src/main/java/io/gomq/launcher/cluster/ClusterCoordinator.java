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
import io.gomq.core.replication.ReplicationLeader;
import io.gomq.launcher.cluster.ClusterNode.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The role state machine of a {@link ClusterNode} and the election that drives it, on the
 * "gomq-cluster" coordinator thread: registration, the leader watch, the campaign, becoming
 * leader or member, stepping down, and a new lease after the old one is lost.
 *
 * <p>Thread rules: every role change runs on the coordinator thread, which takes events (lease
 * lost, leader key changed, fenced, tick) from a queue; other threads only {@link #post} events.
 * The role state is volatile for the public view; only the coordinator writes it, except close()
 * (after the coordinator has stopped) and the final STOPPED.
 */
final class ClusterCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterCoordinator.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TICK_MS = 200;
    /**
     * How often a node that knows its leader (or leads) re-reads the leader key without an event.
     * Design note: the watch on the key brings every change at once; this read only covers a
     * watch that broke unnoticed. Reading at every tick as well cost each node five etcd
     * round trips a second through gRPC, most of what an idle node spent (5.5-7.7 % of a core).
     */
    private static final long SETTLED_READ_MS = 1_000;

    enum Event { TICK, LEADER_CHANGED, LEASE_LOST, FENCED }

    private final ClusterSettings settings;
    private final MessageLog log;
    private final ClusterListener listener;
    private final EtcdKeys keys;
    private final EpochStore epochs;
    private final Client etcd;
    private final ReplicationServer server;
    private final ReplicationClient client;
    private final NodeLease lease;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile Role role = Role.STARTING;
    private volatile long epoch;
    private volatile NodeInfo leaderInfo;
    private volatile ReplicationLeader leader;
    private volatile List<NodeInfo> memberInfos = List.of();
    private volatile boolean closed;
    private long leaderGoneSinceMs = -1;
    private long lastMembersRefreshMs;
    private Watch.Watcher watcher;

    ClusterCoordinator(ClusterSettings settings, MessageLog log, ClusterListener listener, EtcdKeys keys,
                       EpochStore epochs, Client etcd, ReplicationServer server, ReplicationClient client) {
        this.settings = settings;
        this.log = log;
        this.listener = listener;
        this.keys = keys;
        this.epochs = epochs;
        this.etcd = etcd;
        this.server = server;
        this.client = client;
        this.lease = new NodeLease(settings, etcd, this);
        this.thread = new Thread(this::coordinate, "gomq-cluster");
        this.thread.setDaemon(true);
    }

    // ------------------------------------------------------------------ view, any thread

    Role role() {
        return role;
    }

    long epoch() {
        return epoch;
    }

    NodeInfo leaderInfo() {
        return leaderInfo;
    }

    /** The replication leader while this node leads, else null. */
    ReplicationLeader leader() {
        return leader;
    }

    List<NodeInfo> memberInfos() {
        return memberInfos;
    }

    NodeLease lease() {
        return lease;
    }

    boolean closed() {
        return closed;
    }

    void post(Event e) {
        events.add(e);
    }

    // ------------------------------------------------------------------ start and stop

    /** Grants the lease and publishes this node's member key. */
    void register() {
        try {
            lease.grant();
            publishMember();
        } catch (Exception e) {
            throw new ClusterException("etcd registration failed", e);
        }
    }

    void watchLeader() {
        watcher = etcd.getWatchClient().watch(keys.leader(), WatchOption.DEFAULT,
                r -> events.add(Event.LEADER_CHANGED),
                e -> LOG.debug("leader watch: {}", e.toString()));
    }

    /** Starts the coordinator thread with a first look at the leader key. */
    void start() {
        thread.start();
        events.add(Event.LEADER_CHANGED);
    }

    /** From here on no event is handled and the lease keeper stops asking; the thread ends soon. */
    void markClosed() {
        closed = true;
    }

    void interrupt() {
        thread.interrupt();
    }

    /** Stops the coordinator thread and waits for it, at most {@code timeoutMs}. */
    void stop(long timeoutMs) {
        closed = true;
        if (thread.isAlive()) {
            thread.interrupt();
            try {
                thread.join(timeoutMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    void closeWatch() {
        if (watcher != null) {
            watcher.close();
        }
    }

    void stopped() {
        role = Role.STOPPED;
    }

    // ------------------------------------------------------------------ coordinator thread

    private void coordinate() {
        long lastRead = ClusterNode.now() - SETTLED_READ_MS;
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
                    renewLease();
                }
                long now = ClusterNode.now();
                // without a known leader (starting, campaigning) every tick reads the key: the campaign paces itself by it
                if (e != null || leaderInfo == null || now - lastRead >= SETTLED_READ_MS) {
                    lastRead = now;
                    evaluate();
                }
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

    private void renewLease() throws Exception {
        if (role == Role.LEADER) {
            stepDown("the etcd lease was lost (no keep-alive answer for " + lease.sinceKeepAliveMs() + " ms)");
        }
        try {
            lease.revoke(1_000);
        } catch (Exception ignored) {
            // expired already or etcd unreachable
        }
        register(); // a new lease and registration: the node comes back as a member
        LOG.info("re-registered with a new lease {}", Long.toHexString(lease.id()));
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
                leaderGoneSinceMs = ClusterNode.now();
            }
            campaign();
            return;
        }
        leaderGoneSinceMs = -1;
        KeyValue kv = kvs.get(0);
        NodeInfo li = JSON.readValue(kv.getValue().getBytes(), NodeInfo.class);
        long e = kv.getModRevision();
        boolean mine = li.nodeId().equals(settings.nodeId()) && kv.getLease() == lease.id();
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
        if (ClusterNode.now() - lastMembersRefreshMs > 1_000) {
            refreshMembers();
        }
    }

    private void refreshMembers() throws Exception {
        List<NodeInfo> out = new ArrayList<>();
        for (KeyValue kv : etcd.getKVClient().get(keys.members(), GetOption.builder().isPrefix(true).build())
                .get(5, TimeUnit.SECONDS).getKvs()) {
            out.add(JSON.readValue(kv.getValue().getBytes(), NodeInfo.class));
        }
        memberInfos = out;
        lastMembersRefreshMs = ClusterNode.now();
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
        if (!first && ClusterNode.now() - leaderGoneSinceMs < settings.leaseTtlMs()) {
            LOG.debug("{} has the most complete log ({}); waiting for it to take over", best.nodeId(), best.offset());
            return;
        }
        long start = log.endOffset();
        NodeInfo me = self(start);
        ByteSequence value = json(me);
        ByteSequence epochValue = json(new NodeInfo(settings.nodeId(), null, null, null, start, 0, start));
        PutOption withLease = PutOption.builder().withLeaseId(lease.id()).build();
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
        l.leaseFresh(lease::fresh); // alone in the in-sync set, it acks only while its lease is confirmed
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

    /** Coordinator thread, or close() once it has stopped. */
    void stepDown(String reason) {
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

    private NodeInfo self(long startOffset) {
        return new NodeInfo(settings.nodeId(), settings.mqttEndpoint(), settings.replicationHost() + ":" + server.port(),
                settings.httpEndpoint(), log.endOffset(), epochs.epoch(), startOffset);
    }

    private void publishMember() throws Exception {
        etcd.getKVClient().put(keys.member(settings.nodeId()), json(self(-1)),
                PutOption.builder().withLeaseId(lease.id()).build()).get(5, TimeUnit.SECONDS);
    }

    private static ByteSequence json(Object o) {
        try {
            return ByteSequence.from(JSON.writeValueAsBytes(o));
        } catch (IOException e) {
            throw new ClusterException("cannot encode " + o, e);
        }
    }
}
