package io.gomq.core.codec;

/**
 * PUBREL: Second step of the QoS 2 handshake (publish release); the receiver delivers the message once on it.
 * MQTT 5 adds a reason code (a {@link ReasonCode} valid on PUBREL, 0x00 Success by default) and
 * properties (Reason String, User Property); a 3.1.1 encoder writes the packet id only.
 */
public record PubRel(int packetId, int reasonCode, PacketProperties properties) implements MqttPacket {
    public PubRel {
        PacketIds.require(packetId);
        Acks.check(PacketType.PUBREL, reasonCode, properties);
    }

    /** The MQTT 3.1.1 form (as MQTT 5: Success, no properties). */
    public PubRel(int packetId) {
        this(packetId, 0, PacketProperties.NONE);
    }

    public PubRel(int packetId, ReasonCode reason, PacketProperties properties) {
        this(packetId, reason.value(), properties);
    }

    /** {@code reasonCode} as a {@link ReasonCode}. */
    public ReasonCode reason() {
        return ReasonCode.of(reasonCode, PacketType.PUBREL);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREL;
    }
}
