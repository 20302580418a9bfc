package io.gomq.core.codec;

import io.gomq.core.message.Qos;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * PUBLISH (section 3.3). Owns {@code payload}: the decoder hands over a fresh array, so the
 * session can pass it to {@code Message.wrap} without another copy. The packet id is 0 for
 * QoS 0 and 1..65535 otherwise.
 *
 * <p>To send a stored {@code Message} use {@link MqttEncoder#encodePublish}, which needs no
 * instance of this record.
 */
public record Publish(boolean dup, Qos qos, boolean retain, String topic, int packetId, byte[] payload)
        implements MqttPacket {

    public Publish {
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
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
                && qos == p.qos && topic.equals(p.topic) && Arrays.equals(payload, p.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dup, qos, retain, topic, packetId) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Publish{topic='" + topic + "', qos=" + qos.value() + ", id=" + packetId + ", dup=" + dup
                + ", retain=" + retain + ", bytes=" + payload.length + '}';
    }
}
