package io.gomq.launcher.config;

import io.gomq.core.config.ConfigException;
import io.gomq.core.config.Durability;

import java.util.Locale;
import java.util.Optional;

import static io.gomq.launcher.config.ConfigValues.bool;
import static io.gomq.launcher.config.ConfigValues.endpoints;
import static io.gomq.launcher.config.ConfigValues.fraction;
import static io.gomq.launcher.config.ConfigValues.hostPort;
import static io.gomq.launcher.config.ConfigValues.intIn;
import static io.gomq.launcher.config.ConfigValues.longIn;
import static io.gomq.launcher.config.ConfigValues.path;
import static io.gomq.launcher.config.ConfigValues.text;

/**
 * Every setting the launcher reads, by its one name: the kebab-case key of config files and
 * command-line flags ({@code --max-inflight}), {@code GOMQ_MAX_INFLIGHT} in the environment.
 * Design note: one table instead of three parsers, so a file, a variable and a flag can never
 * disagree on what a value means.
 */
public enum ConfigKey {
    PORT("port", "MQTT listener port (0 = pick a free port)",
            (c, k, v) -> c.port(intIn(k, v, 0, 65_535))),
    HTTP_PORT("http-port", "HTTP listener port (0 = pick a free port)",
            (c, k, v) -> c.httpPort(intIn(k, v, 0, 65_535))),
    BIND("bind", "address the listeners bind to",
            (c, k, v) -> c.bind(text(v))),
    TLS_PORT("tls-port", "MQTT over TLS listener port (unset = no TLS)",
            (c, k, v) -> c.tlsPort(text(v) == null ? LauncherDefaults.TLS_DISABLED : intIn(k, v, 0, 65_535))),
    TLS_CERT("tls-cert", "PEM certificate chain for the TLS listener",
            (c, k, v) -> c.tlsCert(path(k, v))),
    TLS_KEY("tls-key", "PEM private key (PKCS#8) for the TLS listener",
            (c, k, v) -> c.tlsKey(path(k, v))),
    USERS("users", "users file: one name:hash line per user (gomqctl hash-password)",
            (c, k, v) -> c.usersFile(path(k, v))),
    ALLOW_ANONYMOUS("allow-anonymous", "accept clients without credentials even with a users file",
            (c, k, v) -> c.allowAnonymous(bool(k, v))),
    ETCD("etcd", "etcd endpoints, comma separated; set = cluster mode",
            (c, k, v) -> c.etcdEndpoints(endpoints(k, v))),
    NODE_ID("node-id", "this node's id in the cluster (default HOST:PORT)",
            (c, k, v) -> c.nodeId(text(v))),
    CLUSTER("cluster", "cluster name: the etcd key prefix",
            (c, k, v) -> c.clusterName(text(v))),
    ADVERTISE("advertise", "HOST:PORT other nodes and clients use to reach this node",
            (c, k, v) -> c.advertise(hostPort(k, v))),
    MIN_INSYNC("min-insync", "copies (the leader's included) of a QoS>=1 message before it is acknowledged: all (every in-sync member; default) or N (1 = the leader only)",
            (c, k, v) -> c.minInsync("all".equalsIgnoreCase(text(v).trim()) ? LauncherDefaults.MIN_INSYNC_ALL : intIn(k, v, 1, 1_000))),
    LEASE_TTL("lease-ttl", "etcd lease time-to-live in seconds: how fast a dead leader is replaced",
            (c, k, v) -> c.leaseTtlSeconds(intIn(k, v, 1, 3_600))),
    MAX_PACKET_SIZE("max-packet-size", "largest MQTT packet accepted, bytes (default: max-payload-bytes + headers)",
            (c, k, v) -> c.maxPacketSize(intIn(k, v, 0, LauncherDefaults.MQTT_MAX_PACKET_SIZE))),

    // The engine's settings (BrokerConfig).
    DATA_DIR("data-dir", "directory of the persistent log",
            (c, k, v) -> c.broker().dataDir(path(k, v))),
    PERSISTENT("persistent", "keep a durable log (false = memory only)",
            (c, k, v) -> c.broker().persistent(bool(k, v))),
    DURABILITY("durability", "write | fsync | fsync-batched: when a QoS>=1 append counts as done",
            (c, k, v) -> c.broker().durability(parseDurability(k, v))),
    FSYNC_INTERVAL_MS("fsync-interval-ms", "fsync period for durability fsync-batched",
            (c, k, v) -> c.broker().fsyncIntervalMs(longIn(k, v, 1, Long.MAX_VALUE))),
    MAX_PAYLOAD_BYTES("max-payload-bytes", "largest message payload",
            (c, k, v) -> c.broker().maxPayloadBytes(intIn(k, v, 1, 268_435_455))),
    MAX_INFLIGHT("max-inflight", "unacknowledged outgoing QoS>=1 messages per session",
            (c, k, v) -> c.broker().maxInflight(intIn(k, v, 1, 65_535))),
    MAX_QUEUED("max-queued", "capacity of each subscriber queue, messages",
            (c, k, v) -> c.broker().maxQueuedMessages(intIn(k, v, 1, Integer.MAX_VALUE))),
    QUEUE_HIGH_WATERMARK("queue-high-watermark", "queue fill above which publishers are paced",
            (c, k, v) -> c.broker().queueHighWatermark(fraction(k, v))),
    QUEUE_LOW_WATERMARK("queue-low-watermark", "queue fill below which paced publishers resume",
            (c, k, v) -> c.broker().queueLowWatermark(fraction(k, v))),
    STUCK_SUBSCRIBER_MS("stuck-subscriber-ms", "congested this long, a subscriber stops pacing",
            (c, k, v) -> c.broker().stuckSubscriberMs(longIn(k, v, 1, Long.MAX_VALUE))),
    MAX_SESSIONS("max-sessions", "most sessions the broker holds",
            (c, k, v) -> c.broker().maxSessions(intIn(k, v, 1, Integer.MAX_VALUE))),
    SEGMENT_BYTES("segment-bytes", "log segment size before it rolls",
            (c, k, v) -> c.broker().segmentBytes(longIn(k, v, 1, Long.MAX_VALUE))),
    SEGMENT_ROLL_MS("segment-roll-ms", "log segment age before it rolls",
            (c, k, v) -> c.broker().segmentRollMs(longIn(k, v, 1, Long.MAX_VALUE))),
    RETENTION_MS("retention-ms", "log retention by age (0 = forever)",
            (c, k, v) -> c.broker().retentionMs(longIn(k, v, 0, Long.MAX_VALUE))),
    RETENTION_BYTES("retention-bytes", "log retention by size (0 = no limit)",
            (c, k, v) -> c.broker().retentionBytes(longIn(k, v, 0, Long.MAX_VALUE))),
    TOMBSTONE_RETENTION_MS("tombstone-retention-ms", "how long compaction keeps delete markers",
            (c, k, v) -> c.broker().tombstoneRetentionMs(longIn(k, v, 0, Long.MAX_VALUE))),
    COMPACTION_INTERVAL_MS("compaction-interval-ms", "period of log compaction by key",
            (c, k, v) -> c.broker().compactionIntervalMs(longIn(k, v, 1, Long.MAX_VALUE))),
    COMPACTION_MAP_BYTES("compaction-map-bytes", "memory one compaction pass may use for its key map",
            (c, k, v) -> c.broker().compactionMapBytes(longIn(k, v, 4096, Long.MAX_VALUE))),
    DISPATCHER_THREADS("dispatcher-threads", "threads running in-process consumers' handlers",
            (c, k, v) -> c.broker().dispatcherThreads(intIn(k, v, 1, 4_096))),
    DISK_RESERVE_BYTES("disk-reserve-bytes", "free space kept on the data volume: below it QoS>=1 publishes that need the log wait (no PUBACK; HTTP 507) until space returns (auto = min(max(64 MiB, 2 %), 25 %) of the volume)",
            (c, k, v) -> c.broker().diskReserveBytes("auto".equalsIgnoreCase(text(v).trim()) ? -1 : longIn(k, v, 0, Long.MAX_VALUE))),
    DISK_FULL_TIMEOUT_MS("disk-full-timeout-ms", "how long a publisher waits for disk space before its connection closes",
            (c, k, v) -> c.broker().diskFullTimeoutMs(longIn(k, v, 1, Long.MAX_VALUE)));

    /** Applies a raw value; {@code label} is the name the user wrote, for error messages. */
    @FunctionalInterface
    interface Applier {
        void apply(LauncherConfig config, String label, String raw);
    }

    private final String key;
    private final String description;
    private final Applier applier;

    ConfigKey(String key, String description, Applier applier) {
        this.key = key;
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

    private static Durability parseDurability(String label, String raw) {
        try {
            return Durability.parse(raw);
        } catch (ConfigException e) {
            // Durability.parse names "durability"; name what the user wrote instead.
            throw new ConfigException(label, raw, "expected write, fsync or fsync-batched");
        }
    }
}
