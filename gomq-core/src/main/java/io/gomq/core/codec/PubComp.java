package io.gomq.core.codec;

/**
 * PUBCOMP: Last step of the QoS 2 handshake (publish complete).
 * MQTT 5 adds a reason code (a {@link ReasonCode} valid on PUBCOMP, 0x00 Success by default) and
 * properties (Reason String, User Property); a 3.1.1 encoder writes the packet id only.
 */
public record PubComp(int packetId, int reasonCode, PacketProperties properties) implements MqttPacket {
    public PubComp {
        PacketIds.require(packetId);
        Acks.check(PacketType.PUBCOMP, reasonCode, properties);
    }

    /** The MQTT 3.1.1 form (as MQTT 5: Success, no properties). */
    public PubComp(int packetId) {
        this(packetId, 0, PacketProperties.NONE);
    }

    public PubComp(int packetId, ReasonCode reason, PacketProperties properties) {
        this(packetId, reason.value(), properties);
    }

    /** {@code reasonCode} as a {@link ReasonCode}. */
    public ReasonCode reason() {
        return ReasonCode.of(reasonCode, PacketType.PUBCOMP);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBCOMP;
    }
}
