package io.gomq.core.message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What an MQTT 5 publisher may attach to a message beyond topic and payload, and what the broker
 * keeps with it (in the log too) and forwards to every subscriber that speaks MQTT 5: payload
 * format, message expiry interval, content type, response topic, correlation data and user
 * properties (in the publisher's order, names may repeat). Immutable.
 *
 * <p>Per-hop properties are not here: a topic alias belongs to one connection and subscription
 * identifiers to one subscriber. An MQTT 3.1.1 subscriber gets none of these (its protocol has no
 * place for them); a 3.1.1 publisher's messages carry {@link #NONE}, which costs nothing.
 */
public final class MessageProperties {
    /** No property at all: every message from an MQTT 3.1.1 client or a plain in-process publish. */
    public static final MessageProperties NONE = new MessageProperties(null, -1, null, null, null, List.of());

    /** {@link #messageExpirySeconds()} of a message that never expires. */
    public static final long NO_EXPIRY = -1;
    /**
     * The MQTT 5 User Property that carries GoMQ's compaction key (MsgKey) over MQTT: a PUBLISH
     * with it is keyed by its value, and subscribers get it with the message. The same name as
     * the client API's {@code Message.KEY_PROPERTY}.
     */
    public static final String KEY_PROPERTY = "gomq-key";

    private final Boolean payloadUtf8;
    private final long messageExpirySeconds;
    private final String contentType;
    private final String responseTopic;
    private final byte[] correlationData;
    private final List<UserProperty> userProperties;

    private MessageProperties(Boolean payloadUtf8, long messageExpirySeconds, String contentType, String responseTopic,
                              byte[] correlationData, List<UserProperty> userProperties) {
        this.payloadUtf8 = payloadUtf8;
        this.messageExpirySeconds = messageExpirySeconds;
        this.contentType = contentType;
        this.responseTopic = responseTopic;
        this.correlationData = correlationData;
        this.userProperties = userProperties;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Payload Format Indicator: TRUE for UTF-8 text (1), FALSE for unspecified bytes (0), null when absent. */
    public Boolean payloadUtf8() { return payloadUtf8; }
    /** Message Expiry Interval in seconds as the publisher gave it, or {@link #NO_EXPIRY}. */
    public long messageExpirySeconds() { return messageExpirySeconds; }
    public boolean expires() { return messageExpirySeconds >= 0; }
    /** Content Type, or null. */
    public String contentType() { return contentType; }
    /** Response Topic, or null. */
    public String responseTopic() { return responseTopic; }
    /** A copy of the Correlation Data, or null. */
    public byte[] correlationData() { return correlationData == null ? null : correlationData.clone(); }
    /** Correlation data length, -1 when absent; with {@link #writeCorrelationData} for encoders, no copy. */
    public int correlationDataLength() { return correlationData == null ? -1 : correlationData.length; }
    public void writeCorrelationData(java.nio.ByteBuffer out) { out.put(correlationData); }
    /** User properties in the publisher's order; names may repeat. */
    public List<UserProperty> userProperties() { return userProperties; }

    /** {@return the compaction key a publisher gave in the {@link #KEY_PROPERTY} user property, or null} */
    public String key() {
        for (int i = 0; i < userProperties.size(); i++) {
            if (userProperties.get(i).name().equals(KEY_PROPERTY)) {
                return userProperties.get(i).value();
            }
        }
        return null;
    }

    public boolean isEmpty() {
        return this == NONE || (payloadUtf8 == null && messageExpirySeconds < 0 && contentType == null
                && responseTopic == null && correlationData == null && userProperties.isEmpty());
    }

    /**
     * The expiry interval a subscriber should see when the message, stamped at
     * {@code timestampMillis}, is sent at {@code nowMillis}: the publisher's interval minus the
     * whole seconds it waited (MQTT 5 section 3.3.2.3.3), at least 1 while not expired.
     * {@link #NO_EXPIRY} when it does not expire; 0 when it has expired.
     */
    public long remainingExpirySeconds(long timestampMillis, long nowMillis) {
        if (messageExpirySeconds < 0) {
            return NO_EXPIRY;
        }
        long leftMillis = timestampMillis + messageExpirySeconds * 1000 - nowMillis;
        if (leftMillis <= 0) {
            return 0;
        }
        return Math.max(1, (leftMillis + 999) / 1000);
    }

    /** Whether a message stamped at {@code timestampMillis} has expired at {@code nowMillis}. */
    public boolean expiredAt(long timestampMillis, long nowMillis) {
        return messageExpirySeconds >= 0 && nowMillis - timestampMillis >= messageExpirySeconds * 1000;
    }

    /** A copy of these properties with the given Message Expiry Interval (NO_EXPIRY to remove it). */
    public MessageProperties withMessageExpirySeconds(long seconds) {
        return new MessageProperties(payloadUtf8, seconds, contentType, responseTopic, correlationData, userProperties);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageProperties p && messageExpirySeconds == p.messageExpirySeconds
                && Objects.equals(payloadUtf8, p.payloadUtf8) && Objects.equals(contentType, p.contentType)
                && Objects.equals(responseTopic, p.responseTopic) && Arrays.equals(correlationData, p.correlationData)
                && userProperties.equals(p.userProperties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(payloadUtf8, messageExpirySeconds, contentType, responseTopic, userProperties)
                * 31 + Arrays.hashCode(correlationData);
    }

    @Override
    public String toString() {
        if (isEmpty()) {
            return "{}";
        }
        StringBuilder b = new StringBuilder("{");
        if (payloadUtf8 != null) b.append("utf8=").append(payloadUtf8).append(' ');
        if (messageExpirySeconds >= 0) b.append("expiry=").append(messageExpirySeconds).append("s ");
        if (contentType != null) b.append("contentType=").append(contentType).append(' ');
        if (responseTopic != null) b.append("responseTopic=").append(responseTopic).append(' ');
        if (correlationData != null) b.append("correlation=<").append(correlationData.length).append(" bytes> ");
        if (!userProperties.isEmpty()) b.append("user=").append(userProperties);
        return b.toString().trim() + '}';
    }

    /** One MQTT 5 User Property: a name/value pair of UTF-8 strings. */
    public record UserProperty(String name, String value) {
        public UserProperty {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
            return name + '=' + value;
        }
    }

    /** Builds properties; {@link #build()} returns {@link #NONE} when nothing was set. */
    public static final class Builder {
        private Boolean payloadUtf8;
        private long messageExpirySeconds = NO_EXPIRY;
        private String contentType;
        private String responseTopic;
        private byte[] correlationData;
        private final List<UserProperty> userProperties = new ArrayList<>(0);

        private Builder() {
        }

        /** Starts from {@code p}'s values. */
        public Builder from(MessageProperties p) {
            payloadUtf8 = p.payloadUtf8;
            messageExpirySeconds = p.messageExpirySeconds;
            contentType = p.contentType;
            responseTopic = p.responseTopic;
            correlationData = p.correlationData;
            userProperties.clear();
            userProperties.addAll(p.userProperties);
            return this;
        }

        public Builder payloadUtf8(Boolean utf8) { this.payloadUtf8 = utf8; return this; }

        /** 0 .. 4,294,967,295 seconds (an MQTT four-byte integer), or NO_EXPIRY. */
        public Builder messageExpirySeconds(long seconds) {
            if (seconds != NO_EXPIRY && (seconds < 0 || seconds > 0xFFFF_FFFFL)) {
                throw new IllegalArgumentException("message expiry must be 0..4294967295 s, was " + seconds);
            }
            this.messageExpirySeconds = seconds;
            return this;
        }

        public Builder contentType(String type) { this.contentType = type; return this; }
        public Builder responseTopic(String topic) { this.responseTopic = topic; return this; }
        public Builder correlationData(byte[] data) { this.correlationData = data == null ? null : data.clone(); return this; }

        /** Takes {@code data} without a copy (decoders that own a fresh array). */
        public Builder correlationDataOwned(byte[] data) { this.correlationData = data; return this; }

        public Builder userProperty(String name, String value) {
            userProperties.add(new UserProperty(name, value));
            return this;
        }

        public Builder userProperties(List<UserProperty> props) {
            userProperties.addAll(props);
            return this;
        }

        public MessageProperties build() {
            if (payloadUtf8 == null && messageExpirySeconds < 0 && contentType == null && responseTopic == null
                    && correlationData == null && userProperties.isEmpty()) {
                return NONE;
            }
            return new MessageProperties(payloadUtf8, messageExpirySeconds, contentType, responseTopic, correlationData,
                    List.copyOf(userProperties));
        }
    }

    /** Whether {@code payload} is well-formed UTF-8 (for the 0x99 check on a declared UTF-8 payload). */
    public static boolean isWellFormedUtf8(byte[] payload) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(payload));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }
}
