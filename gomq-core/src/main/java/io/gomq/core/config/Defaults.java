package io.gomq.core.config;

/** Default values of {@link BrokerConfig}, in one place. */
public final class Defaults {
    public static final String DATA_DIR = "./data";
    public static final boolean PERSISTENT = true;
    public static final long FSYNC_INTERVAL_MS = 100;
    public static final int MAX_PAYLOAD_BYTES = 1024 * 1024;
    public static final int MAX_INFLIGHT = 64;
    public static final int MAX_QUEUED_MESSAGES = 4096;
    public static final double QUEUE_HIGH_WATERMARK = 0.75;
    public static final double QUEUE_LOW_WATERMARK = 0.25;
    public static final long STUCK_SUBSCRIBER_MS = 5_000;
    public static final int MAX_SESSIONS = 100_000;
    /** GoMQ split a topic log at 2 MB; one shared log rolls bigger segments. */
    public static final long SEGMENT_BYTES = 64L * 1024 * 1024;
    public static final long SEGMENT_ROLL_MS = 60 * 60 * 1000L;
    public static final long RETENTION_MS = 7 * 24 * 60 * 60 * 1000L;
    public static final long RETENTION_BYTES = 0;
    public static final long TOMBSTONE_RETENTION_MS = 24 * 60 * 60 * 1000L;
    public static final long COMPACTION_INTERVAL_MS = 60_000;
    /** The most one compaction pass's key map may take: 32-byte slots, about 1.5 million keys. */
    public static final long COMPACTION_MAP_BYTES = 64L << 20;
    /** -1: the reserve follows the volume, min(max(64 MiB, 2 %), 25 %) (see DiskSpace). */
    public static final long DISK_RESERVE_BYTES = -1;
    public static final long DISK_FULL_TIMEOUT_MS = 30_000;
    public static final int DISPATCHER_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
    /** MQTT 5 Topic Alias Maximum the broker announces: aliases a client may use towards it. */
    public static final int MAX_TOPIC_ALIASES = 64;
    /** MQTT 5 Receive Maximum the broker announces; the same window as {@link #MAX_INFLIGHT} the other way. */
    public static final int RECEIVE_MAXIMUM = 64;
    /** 0 = the broker honours the keep-alive the client asks for. */
    public static final int SERVER_KEEP_ALIVE_SECONDS = 0;
    /** Topic names and filters: the MQTT maximum (65535 UTF-8 bytes) unless set lower. */
    public static final int MAX_TOPIC_LENGTH = 65_535;
    /** Levels of a topic name or filter; Mosquitto stops at 200, deep hierarchies in practice stay under 20. */
    public static final int MAX_TOPIC_LEVELS = 128;
    /** Subscriptions one session may hold; more than any real client uses, far fewer than a hostile one tries. */
    public static final int MAX_SUBSCRIPTIONS_PER_SESSION = 10_000;
    /** Topics with a retained message; 0 = no limit. */
    public static final int MAX_RETAINED_MESSAGES = 1_000_000;
    /** Payload bytes one subscriber queue may hold (besides its message count); 0 = no limit. */
    public static final long MAX_QUEUED_BYTES = 64L << 20;
    /** Share of the JVM's heap that all subscriber queues together may hold in payload bytes (max-queued-bytes-total). */
    public static final int MAX_QUEUED_BYTES_TOTAL_HEAP_DIVISOR = 4;

    /** The default of max-queued-bytes-total: a quarter of this JVM's heap. */
    public static long maxQueuedBytesTotal() {
        return Runtime.getRuntime().maxMemory() / MAX_QUEUED_BYTES_TOTAL_HEAP_DIVISOR;
    }
    /** The largest MQTT 5 Session Expiry Interval, which means "never expires". */
    public static final long MAX_SESSION_EXPIRY_SECONDS = 0xFFFF_FFFFL;

    private Defaults() {
    }
}
