package io.gomq.core.codec;

/**
 * PUBREC: First answer to a QoS 2 PUBLISH (publish received).
 * MQTT 5 adds a reason code (a {@link ReasonCode} valid on PUBREC, 0x00 Success by default) and
 * properties (Reason String, User Property); a 3.1.1 encoder writes the packet id only.
 */
public record PubRec(int packetId, int reasonCode, PacketProperties properties) implements MqttPacket {
    public PubRec {
        PacketIds.require(packetId);
        Acks.check(PacketType.PUBREC, reasonCode, properties);
    }

    /** The MQTT 3.1.1 form (as MQTT 5: Success, no properties). */
    public PubRec(int packetId) {
        this(packetId, 0, PacketProperties.NONE);
    }

    public PubRec(int packetId, ReasonCode reason, PacketProperties properties) {
        this(packetId, reason.value(), properties);
    }

    /** {@code reasonCode} as a {@link ReasonCode}. */
    public ReasonCode reason() {
        return ReasonCode.of(reasonCode, PacketType.PUBREC);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREC;
    }
}
