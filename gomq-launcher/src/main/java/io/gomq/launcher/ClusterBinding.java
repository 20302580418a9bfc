package io.gomq.launcher;

import io.gomq.core.engine.AckGate;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.launcher.cluster.ClusterListener;
import io.gomq.launcher.cluster.ClusterNode;
import io.gomq.launcher.cluster.ClusterSettings;
import io.gomq.launcher.config.LauncherConfig;
import io.gomq.launcher.tls.PeerTls;
import io.gomq.launcher.transport.MqttServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ties a {@link ClusterNode} to the broker: role changes switch the MQTT listener between
 * accepting and refusing CONNECTs, restore the persistent sessions from the log on becoming
 * the leader, and close every client connection on a step-down; acknowledgements of persisted
 * messages wait for replication through the engine's {@link AckGate}.
 *
 * <p>Thread rules: the listener methods run on the node's coordinator thread; {@link #whenDurable}
 * on any thread (event loops, HTTP workers, producers).
 */
final class ClusterBinding implements ClusterListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterBinding.class);
    /**
     * An ack that waits longer than this for replication fails: the connection closes and the
     * client re-sends. Design note: bounded, because with fewer in-sync members than min-insync
     * nothing would ever complete; a client that re-sends is better than one that hangs.
     */
    static final long ACK_TIMEOUT_MS = 10_000;
    private static final long CLOSE_WAIT_MS = 1_000;

    private final BrokerEngine engine;
    private final MqttServer mqtt;
    private volatile ClusterNode node;
    private volatile boolean wasLeader;

    private ClusterBinding(BrokerEngine engine, MqttServer mqtt) {
        this.engine = engine;
        this.mqtt = mqtt;
    }

    /**
     * Refuses clients, installs the ack gate and joins the cluster; returns at once (the node is
     * STARTING until the election says otherwise).
     */
    static ClusterBinding start(LauncherConfig config, BrokerEngine engine, MqttServer mqtt, int mqttPort, int httpPort,
                                PeerTls peerTls) {
        ClusterBinding b = new ClusterBinding(engine, mqtt);
        mqtt.acceptClients(false);
        engine.ackGate(b::whenDurable);
        b.node = ClusterNode.start(ClusterSettings.from(config, mqttPort, httpPort, 0, peerTls), engine.log(), b);
        return b;
    }

    ClusterNode node() {
        return node;
    }

    NodeStatus status(int mqttPort, int httpPort, int tlsPort) {
        return node.status(mqttPort, httpPort, tlsPort);
    }

    private CompletableFuture<Void> whenDurable(long offset) {
        ClusterNode n = node;
        if (n == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not in the cluster yet"));
        }
        return n.awaitReplicated(offset, ACK_TIMEOUT_MS);
    }

    @Override
    public void onBecomeLeader(long epoch) {
        long t0 = System.nanoTime();
        int n = engine.restoreSessionsFromLog(); // before any client is accepted
        wasLeader = true;
        mqtt.acceptClients(true);
        LOG.info("leader of epoch {}: {} persistent sessions restored from the log in {} ms; accepting clients",
                epoch, n, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    @Override
    public void onBecomeMember(String leaderMqttEndpoint, long epoch) {
        mqtt.acceptClients(false);
        if (wasLeader) {
            dropClients("now a member of epoch " + epoch);
        }
        LOG.info("member of epoch {}: refusing clients (CONNACK 3), the leader is {}", epoch, leaderMqttEndpoint);
    }

    @Override
    public void onStepDown(long epoch, String reason) {
        mqtt.acceptClients(false);
        dropClients("stepped down from epoch " + epoch + ": " + reason);
    }

    /** Closes every client connection at once (they reconnect to the new leader) and forgets the sessions. */
    private void dropClients(String why) {
        wasLeader = false;
        int n = mqtt.closeConnections();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
        while (mqtt.connectionCount() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        engine.forgetSessions(); // the log holds them; a new leadership restores them from there
        LOG.warn("{}: closed {} client connections", why, n);
    }

    @Override
    public void close() {
        ClusterNode n = node;
        if (n != null) {
            n.close();
        }
    }
}
