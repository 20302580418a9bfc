package io.gomq.launcher;

import io.gomq.core.concurrent.AsyncLifecycle;
import io.gomq.core.config.ConfigException;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.embedded.internal.EmbeddedBroker;
import io.gomq.launcher.auth.AclException;
import io.gomq.launcher.auth.AclFileWatcher;
import io.gomq.launcher.auth.AclRules;
import io.gomq.launcher.auth.Authenticator;
import io.gomq.launcher.auth.Authenticators;
import io.gomq.launcher.auth.ReloadableAcl;
import io.gomq.launcher.auth.UsersFileException;
import io.gomq.launcher.cluster.ClusterException;
import io.gomq.launcher.cluster.ClusterNode;
import io.gomq.launcher.cluster.EtcdAcl;
import io.gomq.launcher.cluster.EtcdStartupReads;
import io.gomq.launcher.cluster.EtcdUsers;
import io.gomq.launcher.config.LauncherConfig;
import io.gomq.launcher.http.HttpApiServer;
import io.gomq.launcher.metrics.BrokerMetrics;
import io.gomq.launcher.tls.TlsException;
import io.gomq.launcher.tls.TlsMetrics;
import io.gomq.launcher.transport.Authorization;
import io.gomq.launcher.transport.ListenException;
import io.gomq.launcher.transport.MqttServer;
import io.gomq.launcher.transport.TransportMetrics;
import io.gomq.launcher.transport.TransportOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The composition root of the standalone broker: engine, MQTT listeners (plain, TLS, WebSocket),
 * HTTP API and metrics, started in that order and closed in reverse.
 *
 * <pre>{@code
 * try (StandaloneBroker broker = StandaloneBroker.start(config)) {
 *     int port = broker.mqttPort();
 * }
 * }</pre>
 *
 * A failed start closes what it had opened and throws {@link StartupException} with a one-line
 * reason; {@link #close()} closes every part, each within its own timeout, even when one fails.
 */
public final class StandaloneBroker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StandaloneBroker.class);
    /** How often the ACL file is looked at for changes (SIGHUP reloads at once). */
    static final long ACL_POLL_MS = 1_000;

    private final LauncherConfig config;
    private final Deque<AutoCloseable> parts;
    private final EmbeddedBroker broker;
    private final MqttServer mqtt;
    private final TransportMetrics transportMetrics;
    private final TlsMetrics tlsMetrics;
    private final BrokerMetrics metrics;
    private final int mqttPort;
    private final int tlsPort;
    private final int wsPort;
    private final int wssPort;
    private final int httpPort;
    private final long startupMillis;
    private final String readyLine;
    private final ClusterBinding cluster;
    private final Supplier<NodeStatus> statusView;
    private final AsyncLifecycle lifecycle = new AsyncLifecycle("gomq-stop");
    private final AclFileWatcher aclWatcher;
    private final io.gomq.core.auth.TopicAuthorizer acl;

    private StandaloneBroker(Builder b) {
        this.config = b.config;
        this.parts = b.opened;
        this.broker = b.broker;
        this.mqtt = b.mqtt;
        this.transportMetrics = b.transportMetrics;
        this.tlsMetrics = b.tls.metrics;
        this.metrics = b.metrics;
        this.mqttPort = b.mqttPort;
        this.tlsPort = b.tlsPort;
        this.wsPort = b.wsPort;
        this.wssPort = b.wssPort;
        this.httpPort = b.httpPort;
        this.startupMillis = b.startupMillis;
        this.readyLine = b.readyLine;
        this.cluster = b.cluster;
        this.statusView = b::status;
        this.aclWatcher = b.aclWatcher;
        this.acl = b.acl;
    }

    public static StandaloneBroker start(LauncherConfig config) {
        return start(config, TransportOptions.defaults().ioThreads(config.ioThreads()).ioSpinMicros(config.ioSpinMicros()));
    }

    /**
     * {@link #start(LauncherConfig)} on a thread of its own, for hosts that start many things at once.
     *
     * @return completes with the running broker, or fails with the {@link StartupException}
     */
    public static CompletableFuture<StandaloneBroker> startAsync(LauncherConfig config) {
        return AsyncLifecycle.startAsync("gomq-start", () -> start(config));
    }

    /** @throws StartupException with a one-line reason; nothing stays open */
    public static StandaloneBroker start(LauncherConfig config, TransportOptions options) {
        StartupWarmUp.begin(); // when Main has not begun it already
        Builder b = new Builder(config);
        try {
            b.build(options);
        } catch (RuntimeException e) {
            closeAll(b.opened, options.shutdownTimeoutMs());
            if (e instanceof StartupException) {
                throw e;
            }
            if (e instanceof ListenException || e instanceof ConfigException || e instanceof UsersFileException
                    || e instanceof ClusterException || e instanceof AclException || e instanceof TlsException) {
                throw new StartupException(e.getMessage(), e);
            }
            throw new StartupException("cannot start: " + e, e);
        }
        b.startupMillis = b.phases.totalMillis();
        b.readyLine = "GoMQ ready in " + b.startupMillis + " ms: mqtt=" + config.bind() + ":" + b.mqttPort
                + " tls=" + address(config, b.tlsPort) + " ws=" + address(config, b.wsPort)
                + " wss=" + address(config, b.wssPort) + " http=" + address(config, b.httpPort)
                + " data=" + (config.broker().persistent() ? config.broker().dataDir() : "memory")
                + " io=" + b.mqtt.ioKind()
                + (b.cluster == null ? "" : " cluster=" + config.clusterName() + " node=" + config.nodeId()
                        + " replication=" + b.cluster.node().replicationPort());
        LOG.info(b.readyLine);
        b.phases.log(LOG);
        return new StandaloneBroker(b);
    }

    private static String address(LauncherConfig config, int port) {
        return port < 0 ? "-" : config.bind() + ":" + port;
    }

    public BrokerEngine engine() { return broker.engine(); }
    public EmbeddedBroker broker() { return broker; }
    public BrokerMetrics metrics() { return metrics; }
    public TransportMetrics transportMetrics() { return transportMetrics; }
    public TlsMetrics tlsMetrics() { return tlsMetrics; }
    public LauncherConfig config() { return config; }
    /** The bound MQTT port (the real one when 0 was asked). */
    public int mqttPort() { return mqttPort; }
    /** The bound TLS port, or -1 when TLS is off. */
    public int tlsPort() { return tlsPort; }
    /** The bound MQTT over WebSocket port, or -1 when ws-port is off. */
    public int wsPort() { return wsPort; }
    /** The bound MQTT over secure WebSocket port, or -1 when wss-port is off. */
    public int wssPort() { return wssPort; }
    /** The bound HTTP port, or -1 when the HTTP API is not available. */
    public int httpPort() { return httpPort; }
    public long startupMillis() { return startupMillis; }
    public String readyLine() { return readyLine; }
    public int connectionCount() { return mqtt.connectionCount(); }
    /** Bytes queued in Netty for all connections, not yet on the wire. */
    public long pendingWriteBytes() { return mqtt.pendingWriteBytes(); }

    /** Standalone: role "standalone"; in a cluster the node's role, leader, epoch and members. */
    public NodeStatus status() {
        return statusView.get();
    }

    /** The topic rules in force (the ACL file's or, in a cluster, etcd's), or null when the broker has none. */
    public io.gomq.core.auth.TopicAuthorizer acl() {
        return acl;
    }

    /** Reads the ACL file again now (SIGHUP); returns at once, the reload runs on the watcher's thread. No-op without one. */
    public void reloadAcl() {
        if (aclWatcher != null) {
            aclWatcher.reloadNow();
        }
    }

    /** The cluster node, or null for a standalone broker. */
    public ClusterNode clusterNode() {
        return cluster == null ? null : cluster.node();
    }

    @Override
    public void close() {
        lifecycle.close(this::closeParts);
    }

    /**
     * {@link #close()} on a thread of its own.
     *
     * @return completes once every part is closed (also when another call closed the broker)
     */
    public CompletableFuture<Void> closeAsync() {
        return lifecycle.closeAsync(this::closeParts);
    }

    private void closeParts() {
        closeAll(parts, TransportOptions.SHUTDOWN_TIMEOUT_MS);
        LOG.info("GoMQ stopped");
    }

    /** Closes in reverse order of opening; a part that throws is logged and the rest still close. */
    private static void closeAll(Deque<AutoCloseable> opened, long timeoutMs) {
        AutoCloseable c;
        while ((c = opened.pollFirst()) != null) {
            long t0 = System.nanoTime();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed", c.getClass().getSimpleName(), e);
            }
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            if (ms > timeoutMs) {
                LOG.warn("closing {} took {} ms", c.getClass().getSimpleName(), ms);
            }
        }
    }

    /** Start-up state, so that a failure half-way knows what to close. */
    private static final class Builder {
        final LauncherConfig config;
        final Deque<AutoCloseable> opened = new ArrayDeque<>(); // newest first
        EmbeddedBroker broker;
        MqttServer mqtt;
        TransportMetrics transportMetrics;
        BrokerMetrics metrics;
        int mqttPort;
        int tlsPort = -1;
        int wsPort = -1;
        int wssPort = -1;
        int httpPort = -1;
        long startupMillis;
        String readyLine;
        volatile ClusterBinding cluster;
        Authenticator auth;
        io.gomq.core.auth.TopicAuthorizer acl;
        AclFileWatcher aclWatcher;
        TlsSetup tls;
        io.etcd.jetcd.Client etcd;
        final StartupPhases phases = new StartupPhases();

        Builder(LauncherConfig config) {
            this.config = config;
        }

        void build(TransportOptions options) {
            config.conclude();
            if (config.broker().persistent()) {
                checkDataDir(config.broker().dataDir());
            }
            boolean clustered = config.clustered();
            if (clustered && !config.broker().persistent()) {
                throw new StartupException("cluster mode (--etcd) needs the durable log: remove persistent=false", null);
            }
            phases.ended("config");
            auth = authenticator();
            tls = TlsSetup.from(config);
            opened.push(tls);
            phases.ended("users and TLS");

            if (config.broker().persistent()) {
                StartupWarmUp.awaitLog();
                phases.ended("Chronicle Queue loaded");
            }
            broker = EmbeddedBroker.start(config.broker(), clustered ? BrokerEngine::openReplicated : BrokerEngine::open);
            opened.push(broker);
            phases.ended("engine (log recovery, sessions)");
            StartupWarmUp.awaitTransport();
            phases.ended("Netty loaded");
            transportMetrics = new TransportMetrics();
            metrics = new BrokerMetrics(broker.engine(), transportMetrics);
            metrics.bindTls(tls.metrics);
            phases.ended("metrics");

            Authorization authorization = authorization();
            broker.topicAuthorizer(acl); // in-process producers and consumers given a principal: the same rules
            mqtt = new MqttServer(broker.engine(), auth, authorization, config.maxPacketSize(), options, transportMetrics,
                    config.limits());
            opened.push(mqtt);
            mqtt.acceptClients(!clustered); // a cluster node refuses clients until it leads
            InetSocketAddress plain = mqtt.listen(config.bind(), config.port(), null);
            mqttPort = plain.getPort();
            if (config.tlsEnabled()) {
                tlsPort = mqtt.listen(config.bind(), config.tlsPort(), tls.listeners).getPort();
            }
            if (config.wsEnabled()) {
                wsPort = mqtt.listenWebSocket(config.bind(), config.wsPort(), null, config.wsPath()).getPort();
            }
            if (config.wssEnabled()) {
                wssPort = mqtt.listenWebSocket(config.bind(), config.wssPort(), tls.listeners, config.wsPath()).getPort();
            }
            phases.ended("MQTT listeners");
            startHttp();
            phases.ended("HTTP API");
            if (clustered) {
                cluster = ClusterBinding.start(config, broker.engine(), mqtt, mqttPort, httpPort < 0 ? 0 : httpPort, tls.peers);
                opened.push(cluster); // closed first: steps down and revokes the lease before the listeners go
                phases.ended("cluster");
            }
        }

        /** The users and the ACL wait for an etcd that starts after the node, up to etcd-startup-timeout-ms. */
        private EtcdStartupReads etcdStartupReads() {
            return new EtcdStartupReads(config.etcdEndpoints(), config.etcdStartupTimeoutMs());
        }

        /** One etcd client for the users and the ACL (a client costs a second or more to set up under load). */
        private io.etcd.jetcd.Client etcdClient() {
            if (etcd == null) {
                io.etcd.jetcd.Client c = io.gomq.launcher.cluster.EtcdClients.open(config.etcdEndpoints(),
                        config.tls().etcdFiles());
                opened.push(c::close); // closed after the users and the ACL that use it
                etcd = c;
            }
            return etcd;
        }

        /** Users file if given; in a cluster without one, the users in etcd; else everyone. */
        private Authenticator authenticator() {
            if (config.clustered() && config.usersFile() == null) {
                EtcdUsers users = EtcdUsers.using(etcdClient(), config.clusterName(), config.allowAnonymous(),
                        etcdStartupReads());
                opened.push(users);
                LOG.info("cluster: {} user(s) in etcd{}", users.size(), users.size() == 0 ? " (none: every client is accepted)" : "");
                return users;
            }
            return Authenticators.forUsersFile(config.usersFile(), config.allowAnonymous());
        }

        /**
         * The ACL file's rules, watched for changes; in a cluster without a file, etcd's (every
         * topic allowed while it holds none); standalone without a file: none, nothing checked.
         */
        private Authorization authorization() {
            if (config.aclFile() != null) {
                ReloadableAcl file = new ReloadableAcl(AclRules.load(config.aclFile()));
                aclWatcher = new AclFileWatcher(config.aclFile(), file, ACL_POLL_MS);
                opened.push(aclWatcher);
                acl = file;
            } else if (config.clustered()) {
                EtcdAcl etcd = EtcdAcl.using(etcdClient(), config.clusterName(), etcdStartupReads());
                opened.push(etcd);
                acl = etcd;
            } else {
                return Authorization.NONE;
            }
            LOG.info("topic rules: {}", acl);
            return new Authorization(acl, config.closeOnDeniedPublish());
        }

        private void startHttp() {
            // the same authenticator as MQTT (in a cluster: etcd's users); open when nobody configured users
            boolean usersConfigured = config.usersFile() != null || config.clustered();
            HttpApiServer http = new HttpApiServer(broker.engine(), config, metrics, this::status, usersConfigured ? auth : null,
                    acl);
            try {
                httpPort = http.start(config.bind(), config.httpPort(), tls.https);
                opened.push(http);
            } catch (UnsupportedOperationException e) {
                LOG.warn("HTTP API not available in this build ({}); running without it", e.getMessage());
                http.close();
            }
        }

        private NodeStatus status() {
            ClusterBinding c = cluster;
            NodeStatus s;
            if (c != null) {
                s = c.status(mqttPort, httpPort, tlsPort);
            } else {
                s = config.clustered() ? new NodeStatus("starting", config.nodeId(), mqttPort, httpPort, tlsPort, null, 0,
                        java.util.List.of()) : NodeStatus.standalone(config.nodeId(), mqttPort, httpPort, tlsPort);
            }
            return s.withWebSocketPorts(wsPort, wssPort);
        }

        private static void checkDataDir(Path dir) {
            try {
                Files.createDirectories(dir);
            } catch (IOException | SecurityException e) {
                throw new StartupException("cannot use data dir " + dir + ": " + describe(e), e);
            }
            if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
                throw new StartupException("cannot use data dir " + dir + ": " + (Files.isDirectory(dir) ? "not writable" : "not a directory"), null);
            }
        }

        private static String describe(Exception e) {
            if (e instanceof java.nio.file.FileAlreadyExistsException) {
                return "a file of that name exists";
            }
            if (e instanceof java.nio.file.AccessDeniedException) {
                return "permission denied";
            }
            return e.toString();
        }
    }
}
