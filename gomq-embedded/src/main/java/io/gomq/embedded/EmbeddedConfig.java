package io.gomq.embedded;

import io.gomq.core.config.BrokerConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The settings of an embedded broker, checked and frozen when built: immutable, so one value can
 * start several brokers (each with its own {@link #dataDir()}) and no setting changes under a
 * running one. The names are those of the configuration file's keys, in camel case with the unit.
 *
 * <pre>{@code
 * EmbeddedConfig config = EmbeddedConfig.builder().dataDir(Path.of("data")).retentionMs(86_400_000).build();
 * }</pre>
 */
public final class EmbeddedConfig {
    /** When an append to the log counts as done (and a QoS&gt;=1 publish may be acknowledged). */
    public enum Durability {
        /** Written to the memory-mapped file: survives a kill -9 of the JVM, not a power loss (the default). */
        WRITE,
        /** Forced to disk before the acknowledgement: survives a power loss. */
        FSYNC,
        /** Written at once, forced to disk every {@code fsyncIntervalMs}: bounded loss on power failure. */
        FSYNC_BATCHED
    }

    private final List<Consumer<BrokerConfig>> settings;
    /** The concluded settings, read by the accessors; never handed out (each start gets a fresh copy). */
    private final BrokerConfig view;

    private EmbeddedConfig(List<Consumer<BrokerConfig>> settings) {
        this.settings = List.copyOf(settings);
        this.view = toEngineConfig();
    }

    /** {@return the defaults: a durable log in {@code data}} */
    public static EmbeddedConfig defaults() {
        return builder().build();
    }

    /** {@return a builder starting from the defaults} */
    public static Builder builder() {
        return new Builder(List.of());
    }

    /** {@return a builder starting from these settings} */
    public Builder toBuilder() {
        return new Builder(settings);
    }

    /** The engine's settings: a fresh, concluded copy per call. */
    BrokerConfig toEngineConfig() {
        BrokerConfig c = BrokerConfig.defaults();
        for (Consumer<BrokerConfig> s : settings) {
            s.accept(c);
        }
        return c.conclude();
    }

    /** {@return the durability of log appends} */
    public Durability durability() { return Durability.valueOf(view.durability().name()); }
    /** {@return the setting data-dir} */
    public java.nio.file.Path dataDir() { return view.dataDir(); }
    /** {@return the setting persistent} */
    public boolean persistent() { return view.persistent(); }
    /** {@return the setting fsync-interval-ms} */
    public long fsyncIntervalMs() { return view.fsyncIntervalMs(); }
    /** {@return the setting max-payload-bytes} */
    public int maxPayloadBytes() { return view.maxPayloadBytes(); }
    /** {@return the setting max-inflight} */
    public int maxInflight() { return view.maxInflight(); }
    /** {@return the setting max-queued} */
    public int maxQueuedMessages() { return view.maxQueuedMessages(); }
    /** {@return the setting max-queued-bytes} */
    public long maxQueuedBytes() { return view.maxQueuedBytes(); }
    /** {@return the setting max-queued-bytes-total} */
    public long maxQueuedBytesTotal() { return view.maxQueuedBytesTotal(); }
    /** {@return the setting stuck-subscriber-ms} */
    public long stuckSubscriberMs() { return view.stuckSubscriberMs(); }
    /** {@return the setting max-sessions} */
    public int maxSessions() { return view.maxSessions(); }
    /** {@return the setting segment-bytes} */
    public long segmentBytes() { return view.segmentBytes(); }
    /** {@return the setting segment-roll-ms} */
    public long segmentRollMs() { return view.segmentRollMs(); }
    /** {@return the setting retention-ms} */
    public long retentionMs() { return view.retentionMs(); }
    /** {@return the setting retention-bytes} */
    public long retentionBytes() { return view.retentionBytes(); }
    /** {@return the setting compaction-interval-ms} */
    public long compactionIntervalMs() { return view.compactionIntervalMs(); }
    /** {@return the setting dispatcher-threads} */
    public int dispatcherThreads() { return view.dispatcherThreads(); }
    /** {@return the setting receive-maximum} */
    public int receiveMaximum() { return view.receiveMaximum(); }
    /** {@return the setting max-session-expiry} */
    public long maxSessionExpirySeconds() { return view.maxSessionExpirySeconds(); }
    /** {@return the setting disk-reserve-bytes} */
    public long diskReserveBytes() { return view.diskReserveBytes(); }
    /** {@return the setting max-topic-length} */
    public int maxTopicLength() { return view.maxTopicLength(); }
    /** {@return the setting max-topic-levels} */
    public int maxTopicLevels() { return view.maxTopicLevels(); }
    /** {@return the setting max-subscriptions-per-session} */
    public int maxSubscriptionsPerSession() { return view.maxSubscriptionsPerSession(); }
    /** {@return the setting max-retained-messages} */
    public int maxRetainedMessages() { return view.maxRetainedMessages(); }

    @Override
    public String toString() {
        return "EmbeddedConfig" + view.toString().substring("BrokerConfig".length());
    }

    /** Collects settings; {@link #build()} checks them all at once. */
    public static final class Builder {
        private final List<Consumer<BrokerConfig>> settings;

        private Builder(List<Consumer<BrokerConfig>> from) {
            this.settings = new ArrayList<>(from);
        }

        private Builder set(Consumer<BrokerConfig> setting) {
            settings.add(setting);
            return this;
        }

        /**
         * When an append to the log counts as done. Key {@code durability} of the configuration file.
         *
         * @param v the durability
         * @return this builder
         */
        public Builder durability(Durability v) {
            io.gomq.core.config.Durability d = io.gomq.core.config.Durability.valueOf(Objects.requireNonNull(v, "durability").name());
            return set(c -> c.durability(d));
        }

        /**
         * Where the broker keeps its log (default {@code data}). Key {@code data-dir} of the configuration file.
         *
         * @param v the directory
         * @return this builder
         */
        public Builder dataDir(java.nio.file.Path v) { return set(c -> c.dataDir(Objects.requireNonNull(v, "dataDir"))); }

        /**
         * Whether the durable log is on (default true); off runs a memory-only broker: no files, no replay. Key {@code persistent} of the configuration file.
         *
         * @param v true for a durable log
         * @return this builder
         */
        public Builder persistent(boolean v) { return set(c -> c.persistent(v)); }

        /**
         * With {@link Durability#FSYNC_BATCHED}: how often the log is forced to disk. Key {@code fsync-interval-ms} of the configuration file.
         *
         * @param v milliseconds, &gt; 0
         * @return this builder
         */
        public Builder fsyncIntervalMs(long v) { return set(c -> c.fsyncIntervalMs(v)); }

        /**
         * The largest payload accepted. Key {@code max-payload-bytes} of the configuration file.
         *
         * @param v bytes, at most 268435455
         * @return this builder
         */
        public Builder maxPayloadBytes(int v) { return set(c -> c.maxPayloadBytes(v)); }

        /**
         * Outgoing QoS&gt;=1 messages awaiting acknowledgement, per session. Key {@code max-inflight} of the configuration file.
         *
         * @param v 1 .. 65535
         * @return this builder
         */
        public Builder maxInflight(int v) { return set(c -> c.maxInflight(v)); }

        /**
         * Capacity of each subscriber queue, messages. Key {@code max-queued} of the configuration file.
         *
         * @param v &gt; 0
         * @return this builder
         */
        public Builder maxQueuedMessages(int v) { return set(c -> c.maxQueuedMessages(v)); }

        /**
         * Payload bytes one subscriber queue holds at most; above it the queue counts as full. Key {@code max-queued-bytes} of the configuration file.
         *
         * @param v bytes; 0 = no limit
         * @return this builder
         */
        public Builder maxQueuedBytes(long v) { return set(c -> c.maxQueuedBytes(v)); }

        /**
         * Payload bytes all subscriber queues together hold at most, with the rules of
         * {@link #maxQueuedBytes}: publishers paced above it, QoS 0 refused first, QoS 1/2 of
         * persistent sessions read from the log. Key {@code max-queued-bytes-total} of the
         * configuration file. Default: a quarter of the JVM's heap.
         *
         * @param v bytes; 0 = no limit
         * @return this builder
         */
        public Builder maxQueuedBytesTotal(long v) { return set(c -> c.maxQueuedBytesTotal(v)); }

        /**
         * A subscriber congested this long stops pacing publishers and starts dropping QoS 0. Key {@code stuck-subscriber-ms} of the configuration file.
         *
         * @param v milliseconds, &gt; 0
         * @return this builder
         */
        public Builder stuckSubscriberMs(long v) { return set(c -> c.stuckSubscriberMs(v)); }

        /**
         * Most sessions (connected and persistent) at once. Key {@code max-sessions} of the configuration file.
         *
         * @param v &gt; 0
         * @return this builder
         */
        public Builder maxSessions(int v) { return set(c -> c.maxSessions(v)); }

        /**
         * Size at which the log starts a new segment. Key {@code segment-bytes} of the configuration file.
         *
         * @param v bytes, &gt; 0
         * @return this builder
         */
        public Builder segmentBytes(long v) { return set(c -> c.segmentBytes(v)); }

        /**
         * Age at which the log starts a new segment. Key {@code segment-roll-ms} of the configuration file.
         *
         * @param v milliseconds, &gt; 0
         * @return this builder
         */
        public Builder segmentRollMs(long v) { return set(c -> c.segmentRollMs(v)); }

        /**
         * How long closed segments are kept. Key {@code retention-ms} of the configuration file.
         *
         * @param v milliseconds; 0 = forever
         * @return this builder
         */
        public Builder retentionMs(long v) { return set(c -> c.retentionMs(v)); }

        /**
         * How many bytes of closed segments are kept. Key {@code retention-bytes} of the configuration file.
         *
         * @param v bytes; 0 = no limit
         * @return this builder
         */
        public Builder retentionBytes(long v) { return set(c -> c.retentionBytes(v)); }

        /**
         * How often closed segments are compacted (the newest message per key kept). Key {@code compaction-interval-ms} of the configuration file.
         *
         * @param v milliseconds, &gt; 0
         * @return this builder
         */
        public Builder compactionIntervalMs(long v) { return set(c -> c.compactionIntervalMs(v)); }

        /**
         * Threads that run in-process consumers' handlers. Key {@code dispatcher-threads} of the configuration file.
         *
         * @param v &gt; 0
         * @return this builder
         */
        public Builder dispatcherThreads(int v) { return set(c -> c.dispatcherThreads(v)); }

        /**
         * MQTT 5 Receive Maximum the broker announces: QoS&gt;=1 publishes a client may have unacknowledged towards it. Key {@code receive-maximum} of the configuration file.
         *
         * @param v 1 .. 65535
         * @return this builder
         */
        public Builder receiveMaximum(int v) { return set(c -> c.receiveMaximum(v)); }

        /**
         * The longest MQTT 5 Session Expiry Interval granted. Key {@code max-session-expiry} of the configuration file.
         *
         * @param v seconds; 4294967295 = never expires
         * @return this builder
         */
        public Builder maxSessionExpirySeconds(long v) { return set(c -> c.maxSessionExpirySeconds(v)); }

        /**
         * Free disk space below which the log refuses messages that must be stored. Key {@code disk-reserve-bytes} of the configuration file.
         *
         * @param v bytes; -1 = automatic
         * @return this builder
         */
        public Builder diskReserveBytes(long v) { return set(c -> c.diskReserveBytes(v)); }

        /**
         * Longest topic name or filter, UTF-8 bytes. Key {@code max-topic-length} of the configuration file.
         *
         * @param v 1 .. 65535
         * @return this builder
         */
        public Builder maxTopicLength(int v) { return set(c -> c.maxTopicLength(v)); }

        /**
         * Most levels ({@code a/b/c} has 3) of a topic name or filter. Key {@code max-topic-levels} of the configuration file.
         *
         * @param v &gt; 0
         * @return this builder
         */
        public Builder maxTopicLevels(int v) { return set(c -> c.maxTopicLevels(v)); }

        /**
         * Most subscriptions one session holds. Key {@code max-subscriptions-per-session} of the configuration file.
         *
         * @param v &gt; 0
         * @return this builder
         */
        public Builder maxSubscriptionsPerSession(int v) { return set(c -> c.maxSubscriptionsPerSession(v)); }

        /**
         * Most topics with a retained message; a retained publish to a new topic beyond it is refused. Key {@code max-retained-messages} of the configuration file.
         *
         * @param v 0 = no limit
         * @return this builder
         */
        public Builder maxRetainedMessages(int v) { return set(c -> c.maxRetainedMessages(v)); }

        /**
         * Checks every setting and freezes them.
         *
         * @return the settings
         * @throws IllegalArgumentException naming the first bad key and its value
         */
        public EmbeddedConfig build() {
            return new EmbeddedConfig(settings);
        }
    }
}
