package io.gomq.launcher.cluster;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Durability;
import io.gomq.core.log.LogReader;
import io.gomq.core.log.LogRecord;
import io.gomq.core.log.MessageLog;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.replication.ReplicationSettings;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/** One in-process cluster node for the tests: its own log directory and a {@link ClusterNode}. */
final class TestNode implements AutoCloseable, ClusterListener {
    final String id;
    final Path dir;
    final List<String> events = new CopyOnWriteArrayList<>();
    MessageLog log;
    ClusterNode node;

    private final UnaryOperator<ClusterSettings> tweak;

    TestNode(String id, Path root, URI etcd, String cluster, int minInsync) {
        this(id, root, etcd, cluster, minInsync, UnaryOperator.identity());
    }

    /** @param tweak changes the settings before the node starts (TLS) */
    TestNode(String id, Path root, URI etcd, String cluster, int minInsync, UnaryOperator<ClusterSettings> tweak) {
        this.id = id;
        this.dir = root.resolve(id);
        this.tweak = tweak;
        start(etcd, cluster, minInsync);
    }

    void start(URI etcd, String cluster, int minInsync) {
        log = MessageLog.open(BrokerConfig.defaults().dataDir(dir).durability(Durability.WRITE)
                .compactionIntervalMs(3_600_000).retentionMs(0));
        ClusterSettings s = new ClusterSettings(List.of(etcd), cluster, id, "127.0.0.1:" + (19000 + id.hashCode() % 100),
                null, "127.0.0.1", 0, "127.0.0.1", 2, dir.resolve("cluster"), ClusterSettings.DEFAULT_SETTLE_MS,
                ReplicationSettings.defaults().minInsync(minInsync).heartbeatMs(100));
        node = ClusterNode.start(tweak.apply(s), log, this);
    }

    @Override
    public void onBecomeLeader(long epoch) {
        events.add("leader:" + epoch);
    }

    @Override
    public void onBecomeMember(String leader, long epoch) {
        events.add("member:" + epoch);
    }

    @Override
    public void onStepDown(long epoch, String reason) {
        events.add("stepdown:" + epoch);
    }

    boolean isLeader() {
        return node.isLeader();
    }

    void append(int n, String prefix) {
        for (int i = 0; i < n; i++) {
            log.append(Message.builder("t/" + (i % 13)).payload(prefix + i).qos(Qos.AT_LEAST_ONCE).build());
        }
    }

    List<String> dump() {
        List<String> out = new ArrayList<>();
        try (LogReader r = log.readerFromEarliest()) {
            LogRecord rec;
            while ((rec = r.next()) != null) {
                out.add(rec.offset() + "|" + rec.message().topic() + "|" + rec.message().payloadAsString());
            }
        }
        return out;
    }

    /** kill -9 of the node: no lease revoke, nothing cleaned up in etcd; the log is closed afterwards like a dead process's. */
    void crash() {
        node.crash();
        log.close();
    }

    @Override
    public void close() {
        if (node != null) {
            node.close();
        }
        if (log != null) {
            log.close();
        }
    }

    static void await(BooleanSupplier condition, long timeoutMs, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
