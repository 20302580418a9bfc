package io.gomq.launcher.config;

/** Defaults of {@link LauncherConfig}: a standalone broker on GoMQ's ports. */
public final class LauncherDefaults {
    public static final int PORT = 9000;
    public static final int HTTP_PORT = 8000;
    public static final String BIND = "0.0.0.0";
    /** A listener port meaning "no such listener" (tls-port, ws-port, wss-port). */
    public static final int LISTENER_OFF = -1;
    /** {@code tls-port} value meaning "no TLS listener". */
    public static final int TLS_DISABLED = LISTENER_OFF;
    /** MQTT over WebSocket: on by default, next to the MQTT port. */
    public static final int WS_PORT = 9001;
    public static final String WS_PATH = "/mqtt";
    /** MQTT over secure WebSocket: off unless asked for (it needs a certificate). */
    public static final int WSS_PORT = LISTENER_OFF;
    public static final String CLUSTER_NAME = "gomq";
    /** {@code memory}: what the standalone jar's JVM is sized for (JvmSizing), about its resident set. */
    public static final String MEMORY = "256m";
    /** {@code memory} value meaning "leave the JVM as started". */
    public static final long MEMORY_OFF = 0;
    /** {@code class-archive-dir}: the user's cache directory; {@code ~} is the home directory. */
    public static final String CLASS_ARCHIVE_DIR = "~/.cache/gomq";
    /** {@code min-insync} "all": a QoS>=1 message is acknowledged once every in-sync member holds it. */
    public static final int MIN_INSYNC_ALL = -1;
    public static final int MIN_INSYNC = MIN_INSYNC_ALL;
    /** Short: a dead leader is replaced after about one TTL (keep-alives every TTL/4, so a 2 s lease survives a
     *  1.5 s GC pause or network blip), keeping failover well under 5 s. */
    public static final int LEASE_TTL_SECONDS = 2;
    /** etcd started after the node (or restarting, or electing) is waited for this long at start. */
    public static final long ETCD_STARTUP_TIMEOUT_MS = 60_000;
    /** {@code max-packet-size} value meaning "derive from max-payload-bytes". */
    public static final int MAX_PACKET_SIZE_DERIVED = 0;
    /** Remaining length (268435455) plus the largest fixed header (5 bytes). */
    public static final int MQTT_MAX_PACKET_SIZE = 268_435_460;
    /** Room a PUBLISH needs beyond its payload: fixed header, topic (<= 65535 + 2) and packet id. */
    public static final int PUBLISH_OVERHEAD_BYTES = 5 + 2 + 65_535 + 2;
    /** Prefix of the environment variables the launcher reads. */
    public static final String ENV_PREFIX = "GOMQ_";
    /** Environment variable naming the config file when --config is not given. */
    public static final String ENV_CONFIG = "GOMQ_CONFIG";

    private LauncherDefaults() {
    }
}
