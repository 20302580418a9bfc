package io.gomq.core.message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One published message. Immutable: the payload array is owned by the message and never
 * handed out; readers get a read-only view or a copy.
 *
 * <p>Design note: fan-out shares one instance between all subscribers. A subscriber granted a
 * lower QoS than the message gets {@link #withQos(Qos)}, a sibling that shares the payload and
 * is made at most once per QoS level, so delivery allocates nothing per subscriber.
 */
public final class Message {
    /** {@link #offset()} of a message that is not in the log. */
    public static final long NO_OFFSET = -1;
    private static final AtomicLong ID_SEQUENCE = new AtomicLong();

    private final long id;
    private final String topic;
    private final String key;
    private final byte[] payload;
    private final Qos qos;
    private final boolean retain;
    private final long timestampMillis;
    private final long offset;
    private final MessageProperties properties;
    /** The publishing client's id (for No Local), or null: in memory only, never stored. */
    private final String origin;
    /** Subscription identifiers of one delivery (MQTT 5), or null: set on a subscriber's copy only. */
    private final int[] subscriptionIds;
    private volatile Message[] downgrades;

    private Message(long id, String topic, String key, byte[] payload, Qos qos, boolean retain, long timestampMillis,
                    MessageProperties properties, String origin) {
        this(id, topic, key, payload, qos, retain, timestampMillis, NO_OFFSET, properties, origin, null);
    }

    private Message(long id, String topic, String key, byte[] payload, Qos qos, boolean retain, long timestampMillis,
                    long offset, MessageProperties properties, String origin, int[] subscriptionIds) {
        this.offset = offset;
        this.id = id;
        this.topic = topic;
        this.key = key;
        this.payload = payload;
        this.qos = qos;
        this.retain = retain;
        this.timestampMillis = timestampMillis;
        this.properties = properties == null ? MessageProperties.NONE : properties;
        this.origin = origin;
        this.subscriptionIds = subscriptionIds;
    }

    /** A message keyed by its topic (the MQTT default: compaction then keeps the newest per topic); copies the payload. */
    public static Message of(String topic, byte[] payload, Qos qos, boolean retain) {
        return builder(topic).payload(payload).qos(qos).retain(retain).build();
    }

    public static Builder builder(String topic) {
        return new Builder(topic);
    }

    /** Takes ownership of {@code payload} without a copy: the caller must not touch it afterwards. */
    public static Message wrap(String topic, String key, byte[] payload, Qos qos, boolean retain, long timestampMillis) {
        return wrap(topic, key, payload, qos, retain, timestampMillis, MessageProperties.NONE, null);
    }

    /**
     * Like {@link #wrap(String, String, byte[], Qos, boolean, long)}, with MQTT 5 properties and
     * the publishing client's id ({@code origin}, null for none), which No Local subscriptions use.
     */
    public static Message wrap(String topic, String key, byte[] payload, Qos qos, boolean retain, long timestampMillis,
                               MessageProperties properties, String origin) {
        return new Message(ID_SEQUENCE.incrementAndGet(), topic, key == null ? topic : key,
                Objects.requireNonNull(payload, "payload"), Objects.requireNonNull(qos, "qos"), retain, timestampMillis,
                properties, origin);
    }

    /** Rebuilds a message read back from storage, keeping its original id and timestamp. */
    public static Message restore(long id, String topic, String key, byte[] payload, Qos qos, boolean retain, long timestampMillis) {
        return restore(id, topic, key, payload, qos, retain, timestampMillis, MessageProperties.NONE);
    }

    /** Rebuilds a stored message with its MQTT 5 properties. */
    public static Message restore(long id, String topic, String key, byte[] payload, Qos qos, boolean retain,
                                  long timestampMillis, MessageProperties properties) {
        return restore(id, topic, key, payload, qos, retain, timestampMillis, properties, null);
    }

    /** Rebuilds a stored message with its MQTT 5 properties and the publishing client's id (null: not stored). */
    public static Message restore(long id, String topic, String key, byte[] payload, Qos qos, boolean retain,
                                  long timestampMillis, MessageProperties properties, String origin) {
        return new Message(id, topic, key == null ? topic : key, payload, qos, retain, timestampMillis, properties,
                origin);
    }

    public long id() { return id; }
    public String topic() { return topic; }
    /** Compaction key; the topic unless the publisher set one. */
    public String key() { return key; }
    public Qos qos() { return qos; }
    public boolean retain() { return retain; }
    public long timestampMillis() { return timestampMillis; }
    /** The message's offset in the durable log, or {@link #NO_OFFSET}. */
    public long offset() { return offset; }
    public boolean persisted() { return offset != NO_OFFSET; }
    public int payloadSize() { return payload.length; }
    public boolean isEmptyPayload() { return payload.length == 0; }
    /** MQTT 5 properties; {@link MessageProperties#NONE} for most messages. */
    public MessageProperties properties() { return properties; }
    /**
     * The publishing client's id when it has a No Local subscription (the only use of it), else
     * null; also null for in-process publishes.
     */
    public String origin() { return origin; }
    /** The subscription identifiers of this delivery (MQTT 5), or null. Do not modify. */
    public int[] subscriptionIds() { return subscriptionIds; }
    /** Whether the message has expired at {@code nowMillis} (MQTT 5 Message Expiry Interval). */
    public boolean expiredAt(long nowMillis) { return properties.expiredAt(timestampMillis, nowMillis); }

    /** A read-only view of the payload; no copy. */
    public ByteBuffer payload() {
        return ByteBuffer.wrap(payload).asReadOnlyBuffer();
    }

    /** A copy of the payload bytes. */
    public byte[] payloadBytes() {
        return payload.clone();
    }

    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    /** Writes the payload into {@code target} without an intermediate copy. */
    public void writePayloadTo(ByteBuffer target) {
        target.put(payload);
    }

    /** The same message as delivered at {@code granted} QoS: this one if it is not lower. */
    public Message withQos(Qos granted) {
        if (granted.ordinal() >= qos.ordinal()) {
            return this;
        }
        Message[] cache = downgrades;
        if (cache == null) {
            cache = new Message[2];
            downgrades = cache;
        }
        Message m = cache[granted.ordinal()];
        if (m == null) {
            m = new Message(id, topic, key, payload, granted, retain, timestampMillis, offset, properties, origin, null);
            cache[granted.ordinal()] = m; // benign race: two equal siblings at worst
        }
        return m;
    }

    /** The same message with the retain flag set as given (retained delivery vs live fan-out). */
    public Message withRetain(boolean flag) {
        return flag == retain ? this
                : new Message(id, topic, key, payload, qos, flag, timestampMillis, offset, properties, origin, subscriptionIds);
    }

    /**
     * This delivery with the subscription identifiers of the subscriptions it matched (MQTT 5);
     * a new instance per subscriber that uses identifiers, this one when {@code ids} is null.
     */
    public Message withSubscriptionIds(int[] ids) {
        return ids == null && subscriptionIds == null ? this
                : new Message(id, topic, key, payload, qos, retain, timestampMillis, offset, properties, origin, ids);
    }

    /** The same message as stored at {@code logOffset}. */
    public Message withOffset(long logOffset) {
        return logOffset == offset ? this
                : new Message(id, topic, key, payload, qos, retain, timestampMillis, logOffset, properties, origin, subscriptionIds);
    }

    public boolean samePayload(byte[] other) {
        return Arrays.equals(payload, other);
    }

    @Override
    public String toString() {
        return "Message{id=" + id + (offset >= 0 ? ", offset=" + offset : "") + ", topic='" + topic + "', key='" + key + "', qos=" + qos.value()
                + ", retain=" + retain + ", bytes=" + payload.length + (properties.isEmpty() ? "" : ", properties=" + properties) + '}';
    }

    public static final class Builder {
        private final String topic;
        private String key;
        private byte[] payload = new byte[0];
        private Qos qos = Qos.AT_MOST_ONCE;
        private boolean retain;
        private long timestampMillis = -1;
        private MessageProperties properties = MessageProperties.NONE;
        private String origin;

        private Builder(String topic) {
            this.topic = Objects.requireNonNull(topic, "topic");
        }

        public Builder key(String key) { this.key = key; return this; }
        public Builder payload(byte[] bytes) { this.payload = bytes.clone(); return this; }
        public Builder payload(String utf8) { this.payload = utf8.getBytes(StandardCharsets.UTF_8); return this; }
        public Builder qos(Qos qos) { this.qos = Objects.requireNonNull(qos, "qos"); return this; }
        public Builder qos(int qos) { this.qos = Qos.of(qos); return this; }
        public Builder retain(boolean retain) { this.retain = retain; return this; }
        public Builder timestampMillis(long millis) { this.timestampMillis = millis; return this; }
        public Builder properties(MessageProperties p) { this.properties = Objects.requireNonNull(p, "properties"); return this; }
        /** Adds an MQTT 5 User Property (names may repeat; the order is kept). */
        public Builder userProperty(String name, String value) { return edit(p -> p.userProperty(name, value)); }
        /** MQTT 5 Message Expiry Interval: not delivered once older than this (retained and queued copies too). */
        public Builder messageExpiry(java.time.Duration d) { return edit(p -> p.messageExpirySeconds(d.toSeconds())); }
        public Builder contentType(String type) { return edit(p -> p.contentType(type)); }
        public Builder responseTopic(String topic) { return edit(p -> p.responseTopic(topic)); }
        public Builder correlationData(byte[] data) { return edit(p -> p.correlationData(data)); }

        private Builder edit(java.util.function.Consumer<MessageProperties.Builder> change) {
            MessageProperties.Builder b = MessageProperties.builder().from(properties);
            change.accept(b);
            properties = b.build();
            return this;
        }
        public Builder origin(String clientId) { this.origin = clientId; return this; }

        public Message build() {
            long ts = timestampMillis >= 0 ? timestampMillis : System.currentTimeMillis();
            return new Message(ID_SEQUENCE.incrementAndGet(), topic, key == null ? topic : key, payload, qos, retain, ts,
                    properties, origin);
        }
    }
}
