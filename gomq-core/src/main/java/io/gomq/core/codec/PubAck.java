package io.gomq.core.codec;

/**
 * PUBACK: Acknowledges a QoS 1 PUBLISH.
 * MQTT 5 adds a reason code (a {@link ReasonCode} valid on PUBACK, 0x00 Success by default) and
 * properties (Reason String, User Property); a 3.1.1 encoder writes the packet id only.
 */
public record PubAck(int packetId, int reasonCode, PacketProperties properties) implements MqttPacket {
    public PubAck {
        PacketIds.require(packetId);
        Acks.check(PacketType.PUBACK, reasonCode, properties);
    }

    /** The MQTT 3.1.1 form (as MQTT 5: Success, no properties). */
    public PubAck(int packetId) {
        this(packetId, 0, PacketProperties.NONE);
    }

    public PubAck(int packetId, ReasonCode reason, PacketProperties properties) {
        this(packetId, reason.value(), properties);
    }

    /** {@code reasonCode} as a {@link ReasonCode}. */
    public ReasonCode reason() {
        return ReasonCode.of(reasonCode, PacketType.PUBACK);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBACK;
    }
}
