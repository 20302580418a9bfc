package io.gomq.core.codec;

import io.gomq.core.message.MessageProperties;
import io.gomq.core.message.Qos;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * PUBLISH (section 3.3). Owns {@code payload}: the decoder hands over a fresh array, so the
 * session can pass it to {@code Message.wrap} without another copy. The packet id is 0 for
 * QoS 0 and 1..65535 otherwise.
 *
 * <p>MQTT 5 adds the message's {@code properties}, a {@code topicAlias} (1..65535, 0 = none)
 * and, only from server to client, the {@code subscriptionIds} of the matching subscriptions
 * (empty = none). With a topic alias the topic may be empty: resolving aliases, and checking
 * them against the connection's maximum, is the transport's job. A 3.1.1 encoder writes none of
 * these.
 *
 * <p>To send a stored {@code Message} use {@link MqttEncoder#encodePublish}, which needs no
 * instance of this record.
 */
public record Publish(boolean dup, Qos qos, boolean retain, String topic, int packetId, byte[] payload,
                      MessageProperties properties, int topicAlias, int[] subscriptionIds)
        implements MqttPacket {

    private static final int[] NO_IDS = new int[0];

    /** {@code subscriptionIds} null means none; the record owns the array. */
    public Publish {
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(properties, "properties");
        subscriptionIds = subscriptionIds == null || subscriptionIds.length == 0 ? NO_IDS : subscriptionIds;
        if (topicAlias < 0 || topicAlias > 0xFFFF) {
            throw new IllegalArgumentException("topic alias must be 1..65535 or 0 for none, was " + topicAlias);
        }
        if (topic.isEmpty() && topicAlias == 0) {
            throw new IllegalArgumentException("an empty topic needs a topic alias");
        }
        for (int id : subscriptionIds) {
            if (id < 1 || id > MqttDecoder.MAX_REMAINING_LENGTH) {
                throw new IllegalArgumentException("subscription identifier must be 1..268435455, was " + id);
            }
        }
        if (qos == Qos.AT_MOST_ONCE) {
            if (packetId != 0) {
                throw new IllegalArgumentException("a QoS 0 PUBLISH has no packet id, was " + packetId);
            }
            if (dup) {
                throw new IllegalArgumentException("DUP must be 0 for QoS 0 (MQTT-3.3.1-2)");
            }
        } else {
            PacketIds.require(packetId);
        }
    }

    /** The MQTT 3.1.1 form. */
    public Publish(boolean dup, Qos qos, boolean retain, String topic, int packetId, byte[] payload) {
        this(dup, qos, retain, topic, packetId, payload, MessageProperties.NONE, 0, null);
    }

    /** A QoS 0 PUBLISH of a UTF-8 text. */
    public static Publish qos0(String topic, String utf8, boolean retain) {
        return new Publish(false, Qos.AT_MOST_ONCE, retain, topic, 0, utf8.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public PacketType type() {
        return PacketType.PUBLISH;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Publish p && dup == p.dup && retain == p.retain && packetId == p.packetId
                && qos == p.qos && topic.equals(p.topic) && Arrays.equals(payload, p.payload)
                && topicAlias == p.topicAlias && properties.equals(p.properties)
                && Arrays.equals(subscriptionIds, p.subscriptionIds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dup, qos, retain, topic, packetId, properties, topicAlias) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Publish{topic='" + topic + "', qos=" + qos.value() + ", id=" + packetId + ", dup=" + dup
                + ", retain=" + retain + ", bytes=" + payload.length
                + (topicAlias == 0 ? "" : ", alias=" + topicAlias)
                + (subscriptionIds.length == 0 ? "" : ", subscriptionIds=" + Arrays.toString(subscriptionIds))
                + (properties.isEmpty() ? "" : ", properties=" + properties) + '}';
    }
}
