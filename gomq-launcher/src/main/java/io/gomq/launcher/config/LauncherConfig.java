package io.gomq.launcher.config;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Defaults;
import io.gomq.core.config.ConfigException;
import io.gomq.launcher.limits.ClientLimits;
import io.gomq.launcher.transport.TransportOptions;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The standalone broker's settings: listeners, TLS, users, cluster, plus the engine's
 * {@link BrokerConfig}. Fluent accessors without {@code get}; {@link #conclude()} validates
 * everything (the engine's part included) before anything starts. Filled by
 * {@link LauncherConfigLoader} from defaults, a file, GOMQ_* variables and flags.
 */
public final class LauncherConfig {
    private int port = LauncherDefaults.PORT;
    private int httpPort = LauncherDefaults.HTTP_PORT;
    private String bind = LauncherDefaults.BIND;
    private int tlsPort = LauncherDefaults.TLS_DISABLED;
    private int wsPort = LauncherDefaults.WS_PORT;
    private String wsPath = LauncherDefaults.WS_PATH;
    private int wssPort = LauncherDefaults.WSS_PORT;
    private Path tlsCert;
    private Path tlsKey;
    private Path usersFile;
    private boolean allowAnonymous;
    private Path aclFile;
    private boolean closeOnDeniedPublish;
    private List<URI> etcdEndpoints = List.of();
    private String nodeId;
    private String clusterName = LauncherDefaults.CLUSTER_NAME;
    private String advertise;
    private int minInsync = LauncherDefaults.MIN_INSYNC;
    private int leaseTtlSeconds = LauncherDefaults.LEASE_TTL_SECONDS;
    private long etcdStartupTimeoutMs = LauncherDefaults.ETCD_STARTUP_TIMEOUT_MS;
    private int maxPacketSize = LauncherDefaults.MAX_PACKET_SIZE_DERIVED;
    private long memoryBytes = ConfigValues.memorySize("memory", LauncherDefaults.MEMORY);
    private Path classArchiveDir = ConfigValues.classArchiveDir("class-archive-dir", LauncherDefaults.CLASS_ARCHIVE_DIR);
    private boolean maxQueuedBytesSet;
    private int ioThreads;
    private long ioSpinMicros = TransportOptions.IO_SPIN_AUTO;
    private final BrokerConfig broker = BrokerConfig.defaults();
    private final ClientLimits limits = new ClientLimits();
    private final TlsSettings tls = new TlsSettings();

    /**
     * Validates every setting and fills derived ones (node id, max packet size); throws
     * {@link ConfigException} naming the first bad key. Idempotent.
     */
    public LauncherConfig conclude() {
        if (!maxQueuedBytesSet) {
            // one subscriber queue takes at most an eighth of the heap unless told otherwise
            broker.maxQueuedBytes(Math.min(Defaults.MAX_QUEUED_BYTES, Runtime.getRuntime().maxMemory() / 8));
        }
        broker.conclude();
        limits.conclude();
        if (bind == null) {
            throw new ConfigException("bind", null, "required");
        }
        if (tlsEnabled() || wssEnabled() || tls.httpTls()) {
            String with = tlsEnabled() ? "tls-port" : wssEnabled() ? "wss-port" : "http-tls";
            requireReadable("tls-cert", tlsCert, "required with " + with);
            requireReadable("tls-key", tlsKey, "required with " + with);
        } else if (tlsCert != null || tlsKey != null) {
            throw new ConfigException(tlsCert != null ? "tls-cert" : "tls-key",
                    tlsCert != null ? tlsCert : tlsKey, "given without tls-port, wss-port or http-tls");
        }
        tls.conclude(tlsEnabled() || wssEnabled(), clustered(), etcdEndpoints);
        if (wsPath == null || !wsPath.startsWith("/")) {
            throw new ConfigException("ws-path", wsPath, "expected a path like /mqtt");
        }
        requireDistinctPorts();
        if (usersFile != null) {
            requireReadable("users", usersFile, "users file");
        }
        if (aclFile != null) {
            requireReadable("acl", aclFile, "ACL file");
        }
        if (minInsync > 1 && !clustered()) {
            throw new ConfigException("min-insync", minInsync, "needs a cluster (etcd)");
        }
        if (clusterName == null || clusterName.contains("/")) {
            throw new ConfigException("cluster", clusterName, "required, without '/'");
        }
        if (maxPacketSize == LauncherDefaults.MAX_PACKET_SIZE_DERIVED) {
            maxPacketSize = (int) Math.min(LauncherDefaults.MQTT_MAX_PACKET_SIZE,
                    (long) broker.maxPayloadBytes() + LauncherDefaults.PUBLISH_OVERHEAD_BYTES);
        } else if (maxPacketSize < broker.maxPayloadBytes()) {
            throw new ConfigException("max-packet-size", maxPacketSize,
                    "smaller than max-payload-bytes (" + broker.maxPayloadBytes() + ")");
        }
        if (nodeId == null) {
            nodeId = advertise != null ? advertise : localHostName() + ":" + port;
        }
        return this;
    }

    /** In range, and no two listeners on one fixed port (the bind would fail): say which setting clashes. */
    private void requireDistinctPorts() {
        String[] keys = {"port", "http-port", "tls-port", "ws-port", "wss-port"};
        int[] ports = {port, httpPort, tlsPort, wsPort, wssPort};
        for (int i = 0; i < ports.length; i++) {
            int lowest = i < 2 ? 0 : LauncherDefaults.LISTENER_OFF;
            if (ports[i] < lowest || ports[i] > 65_535) {
                throw new ConfigException(keys[i], ports[i], "must be between " + lowest + " and 65535");
            }
            for (int j = 0; j < i; j++) {
                if (ports[i] > 0 && ports[i] == ports[j]) {
                    throw new ConfigException(keys[i], ports[i], "same port as " + keys[j]);
                }
            }
        }
    }

    static void requireReadable(String key, Path file, String what) {
        if (file == null) {
            throw new ConfigException(key, null, what);
        }
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw new ConfigException(key, file, "not a readable file");
        }
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** MQTT listener port; 0 = pick a free port. */
    public int port() { return port; }
    public LauncherConfig port(int v) { port = v; return this; }
    /** HTTP listener port; 0 = pick a free port. */
    public int httpPort() { return httpPort; }
    public LauncherConfig httpPort(int v) { httpPort = v; return this; }
    public String bind() { return bind; }
    public LauncherConfig bind(String v) { bind = v; return this; }
    /** TLS listener port, {@link LauncherDefaults#TLS_DISABLED} when off. */
    public int tlsPort() { return tlsPort; }
    public LauncherConfig tlsPort(int v) { tlsPort = v; return this; }
    public boolean tlsEnabled() { return tlsPort != LauncherDefaults.TLS_DISABLED; }
    /** What the standalone jar sizes its JVM for, bytes; {@link LauncherDefaults#MEMORY_OFF}: as started. */
    public long memoryBytes() { return memoryBytes; }
    public LauncherConfig memoryBytes(long v) { memoryBytes = v; return this; }
    /** Where the standalone jar keeps its class-data archive; null: none. */
    public Path classArchiveDir() { return classArchiveDir; }
    public LauncherConfig classArchiveDir(Path v) { classArchiveDir = v; return this; }
    /** Event loop threads of the MQTT listeners; 0: one per two cores. */
    public int ioThreads() { return ioThreads; }
    public LauncherConfig ioThreads(int v) { ioThreads = v; return this; }
    /** How long an event loop polls on after its last work before it sleeps, microseconds; 0: sleeps at once; -1: auto. */
    public long ioSpinMicros() { return ioSpinMicros; }
    public LauncherConfig ioSpinMicros(long v) { ioSpinMicros = v; return this; }
    /** Payload bytes per subscriber queue; without it, min(64 MiB, an eighth of the heap). */
    public LauncherConfig maxQueuedBytes(long v) { broker.maxQueuedBytes(v); maxQueuedBytesSet = true; return this; }
    /** MQTT over WebSocket port, {@link LauncherDefaults#LISTENER_OFF} when off; 0 = pick a free port. */
    public int wsPort() { return wsPort; }
    public LauncherConfig wsPort(int v) { wsPort = v; return this; }
    public boolean wsEnabled() { return wsPort != LauncherDefaults.LISTENER_OFF; }
    /** The HTTP path WebSocket clients connect to, on ws and wss alike. */
    public String wsPath() { return wsPath; }
    public LauncherConfig wsPath(String v) { wsPath = v; return this; }
    /** MQTT over secure WebSocket port (the TLS listener's certificate), {@link LauncherDefaults#LISTENER_OFF} when off. */
    public int wssPort() { return wssPort; }
    public LauncherConfig wssPort(int v) { wssPort = v; return this; }
    public boolean wssEnabled() { return wssPort != LauncherDefaults.LISTENER_OFF; }
    public Path tlsCert() { return tlsCert; }
    public LauncherConfig tlsCert(Path v) { tlsCert = v; return this; }
    public Path tlsKey() { return tlsKey; }
    public LauncherConfig tlsKey(Path v) { tlsKey = v; return this; }
    /** Users file, or null: then every client is accepted. */
    public Path usersFile() { return usersFile; }
    public LauncherConfig usersFile(Path v) { usersFile = v; return this; }
    public boolean allowAnonymous() { return allowAnonymous; }
    public LauncherConfig allowAnonymous(boolean v) { allowAnonymous = v; return this; }
    /** ACL file (Mosquitto acl_file syntax), or null: every client may use every topic. */
    public Path aclFile() { return aclFile; }
    public LauncherConfig aclFile(Path v) { aclFile = v; return this; }
    /** A PUBLISH the ACL refuses closes the connection (true) or is acknowledged and dropped. */
    public boolean closeOnDeniedPublish() { return closeOnDeniedPublish; }
    public LauncherConfig closeOnDeniedPublish(boolean v) { closeOnDeniedPublish = v; return this; }
    /** Empty = standalone broker. */
    public List<URI> etcdEndpoints() { return etcdEndpoints; }
    public LauncherConfig etcdEndpoints(List<URI> v) { etcdEndpoints = List.copyOf(Objects.requireNonNull(v)); return this; }
    public boolean clustered() { return !etcdEndpoints.isEmpty(); }
    /** Set by {@link #conclude()} when not given: the advertised address, else HOST:PORT. */
    public String nodeId() { return nodeId; }
    public LauncherConfig nodeId(String v) { nodeId = v; return this; }
    public String clusterName() { return clusterName; }
    public LauncherConfig clusterName(String v) { clusterName = v; return this; }
    /** HOST:PORT others reach this node at; null = the transport derives it from the bound address. */
    public String advertise() { return advertise; }
    public LauncherConfig advertise(String v) { advertise = v; return this; }
    public int minInsync() { return minInsync; }
    public LauncherConfig minInsync(int v) { minInsync = v; return this; }
    public int leaseTtlSeconds() { return leaseTtlSeconds; }
    public LauncherConfig leaseTtlSeconds(int v) { leaseTtlSeconds = v; return this; }
    /** How long a starting node retries its first etcd reads (users, ACL) while etcd does not answer. */
    public long etcdStartupTimeoutMs() { return etcdStartupTimeoutMs; }
    public LauncherConfig etcdStartupTimeoutMs(long v) { etcdStartupTimeoutMs = v; return this; }
    /** Largest MQTT packet the codec accepts; derived from max-payload-bytes by {@link #conclude()} when 0. */
    public int maxPacketSize() { return maxPacketSize; }
    public LauncherConfig maxPacketSize(int v) { maxPacketSize = v; return this; }
    /** Client certificates, HTTPS, cluster and etcd TLS, concluded together with these. */
    public TlsSettings tls() { return tls; }
    /** The engine's settings, concluded together with these. */
    public BrokerConfig broker() { return broker; }
    /** The transport's abuse limits per address and per connection, concluded together with these. */
    public ClientLimits limits() { return limits; }

    @Override
    public String toString() {
        return "LauncherConfig{port=" + port + ", httpPort=" + httpPort + ", bind=" + bind
                + (tlsEnabled() ? ", tlsPort=" + tlsPort : "") + (wsEnabled() ? ", wsPort=" + wsPort : "")
                + (wssEnabled() ? ", wssPort=" + wssPort : "") + (wsEnabled() || wssEnabled() ? ", wsPath=" + wsPath : "")
                + (tlsEnabled() || wssEnabled() || tls.httpTls() ? ", tlsCert=" + tlsCert + ", tlsKey=" + tlsKey + ", " + tls : "")
                + ", usersFile=" + usersFile + ", allowAnonymous=" + allowAnonymous
                + (aclFile != null ? ", acl=" + aclFile + ", closeOnDeniedPublish=" + closeOnDeniedPublish : "")
                + (clustered() ? ", etcd=" + etcdEndpoints + ", cluster=" + clusterName + ", advertise=" + advertise
                        + ", minInsync=" + minInsync + ", leaseTtlSeconds=" + leaseTtlSeconds : "")
                + ", nodeId=" + nodeId + ", maxPacketSize=" + maxPacketSize + ", " + limits + ", " + broker + '}';
    }
}
