package io.gomq.core.config;

import io.gomq.core.time.BrokerClock;

import java.nio.file.Path;

/**
 * The engine's settings: one mutable context filled by a builder-like fluent API, checked
 * once by {@link #conclude()} before anything starts. Accessors without {@code get}, units in
 * the name. Defaults and property names live in {@link Defaults}.
 */
public final class BrokerConfig {
    private Path dataDir = Path.of(Defaults.DATA_DIR);
    private boolean persistent = Defaults.PERSISTENT;
    private Durability durability = Durability.WRITE;
    private long fsyncIntervalMs = Defaults.FSYNC_INTERVAL_MS;
    private int maxPayloadBytes = Defaults.MAX_PAYLOAD_BYTES;
    private int maxInflight = Defaults.MAX_INFLIGHT;
    private int maxQueuedMessages = Defaults.MAX_QUEUED_MESSAGES;
    private double queueHighWatermark = Defaults.QUEUE_HIGH_WATERMARK;
    private double queueLowWatermark = Defaults.QUEUE_LOW_WATERMARK;
    private long stuckSubscriberMs = Defaults.STUCK_SUBSCRIBER_MS;
    private int maxSessions = Defaults.MAX_SESSIONS;
    private long segmentBytes = Defaults.SEGMENT_BYTES;
    private long segmentRollMs = Defaults.SEGMENT_ROLL_MS;
    private long retentionMs = Defaults.RETENTION_MS;
    private long retentionBytes = Defaults.RETENTION_BYTES;
    private long tombstoneRetentionMs = Defaults.TOMBSTONE_RETENTION_MS;
    private long compactionIntervalMs = Defaults.COMPACTION_INTERVAL_MS;
    private long compactionMapBytes = Defaults.COMPACTION_MAP_BYTES;
    private int dispatcherThreads = Defaults.DISPATCHER_THREADS;
    private int maxTopicAliases = Defaults.MAX_TOPIC_ALIASES;
    private int receiveMaximum = Defaults.RECEIVE_MAXIMUM;
    private int serverKeepAliveSeconds = Defaults.SERVER_KEEP_ALIVE_SECONDS;
    private long maxSessionExpirySeconds = Defaults.MAX_SESSION_EXPIRY_SECONDS;
    private long diskReserveBytes = Defaults.DISK_RESERVE_BYTES;
    private long diskFullTimeoutMs = Defaults.DISK_FULL_TIMEOUT_MS;
    private int maxTopicLength = Defaults.MAX_TOPIC_LENGTH;
    private int maxTopicLevels = Defaults.MAX_TOPIC_LEVELS;
    private int maxSubscriptionsPerSession = Defaults.MAX_SUBSCRIPTIONS_PER_SESSION;
    private int maxRetainedMessages = Defaults.MAX_RETAINED_MESSAGES;
    private long maxQueuedBytes = Defaults.MAX_QUEUED_BYTES;
    private long maxQueuedBytesTotal = Defaults.maxQueuedBytesTotal();
    private BrokerClock clock = BrokerClock.system();
    private boolean concluded;

    public static BrokerConfig defaults() {
        return new BrokerConfig();
    }

    /** Validates every setting; throws {@link ConfigException} naming the first bad key. Idempotent. */
    public BrokerConfig conclude() {
        positive("max-payload-bytes", maxPayloadBytes);
        if (maxPayloadBytes > 268_435_455) {
            throw new ConfigException("max-payload-bytes", maxPayloadBytes, "MQTT allows at most 268435455");
        }
        range("max-inflight", maxInflight, 1, 65_535);
        positive("max-queued", maxQueuedMessages);
        if (!(queueLowWatermark > 0 && queueLowWatermark < queueHighWatermark && queueHighWatermark < 1.0)) {
            throw new ConfigException("queue-watermarks", queueLowWatermark + "/" + queueHighWatermark,
                    "need 0 < low < high < 1");
        }
        positive("stuck-subscriber-ms", stuckSubscriberMs);
        positive("max-sessions", maxSessions);
        positive("segment-bytes", segmentBytes);
        positive("segment-roll-ms", segmentRollMs);
        positive("fsync-interval-ms", fsyncIntervalMs);
        positive("compaction-interval-ms", compactionIntervalMs);
        if (compactionMapBytes < 4096) {
            throw new ConfigException("compaction-map-bytes", compactionMapBytes, "must be >= 4096");
        }
        positive("dispatcher-threads", dispatcherThreads);
        if (diskReserveBytes < -1) {
            throw new ConfigException("disk-reserve-bytes", diskReserveBytes, "must be >= 0 (or -1 = automatic)");
        }
        positive("disk-full-timeout-ms", diskFullTimeoutMs);
        if (retentionMs < 0) {
            throw new ConfigException("retention-ms", retentionMs, "must be >= 0 (0 = keep forever)");
        }
        if (retentionBytes < 0) {
            throw new ConfigException("retention-bytes", retentionBytes, "must be >= 0 (0 = no limit)");
        }
        if (tombstoneRetentionMs < 0) {
            throw new ConfigException("tombstone-retention-ms", tombstoneRetentionMs, "must be >= 0");
        }
        range("max-topic-aliases", maxTopicAliases, 0, 65_535);
        range("receive-maximum", receiveMaximum, 1, 65_535);
        range("server-keep-alive", serverKeepAliveSeconds, 0, 65_535);
        range("max-session-expiry", maxSessionExpirySeconds, 0, Defaults.MAX_SESSION_EXPIRY_SECONDS);
        range("max-topic-length", maxTopicLength, 1, Defaults.MAX_TOPIC_LENGTH);
        range("max-topic-levels", maxTopicLevels, 1, Defaults.MAX_TOPIC_LENGTH);
        positive("max-subscriptions-per-session", maxSubscriptionsPerSession);
        if (maxRetainedMessages < 0) {
            throw new ConfigException("max-retained-messages", maxRetainedMessages, "must be >= 0 (0 = no limit)");
        }
        if (maxQueuedBytes < 0) {
            throw new ConfigException("max-queued-bytes", maxQueuedBytes, "must be >= 0 (0 = no limit)");
        }
        if (maxQueuedBytesTotal < 0) {
            throw new ConfigException("max-queued-bytes-total", maxQueuedBytesTotal, "must be >= 0 (0 = no limit)");
        }
        if (persistent && dataDir == null) {
            throw new ConfigException("data-dir", null, "required when persistence is on");
        }
        concluded = true;
        return this;
    }

    public boolean isConcluded() { return concluded; }

    public Path dataDir() { return dataDir; }
    public BrokerConfig dataDir(Path v) { dataDir = v; return this; }
    /** Whether the durable log is on; off runs a memory-only broker (tests, edge caches). */
    public boolean persistent() { return persistent; }
    public BrokerConfig persistent(boolean v) { persistent = v; return this; }
    public Durability durability() { return durability; }
    public BrokerConfig durability(Durability v) { durability = v; return this; }
    public long fsyncIntervalMs() { return fsyncIntervalMs; }
    public BrokerConfig fsyncIntervalMs(long v) { fsyncIntervalMs = v; return this; }
    public int maxPayloadBytes() { return maxPayloadBytes; }
    public BrokerConfig maxPayloadBytes(int v) { maxPayloadBytes = v; return this; }
    /** Outgoing QoS>=1 messages awaiting acknowledgement, per session. */
    public int maxInflight() { return maxInflight; }
    public BrokerConfig maxInflight(int v) { maxInflight = v; return this; }
    /** Capacity of each subscriber queue (messages). */
    public int maxQueuedMessages() { return maxQueuedMessages; }
    public BrokerConfig maxQueuedMessages(int v) { maxQueuedMessages = v; return this; }
    /** Fill fraction above which publishers into a queue are paced. */
    public double queueHighWatermark() { return queueHighWatermark; }
    public BrokerConfig queueHighWatermark(double v) { queueHighWatermark = v; return this; }
    /** Fill fraction below which paced publishers resume. */
    public double queueLowWatermark() { return queueLowWatermark; }
    public BrokerConfig queueLowWatermark(double v) { queueLowWatermark = v; return this; }
    /** A subscriber congested this long stops pacing publishers and starts dropping QoS 0. */
    public long stuckSubscriberMs() { return stuckSubscriberMs; }
    public BrokerConfig stuckSubscriberMs(long v) { stuckSubscriberMs = v; return this; }
    public int maxSessions() { return maxSessions; }
    public BrokerConfig maxSessions(int v) { maxSessions = v; return this; }
    public long segmentBytes() { return segmentBytes; }
    public BrokerConfig segmentBytes(long v) { segmentBytes = v; return this; }
    public long segmentRollMs() { return segmentRollMs; }
    public BrokerConfig segmentRollMs(long v) { segmentRollMs = v; return this; }
    /** 0 = keep forever. */
    public long retentionMs() { return retentionMs; }
    public BrokerConfig retentionMs(long v) { retentionMs = v; return this; }
    /** 0 = no limit. */
    public long retentionBytes() { return retentionBytes; }
    public BrokerConfig retentionBytes(long v) { retentionBytes = v; return this; }
    public long tombstoneRetentionMs() { return tombstoneRetentionMs; }
    public BrokerConfig tombstoneRetentionMs(long v) { tombstoneRetentionMs = v; return this; }
    public long compactionIntervalMs() { return compactionIntervalMs; }
    public BrokerConfig compactionIntervalMs(long v) { compactionIntervalMs = v; return this; }
    /** The most memory one compaction pass's key map may take; keys beyond it wait for a later pass. */
    public long compactionMapBytes() { return compactionMapBytes; }
    public BrokerConfig compactionMapBytes(long v) { compactionMapBytes = v; return this; }
    /** Threads that run in-process consumers' handlers. */
    public int dispatcherThreads() { return dispatcherThreads; }
    public BrokerConfig dispatcherThreads(int v) { dispatcherThreads = v; return this; }

    /** MQTT 5 Topic Alias Maximum: aliases a client may set up towards the broker; 0 = none. */
    public int maxTopicAliases() { return maxTopicAliases; }
    public BrokerConfig maxTopicAliases(int v) { maxTopicAliases = v; return this; }
    /**
     * MQTT 5 Receive Maximum: QoS 1/2 publishes a client may have unacknowledged towards the
     * broker. The inbound twin of {@link #maxInflight()} (the broker's own sending window).
     */
    public int receiveMaximum() { return receiveMaximum; }
    public BrokerConfig receiveMaximum(int v) { receiveMaximum = v; return this; }
    /** MQTT 5 Server Keep Alive the broker imposes, seconds; 0 = honour the client's keep-alive. */
    public int serverKeepAliveSeconds() { return serverKeepAliveSeconds; }
    public BrokerConfig serverKeepAliveSeconds(int v) { serverKeepAliveSeconds = v; return this; }
    /** The longest MQTT 5 Session Expiry Interval granted, seconds; 4294967295 = never expires. */
    public long maxSessionExpirySeconds() { return maxSessionExpirySeconds; }
    public BrokerConfig maxSessionExpirySeconds(long v) { maxSessionExpirySeconds = v; return this; }
    /**
     * Free space the log leaves on the data directory's file system: below it appends are refused
     * (no PUBACK, HTTP 507) until space returns. -1 (default): min(max(64 MiB, 2 %), 25 %) of the volume.
     */
    public long diskReserveBytes() { return diskReserveBytes; }
    public BrokerConfig diskReserveBytes(long v) { diskReserveBytes = v; return this; }
    /** How long a publish the log refused for lack of disk is held (its publisher paced) before the connection closes. */
    public long diskFullTimeoutMs() { return diskFullTimeoutMs; }
    public BrokerConfig diskFullTimeoutMs(long v) { diskFullTimeoutMs = v; return this; }

    /** Longest topic name or filter, UTF-8 bytes (65535, the MQTT maximum, by default). */
    public int maxTopicLength() { return maxTopicLength; }
    public BrokerConfig maxTopicLength(int v) { maxTopicLength = v; return this; }
    /** Most levels ({@code a/b/c} has 3) of a topic name or filter. */
    public int maxTopicLevels() { return maxTopicLevels; }
    public BrokerConfig maxTopicLevels(int v) { maxTopicLevels = v; return this; }
    /** Most subscriptions one session holds; a SUBSCRIBE beyond it is refused for that filter. */
    public int maxSubscriptionsPerSession() { return maxSubscriptionsPerSession; }
    public BrokerConfig maxSubscriptionsPerSession(int v) { maxSubscriptionsPerSession = v; return this; }
    /** Most topics with a retained message; a retained publish to a new topic beyond it is refused. 0 = no limit. */
    public int maxRetainedMessages() { return maxRetainedMessages; }
    public BrokerConfig maxRetainedMessages(int v) { maxRetainedMessages = v; return this; }
    /** Payload bytes one subscriber queue holds at most; above it the queue counts as full. 0 = no limit. */
    public long maxQueuedBytes() { return maxQueuedBytes; }
    public BrokerConfig maxQueuedBytes(long v) { maxQueuedBytes = v; return this; }
    /**
     * Payload bytes all subscriber queues together hold at most, with the per-queue rules (pacing,
     * QoS 0 refused first). Default: a quarter of the heap. 0 = no limit.
     */
    public long maxQueuedBytesTotal() { return maxQueuedBytesTotal; }
    public BrokerConfig maxQueuedBytesTotal(long v) { maxQueuedBytesTotal = v; return this; }
    /** The time source of expiry, timers, retention and keep-alive; tests set a manual one. Not a setting. */
    public BrokerClock clock() { return clock; }
    public BrokerConfig clock(BrokerClock v) { clock = java.util.Objects.requireNonNull(v, "clock"); return this; }

    private static void positive(String key, long v) {
        if (v <= 0) {
            throw new ConfigException(key, v, "must be > 0");
        }
    }

    private static void range(String key, long v, long lo, long hi) {
        if (v < lo || v > hi) {
            throw new ConfigException(key, v, "must be between " + lo + " and " + hi);
        }
    }

    @Override
    public String toString() {
        return "BrokerConfig{dataDir=" + dataDir + ", persistent=" + persistent + ", durability=" + durability
                + ", maxPayloadBytes=" + maxPayloadBytes + ", maxInflight=" + maxInflight
                + ", maxQueued=" + maxQueuedMessages + ", segmentBytes=" + segmentBytes
                + ", maxTopicAliases=" + maxTopicAliases + ", receiveMaximum=" + receiveMaximum
                + ", serverKeepAliveSeconds=" + serverKeepAliveSeconds + ", maxSessionExpirySeconds=" + maxSessionExpirySeconds + '}';
    }
}
