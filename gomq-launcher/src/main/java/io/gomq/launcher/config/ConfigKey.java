package io.gomq.launcher.config;

import io.gomq.core.config.ConfigException;
import io.gomq.core.config.Defaults;
import io.gomq.core.config.Durability;
import io.gomq.launcher.limits.ClientLimits;
import io.gomq.launcher.tls.CertificateIdentity;
import io.gomq.launcher.tls.ClientAuthMode;
import io.gomq.launcher.transport.TransportOptions;

import java.util.Locale;
import java.util.Optional;

import static io.gomq.launcher.config.ConfigValues.BOOL;
import static io.gomq.launcher.config.ConfigValues.OFF;
import static io.gomq.launcher.config.ConfigValues.bool;
import static io.gomq.launcher.config.ConfigValues.endpoints;
import static io.gomq.launcher.config.ConfigValues.fraction;
import static io.gomq.launcher.config.ConfigValues.hostPort;
import static io.gomq.launcher.config.ConfigValues.intIn;
import static io.gomq.launcher.config.ConfigValues.listenerPort;
import static io.gomq.launcher.config.ConfigValues.longIn;
import static io.gomq.launcher.config.ConfigValues.path;
import static io.gomq.launcher.config.ConfigValues.text;
import static io.gomq.launcher.config.ConfigValues.urlPath;

/**
 * Every setting the launcher reads, by its one name: the kebab-case key of config files and
 * command-line flags ({@code --max-inflight}), {@code GOMQ_MAX_INFLIGHT} in the environment.
 * Design note: one table instead of three parsers, so a file, a variable and a flag can never
 * disagree on what a value means; {@link LauncherFlags} builds one flag per entry, so a new
 * entry is a file key, a variable and a flag at once.
 */
public enum ConfigKey {
    PORT("port", "PORT", LauncherDefaults.PORT, "MQTT listener port (0 = pick a free port)",
            (c, k, v) -> c.port(intIn(k, v, 0, 65_535))),
    HTTP_PORT("http-port", "PORT", LauncherDefaults.HTTP_PORT, "HTTP API port (0 = pick a free port)",
            (c, k, v) -> c.httpPort(intIn(k, v, 0, 65_535))),
    MEMORY("memory", "SIZE|off", LauncherDefaults.MEMORY, "what java -jar gomq.jar sizes its JVM for, about its resident memory: half heap, an eighth direct buffers (off = the JVM as started; -Xmx in JAVA_OPTS also wins)",
            (c, k, v) -> c.memoryBytes(ConfigValues.memorySize(k, v))),
    CLASS_ARCHIVE_DIR("class-archive-dir", "DIR|off", LauncherDefaults.CLASS_ARCHIVE_DIR, "where java -jar gomq.jar keeps the class-data archive that makes its later starts faster (off = none)",
            (c, k, v) -> c.classArchiveDir(ConfigValues.classArchiveDir(k, v))),
    BIND("bind", "ADDR", LauncherDefaults.BIND, "address every listener binds to",
            (c, k, v) -> c.bind(text(v))),
    WS_PORT("ws-port", "PORT", LauncherDefaults.WS_PORT, "MQTT over WebSocket port (0 = pick a free port; off, -1 or empty = no listener)",
            (c, k, v) -> c.wsPort(listenerPort(k, v))),
    WS_PATH("ws-path", "PATH", LauncherDefaults.WS_PATH, "HTTP path WebSocket clients connect to, on ws-port and wss-port",
            (c, k, v) -> c.wsPath(urlPath(k, v))),
    TLS_PORT("tls-port", "PORT", OFF, "MQTT over TLS port (needs --tls-cert, --tls-key; 0 = pick a free port)",
            (c, k, v) -> c.tlsPort(listenerPort(k, v))),
    WSS_PORT("wss-port", "PORT", OFF, "MQTT over secure WebSocket port (wss://; needs --tls-cert, --tls-key)",
            (c, k, v) -> c.wssPort(listenerPort(k, v))),
    TLS_CERT("tls-cert", "FILE", null, "PEM certificate chain for the TLS and WSS listeners",
            (c, k, v) -> c.tlsCert(path(k, v))),
    TLS_KEY("tls-key", "FILE", null, "PEM private key (PKCS#8) for the TLS and WSS listeners",
            (c, k, v) -> c.tlsKey(path(k, v))),
    TLS_CA("tls-ca", "FILE", null, "PEM CA certificates that client certificates must chain to (with tls-client-auth)",
            (c, k, v) -> c.tls().clientCa(path(k, v))),
    TLS_CLIENT_AUTH("tls-client-auth", "none|optional|required", "none", "ask TLS and WSS clients for a certificate of tls-ca: optional refuses only bad ones, required also missing ones",
            (c, k, v) -> c.tls().clientAuth(choice(k, v, ClientAuthMode::parse))),
    TLS_IDENTITY_AS_USER("tls-identity-as-user", "off|cn|san-email|san-dns|san-uri", "off", "a verified client certificate's CN (or first SAN of that type) is the MQTT user, replacing the CONNECT's; no password is checked",
            (c, k, v) -> c.tls().identityAsUser(choice(k, v, CertificateIdentity::parse))),
    TLS_RELOAD_MS("tls-reload-ms", "MS", TlsSettings.RELOAD_MS, "how often the TLS files are checked for changes; new connections get the new certificate (0 = never)",
            (c, k, v) -> c.tls().reloadMs(longIn(k, v, 0, Long.MAX_VALUE))),
    HTTP_TLS("http-tls", BOOL, false, "serve the HTTP API over HTTPS with tls-cert and tls-key",
            (c, k, v) -> c.tls().httpTls(bool(k, v))),
    CLUSTER_TLS_CERT("cluster-tls-cert", "FILE", null, "PEM certificate this member presents on the replication stream (mutual TLS; with cluster-tls-key, cluster-tls-ca)",
            (c, k, v) -> c.tls().clusterCert(path(k, v))),
    CLUSTER_TLS_KEY("cluster-tls-key", "FILE", null, "PEM private key (PKCS#8) of cluster-tls-cert",
            (c, k, v) -> c.tls().clusterKey(path(k, v))),
    CLUSTER_TLS_CA("cluster-tls-ca", "FILE", null, "PEM CA of the cluster: replication peers must present a certificate it signed",
            (c, k, v) -> c.tls().clusterCa(path(k, v))),
    ETCD_TLS_CA("etcd-tls-ca", "FILE", null, "PEM CA that signed etcd's server certificate (https:// endpoints)",
            (c, k, v) -> c.tls().etcdCa(path(k, v))),
    ETCD_TLS_CERT("etcd-tls-cert", "FILE", null, "PEM client certificate for etcd (its --client-cert-auth)",
            (c, k, v) -> c.tls().etcdCert(path(k, v))),
    ETCD_TLS_KEY("etcd-tls-key", "FILE", null, "PEM private key (PKCS#8) of etcd-tls-cert",
            (c, k, v) -> c.tls().etcdKey(path(k, v))),
    USERS("users", "FILE", null, "users file: one name:hash line per user (gomqctl hash-password)",
            (c, k, v) -> c.usersFile(path(k, v))),
    ALLOW_ANONYMOUS("allow-anonymous", BOOL, false, "accept clients without credentials even with --users",
            (c, k, v) -> c.allowAnonymous(bool(k, v))),
    ACL("acl", "FILE", null, "topic rules in Mosquitto's acl_file syntax; reloaded when it changes and on SIGHUP",
            (c, k, v) -> c.aclFile(path(k, v))),
    ACL_DENIED_PUBLISH("acl-denied-publish", "ack|disconnect", "ack",
            "a PUBLISH the ACL refuses: acknowledged and dropped (ack), or the connection closed (disconnect)",
            (c, k, v) -> c.closeOnDeniedPublish(deniedPublish(k, v))),
    ETCD("etcd", "URL", null, "etcd endpoints, comma separated; given = cluster mode",
            (c, k, v) -> c.etcdEndpoints(endpoints(k, v))),
    NODE_ID("node-id", "ID", "HOST:PORT", "this node's id in the cluster",
            (c, k, v) -> c.nodeId(text(v))),
    CLUSTER("cluster", "NAME", LauncherDefaults.CLUSTER_NAME, "cluster name: the etcd key prefix",
            (c, k, v) -> c.clusterName(text(v))),
    ADVERTISE("advertise", "HOST:PORT", null, "address other nodes and clients reach this node at",
            (c, k, v) -> c.advertise(hostPort(k, v))),
    MIN_INSYNC("min-insync", "all|N", "all", "copies of a QoS>=1 message before its ack: all in-sync members, or N, the leader included (1 = the leader only)",
            (c, k, v) -> c.minInsync("all".equalsIgnoreCase(text(v).trim()) ? LauncherDefaults.MIN_INSYNC_ALL : intIn(k, v, 1, 1_000))),
    LEASE_TTL("lease-ttl", "SECONDS", LauncherDefaults.LEASE_TTL_SECONDS, "etcd lease TTL: a dead leader is replaced after about this long",
            (c, k, v) -> c.leaseTtlSeconds(intIn(k, v, 1, 3_600))),
    ETCD_STARTUP_TIMEOUT_MS("etcd-startup-timeout-ms", "MS", LauncherDefaults.ETCD_STARTUP_TIMEOUT_MS, "how long a starting node retries its first etcd reads (users, ACL) before it gives up",
            (c, k, v) -> c.etcdStartupTimeoutMs(longIn(k, v, 1, 86_400_000L))),

    // Abuse limits of the transport (ClientLimits): per source address and per connection.
    MAX_CONNECTIONS_PER_IP("max-connections-per-ip", "N", ClientLimits.MAX_CONNECTIONS_PER_ADDRESS, "connections open at once from one IP address; more get CONNACK 0x97 (3.1.1: 3) (0 = no limit)",
            (c, k, v) -> c.limits().maxConnectionsPerAddress(intIn(k, v, 0, Integer.MAX_VALUE))),
    CONNECT_RATE_PER_IP("connect-rate-per-ip", "PER_SECOND", ClientLimits.CONNECT_RATE_PER_ADDRESS, "CONNECTs per second from one IP address; more get CONNACK 0x9F (3.1.1: 3) (0 = no limit)",
            (c, k, v) -> c.limits().connectRatePerAddress(intIn(k, v, 0, Integer.MAX_VALUE))),
    AUTH_FAILURE_DELAY_MS("auth-failure-delay-ms", "MS", ClientLimits.AUTH_FAILURE_DELAY_MS, "after a failed login, the address's next password check waits this long, doubled per further failure (0 = no back-off)",
            (c, k, v) -> c.limits().authFailureDelayMs(longIn(k, v, 0, 3_600_000))),
    AUTH_FAILURE_MAX_DELAY_MS("auth-failure-max-delay-ms", "MS", ClientLimits.AUTH_FAILURE_MAX_DELAY_MS, "the longest login back-off",
            (c, k, v) -> c.limits().authFailureMaxDelayMs(longIn(k, v, 0, 3_600_000))),
    PUBLISH_RATE("publish-rate", "PER_SECOND", ClientLimits.PUBLISH_RATE, "PUBLISH packets per second per connection; a faster client is paced, nothing is dropped (0 = no limit)",
            (c, k, v) -> c.limits().publishRate(intIn(k, v, 0, Integer.MAX_VALUE))),
    MAX_PACKET_SIZE("max-packet-size", "BYTES", "max-payload-bytes + headers", "largest MQTT packet accepted",
            (c, k, v) -> c.maxPacketSize(intIn(k, v, 0, LauncherDefaults.MQTT_MAX_PACKET_SIZE))),

    // The engine's settings (BrokerConfig).
    DATA_DIR("data-dir", "DIR", Defaults.DATA_DIR, "directory of the persistent log",
            (c, k, v) -> c.broker().dataDir(path(k, v))),
    PERSISTENT("persistent", BOOL, Defaults.PERSISTENT, "keep a durable log (false = memory only)",
            (c, k, v) -> c.broker().persistent(bool(k, v))),
    DURABILITY("durability", "MODE", "write", "write | fsync | fsync-batched: when a QoS>=1 append counts as done",
            (c, k, v) -> c.broker().durability(parseDurability(k, v))),
    FSYNC_INTERVAL_MS("fsync-interval-ms", "MS", Defaults.FSYNC_INTERVAL_MS, "fsync period for durability fsync-batched",
            (c, k, v) -> c.broker().fsyncIntervalMs(longIn(k, v, 1, Long.MAX_VALUE))),
    MAX_PAYLOAD_BYTES("max-payload-bytes", "BYTES", Defaults.MAX_PAYLOAD_BYTES, "largest message payload",
            (c, k, v) -> c.broker().maxPayloadBytes(intIn(k, v, 1, 268_435_455))),
    MAX_INFLIGHT("max-inflight", "N", Defaults.MAX_INFLIGHT, "unacknowledged QoS>=1 messages the broker sends each session",
            (c, k, v) -> c.broker().maxInflight(intIn(k, v, 1, 65_535))),
    MAX_QUEUED("max-queued", "N", Defaults.MAX_QUEUED_MESSAGES, "capacity of each subscriber queue, messages",
            (c, k, v) -> c.broker().maxQueuedMessages(intIn(k, v, 1, Integer.MAX_VALUE))),
    QUEUE_HIGH_WATERMARK("queue-high-watermark", "FRACTION", Defaults.QUEUE_HIGH_WATERMARK, "queue fill above which publishers are paced",
            (c, k, v) -> c.broker().queueHighWatermark(fraction(k, v))),
    QUEUE_LOW_WATERMARK("queue-low-watermark", "FRACTION", Defaults.QUEUE_LOW_WATERMARK, "queue fill below which paced publishers resume",
            (c, k, v) -> c.broker().queueLowWatermark(fraction(k, v))),
    STUCK_SUBSCRIBER_MS("stuck-subscriber-ms", "MS", Defaults.STUCK_SUBSCRIBER_MS, "congested this long, a subscriber stops pacing",
            (c, k, v) -> c.broker().stuckSubscriberMs(longIn(k, v, 1, Long.MAX_VALUE))),
    MAX_SESSIONS("max-sessions", "N", Defaults.MAX_SESSIONS, "most sessions the broker holds",
            (c, k, v) -> c.broker().maxSessions(intIn(k, v, 1, Integer.MAX_VALUE))),
    SEGMENT_BYTES("segment-bytes", "BYTES", Defaults.SEGMENT_BYTES, "log segment size before it rolls",
            (c, k, v) -> c.broker().segmentBytes(longIn(k, v, 1, Long.MAX_VALUE))),
    SEGMENT_ROLL_MS("segment-roll-ms", "MS", Defaults.SEGMENT_ROLL_MS, "log segment age before it rolls",
            (c, k, v) -> c.broker().segmentRollMs(longIn(k, v, 1, Long.MAX_VALUE))),
    RETENTION_MS("retention-ms", "MS", Defaults.RETENTION_MS, "log retention by age (0 = forever)",
            (c, k, v) -> c.broker().retentionMs(longIn(k, v, 0, Long.MAX_VALUE))),
    RETENTION_BYTES("retention-bytes", "BYTES", Defaults.RETENTION_BYTES, "log retention by size (0 = no limit)",
            (c, k, v) -> c.broker().retentionBytes(longIn(k, v, 0, Long.MAX_VALUE))),
    TOMBSTONE_RETENTION_MS("tombstone-retention-ms", "MS", Defaults.TOMBSTONE_RETENTION_MS, "how long compaction keeps delete markers",
            (c, k, v) -> c.broker().tombstoneRetentionMs(longIn(k, v, 0, Long.MAX_VALUE))),
    COMPACTION_INTERVAL_MS("compaction-interval-ms", "MS", Defaults.COMPACTION_INTERVAL_MS, "period of log compaction by key",
            (c, k, v) -> c.broker().compactionIntervalMs(longIn(k, v, 1, Long.MAX_VALUE))),
    COMPACTION_MAP_BYTES("compaction-map-bytes", "BYTES", Defaults.COMPACTION_MAP_BYTES, "memory one compaction pass may use for its key map",
            (c, k, v) -> c.broker().compactionMapBytes(longIn(k, v, 4096, Long.MAX_VALUE))),
    MAX_TOPIC_LENGTH("max-topic-length", "BYTES", Defaults.MAX_TOPIC_LENGTH, "longest topic name or filter; longer: DISCONNECT 0x90 / SUBACK 0x8F (3.1.1: close / 0x80)",
            (c, k, v) -> c.broker().maxTopicLength(intIn(k, v, 1, Defaults.MAX_TOPIC_LENGTH))),
    MAX_TOPIC_LEVELS("max-topic-levels", "N", Defaults.MAX_TOPIC_LEVELS, "most levels of a topic name or filter (a/b/c has 3); refused like an over-long topic",
            (c, k, v) -> c.broker().maxTopicLevels(intIn(k, v, 1, Defaults.MAX_TOPIC_LENGTH))),
    MAX_SUBSCRIPTIONS_PER_SESSION("max-subscriptions-per-session", "N", Defaults.MAX_SUBSCRIPTIONS_PER_SESSION, "subscriptions one session holds; more get SUBACK 0x97 (3.1.1: 0x80)",
            (c, k, v) -> c.broker().maxSubscriptionsPerSession(intIn(k, v, 1, Integer.MAX_VALUE))),
    MAX_RETAINED_MESSAGES("max-retained-messages", "N", Defaults.MAX_RETAINED_MESSAGES, "topics with a retained message; a retained publish to a new topic beyond gets PUBACK 0x97 (QoS 0, 3.1.1: close; HTTP 429) (0 = no limit)",
            (c, k, v) -> c.broker().maxRetainedMessages(intIn(k, v, 0, Integer.MAX_VALUE))),
    MAX_QUEUED_BYTES("max-queued-bytes", "BYTES", Defaults.MAX_QUEUED_BYTES, "payload bytes each subscriber queue holds; above, its publishers are paced as for max-queued (0 = no limit; default: min(64 MiB, an eighth of the heap))",
            (c, k, v) -> c.maxQueuedBytes(longIn(k, v, 0, Long.MAX_VALUE))),
    MAX_QUEUED_BYTES_TOTAL("max-queued-bytes-total", "BYTES", "heap/4", "payload bytes all subscriber queues together hold; above, publishers are paced, QoS 0 refused first, as for max-queued-bytes (0 = no limit; default: a quarter of the heap)",
            (c, k, v) -> c.broker().maxQueuedBytesTotal(longIn(k, v, 0, Long.MAX_VALUE))),
    IO_THREADS("io-threads", "N", "cores / 2", "event loop threads serving MQTT and WebSocket connections (0 = one per two cores)",
            (c, k, v) -> c.ioThreads(intIn(k, v, 0, 1_024))),
    IO_SPIN_US("io-spin-us", "MICROS", "auto", "how long an event loop keeps polling after its last work before it sleeps: no wake-up latency under a steady stream, for up to that much CPU per quiet gap; a stream of 2,000 polls with work a second has gaps up to ten times that bridged, within a tenth of a core (0 = sleep at once; auto = " + TransportOptions.IO_SPIN_MICROS + " when the broker is pinned to some of the cores, else 0)",
            (c, k, v) -> c.ioSpinMicros("auto".equalsIgnoreCase(v.trim()) ? TransportOptions.IO_SPIN_AUTO : longIn(k, v, 0, 1_000_000))),
    DISPATCHER_THREADS("dispatcher-threads", "N", "cores", "threads running in-process consumers' handlers",
            (c, k, v) -> c.broker().dispatcherThreads(intIn(k, v, 1, 4_096))),

    // MQTT 5 limits the broker announces in CONNACK (BrokerConfig).
    MAX_TOPIC_ALIASES("max-topic-aliases", "N", Defaults.MAX_TOPIC_ALIASES, "MQTT 5: topic aliases a client may use towards the broker (0 = none)",
            (c, k, v) -> c.broker().maxTopicAliases(intIn(k, v, 0, 65_535))),
    RECEIVE_MAXIMUM("receive-maximum", "N", Defaults.RECEIVE_MAXIMUM, "MQTT 5: QoS 1/2 publishes a client may have unacknowledged towards the broker",
            (c, k, v) -> c.broker().receiveMaximum(intIn(k, v, 1, 65_535))),
    SERVER_KEEP_ALIVE("server-keep-alive", "SECONDS", Defaults.SERVER_KEEP_ALIVE_SECONDS, "MQTT 5: keep-alive the broker imposes (0 = honour the client's)",
            (c, k, v) -> c.broker().serverKeepAliveSeconds(intIn(k, v, 0, 65_535))),
    MAX_SESSION_EXPIRY("max-session-expiry", "SECONDS", Defaults.MAX_SESSION_EXPIRY_SECONDS, "MQTT 5: longest session expiry a client may ask for (4294967295 = never expires)",
            (c, k, v) -> c.broker().maxSessionExpirySeconds(longIn(k, v, 0, Defaults.MAX_SESSION_EXPIRY_SECONDS))),

    // Disk space (BrokerConfig): see gomq-core/LOG.md "Disk space".
    DISK_RESERVE_BYTES("disk-reserve-bytes", "BYTES|auto", "auto", "free space kept on the data volume: below it publishes that need the log wait (no PUBACK; HTTP 507) until space returns (auto = min(max(64 MiB, 2 %), 25 %) of the volume)",
            (c, k, v) -> c.broker().diskReserveBytes("auto".equalsIgnoreCase(text(v).trim()) ? -1 : longIn(k, v, 0, Long.MAX_VALUE))),
    DISK_FULL_TIMEOUT_MS("disk-full-timeout-ms", "MS", Defaults.DISK_FULL_TIMEOUT_MS, "how long a publisher waits for disk space before its connection closes",
            (c, k, v) -> c.broker().diskFullTimeoutMs(longIn(k, v, 1, Long.MAX_VALUE)));

    /** Applies a raw value; {@code label} is the name the user wrote, for error messages. */
    @FunctionalInterface
    interface Applier {
        void apply(LauncherConfig config, String label, String raw);
    }

    private final String key;
    private final String label;
    private final String defaultText;
    private final String description;
    private final Applier applier;

    /** @param defaultValue the default as the user would write it (null = none); shown by --help */
    ConfigKey(String key, String label, Object defaultValue, String description, Applier applier) {
        this.key = key;
        this.label = label;
        this.defaultText = defaultValue == null ? null : String.valueOf(defaultValue);
        this.description = description;
        this.applier = applier;
    }

    /** The kebab-case name used in files and as the command-line flag (without "--"). */
    public String key() {
        return key;
    }

    /** {@code GOMQ_} + upper snake case, e.g. GOMQ_DATA_DIR. */
    public String envName() {
        return LauncherDefaults.ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    public String description() {
        return description;
    }

    /** What the value looks like, for --help: PORT, FILE, BOOL, ... */
    public String label() {
        return label;
    }

    /** The default as text ("9000", "off"), or null when there is none. */
    public String defaultText() {
        return defaultText;
    }

    /** A boolean: the flag alone means true. */
    public boolean isSwitch() {
        return BOOL.equals(label);
    }

    /** Takes a comma-separated list; the flag may also repeat ({@code --etcd a --etcd b}). */
    public boolean isList() {
        return this == ETCD;
    }

    /** Parses {@code raw} and sets it on {@code config}; throws ConfigException naming {@code label}. */
    public void apply(LauncherConfig config, String label, String raw) {
        applier.apply(config, label, raw == null ? "" : raw);
    }

    public static Optional<ConfigKey> byKey(String key) {
        for (ConfigKey k : values()) {
            if (k.key.equals(key)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    public static Optional<ConfigKey> byEnvName(String name) {
        for (ConfigKey k : values()) {
            if (k.envName().equals(name)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** An enumerated value; the parser's message says which words are allowed. */
    private static <T> T choice(String label, String raw, java.util.function.Function<String, T> parse) {
        try {
            return parse.apply(raw);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(label, raw, e.getMessage());
        }
    }

    private static boolean deniedPublish(String key, String raw) {
        String v = text(raw).trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "ack" -> false;
            case "disconnect" -> true;
            default -> throw new ConfigException(key, raw, "expected ack or disconnect");
        };
    }

    private static Durability parseDurability(String label, String raw) {
        try {
            return Durability.parse(raw);
        } catch (ConfigException e) {
            // Durability.parse names "durability"; name what the user wrote instead.
            throw new ConfigException(label, raw, "expected write, fsync or fsync-batched");
        }
    }
}
