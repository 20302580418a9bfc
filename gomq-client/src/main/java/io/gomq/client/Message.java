package io.gomq.client;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One message, as published or as delivered: immutable. The payload array is owned by the
 * message; {@link #payload()} hands out a copy, {@link #payloadBuffer()} a read-only view.
 *
 * <pre>{@code
 * Message m = Message.builder("sensors/door").key("door-1").payload("open").qos(Qos.AT_LEAST_ONCE)
 *         .userProperty("site", "north").build();
 * }</pre>
 *
 * The key is GoMQ's compaction key (GoMQ's {@code MsgKey}): the log keeps the newest message per
 * key; without one the topic is the key. The MQTT 5 properties (content type, response topic,
 * correlation data, user properties, expiry) travel with the message; an MQTT 3.1.1 path drops them.
 */
public final class Message {
    /** {@link #timestampMillis()} of a message the broker has not stamped yet. */
    public static final long NO_TIMESTAMP = -1;
    /** {@link #messageExpirySeconds()} of a message that does not expire. */
    public static final long NO_EXPIRY = -1;
    /**
     * The MQTT 5 User Property that carries the key over MQTT, between remote clients and the
     * broker: a keyed message goes out with it, and a delivery's key is read from it.
     */
    public static final String KEY_PROPERTY = "gomq-key";

    private final String topic;
    private final String key;
    private final byte[] payload;
    private final Qos qos;
    private final boolean retain;
    private final long timestampMillis;
    private final String contentType;
    private final String responseTopic;
    private final byte[] correlationData;
    private final List<UserProperty> userProperties;
    private final long messageExpirySeconds;

    private Message(Builder b) {
        this.topic = b.topic;
        this.key = b.key == null ? b.topic : b.key;
        this.payload = b.payload;
        this.qos = b.qos;
        this.retain = b.retain;
        this.timestampMillis = b.timestampMillis;
        this.contentType = b.contentType;
        this.responseTopic = b.responseTopic;
        this.correlationData = b.correlationData;
        this.userProperties = List.copyOf(b.userProperties);
        this.messageExpirySeconds = b.messageExpirySeconds;
    }

    /**
     * Starts a message to {@code topic}: no key, an empty payload, QoS 0, not retained.
     *
     * @param topic the topic name (no wildcards)
     * @return a builder
     */
    public static Builder builder(String topic) {
        return new Builder(topic);
    }

    /** {@return a builder holding this message's fields, to derive another message from it} */
    public Builder toBuilder() {
        Builder b = new Builder(topic).key(key).qos(qos).retain(retain).timestampMillis(timestampMillis)
                .contentType(contentType).responseTopic(responseTopic).messageExpirySeconds(messageExpirySeconds);
        b.payload = payload;
        b.correlationData = correlationData;
        b.userProperties.addAll(userProperties);
        return b;
    }

    /** {@return the topic} */
    public String topic() { return topic; }
    /** {@return the compaction key: the publisher's, or the topic} */
    public String key() { return key; }
    /** {@return the QoS: as published, or as delivered (the lower of the publisher's and the subscription's)} */
    public Qos qos() { return qos; }
    /** {@return the retain flag: on a delivery, whether it is a retained message sent because the subscription began} */
    public boolean retain() { return retain; }
    /** {@return when the broker stored it (epoch milliseconds), or {@link #NO_TIMESTAMP}} */
    public long timestampMillis() { return timestampMillis; }
    /** {@return the payload (a copy)} */
    public byte[] payload() { return payload.clone(); }
    /** {@return the payload as a read-only buffer, without a copy} */
    public ByteBuffer payloadBuffer() { return ByteBuffer.wrap(payload).asReadOnlyBuffer(); }
    /** {@return the payload's size in bytes} */
    public int payloadSize() { return payload.length; }
    /** {@return the payload decoded as UTF-8} */
    public String payloadAsString() { return new String(payload, StandardCharsets.UTF_8); }
    /** {@return the MQTT 5 Content Type, or null} */
    public String contentType() { return contentType; }
    /** {@return the MQTT 5 Response Topic of a request/response exchange, or null} */
    public String responseTopic() { return responseTopic; }
    /** {@return the MQTT 5 Correlation Data (a copy), or null} */
    public byte[] correlationData() { return correlationData == null ? null : correlationData.clone(); }
    /** {@return the MQTT 5 User Properties in the publisher's order} */
    public List<UserProperty> userProperties() { return userProperties; }
    /** {@return the MQTT 5 Message Expiry Interval in seconds, or {@link #NO_EXPIRY}} */
    public long messageExpirySeconds() { return messageExpirySeconds; }

    @Override
    public String toString() {
        return "Message{topic='" + topic + "'" + (key.equals(topic) ? "" : ", key='" + key + "'") + ", qos=" + qos.level()
                + (retain ? ", retained" : "") + ", bytes=" + payload.length
                + (userProperties.isEmpty() ? "" : ", userProperties=" + userProperties) + '}';
    }

    /** Builds a {@link Message}; not thread-safe, reusable (each {@link #build()} makes an independent message). */
    public static final class Builder {
        private static final byte[] EMPTY = new byte[0];
        private final String topic;
        private String key;
        private byte[] payload = EMPTY;
        private Qos qos = Qos.AT_MOST_ONCE;
        private boolean retain;
        private long timestampMillis = NO_TIMESTAMP;
        private String contentType;
        private String responseTopic;
        private byte[] correlationData;
        private final List<UserProperty> userProperties = new ArrayList<>();
        private long messageExpirySeconds = NO_EXPIRY;

        private Builder(String topic) {
            this.topic = Objects.requireNonNull(topic, "topic");
        }

        /**
         * The compaction key.
         *
         * @param key the key; null means the topic (the MQTT default)
         * @return this builder
         */
        public Builder key(String key) { this.key = key; return this; }
        /**
         * The payload.
         *
         * @param bytes the bytes (copied)
         * @return this builder
         */
        public Builder payload(byte[] bytes) { this.payload = bytes.clone(); return this; }
        /**
         * The payload as UTF-8 text.
         *
         * @param utf8 the text
         * @return this builder
         */
        public Builder payload(String utf8) { this.payload = utf8.getBytes(StandardCharsets.UTF_8); return this; }
        /**
         * The QoS.
         *
         * @param qos the delivery guarantee
         * @return this builder
         */
        public Builder qos(Qos qos) { this.qos = Objects.requireNonNull(qos, "qos"); return this; }
        /**
         * The retain flag.
         *
         * @param retain whether the broker keeps it as the topic's retained message
         * @return this builder
         */
        public Builder retain(boolean retain) { this.retain = retain; return this; }
        /**
         * The time the broker stored it; set on delivered and stored messages, ignored on publish.
         *
         * @param millis epoch milliseconds, or {@link #NO_TIMESTAMP}
         * @return this builder
         */
        public Builder timestampMillis(long millis) { this.timestampMillis = millis; return this; }
        /**
         * Adds an MQTT 5 User Property (names may repeat; the order is kept).
         *
         * @param name  the name
         * @param value the value
         * @return this builder
         */
        public Builder userProperty(String name, String value) { userProperties.add(new UserProperty(name, value)); return this; }
        /**
         * The MQTT 5 Content Type.
         *
         * @param type a MIME type, or null
         * @return this builder
         */
        public Builder contentType(String type) { this.contentType = type; return this; }
        /**
         * The MQTT 5 Response Topic.
         *
         * @param topic where the answer goes, or null
         * @return this builder
         */
        public Builder responseTopic(String topic) { this.responseTopic = topic; return this; }
        /**
         * The MQTT 5 Correlation Data.
         *
         * @param data the bytes (copied), or null
         * @return this builder
         */
        public Builder correlationData(byte[] data) { this.correlationData = data == null ? null : data.clone(); return this; }
        /**
         * The MQTT 5 Message Expiry Interval: not delivered once older than this.
         *
         * @param expiry the lifetime, whole seconds
         * @return this builder
         */
        public Builder messageExpiry(Duration expiry) { return messageExpirySeconds(expiry.toSeconds()); }

        private Builder messageExpirySeconds(long seconds) {
            if (seconds < NO_EXPIRY || seconds > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("message expiry must be 0 .. 4294967295 s, was " + seconds);
            }
            this.messageExpirySeconds = seconds;
            return this;
        }

        /** {@return the message} */
        public Message build() {
            return new Message(this);
        }
    }
}
