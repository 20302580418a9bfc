package io.gomq.core.codec;

/** PUBREL: Second step of the QoS 2 handshake (publish release); the receiver delivers the message once on it. */
public record PubRel(int packetId) implements MqttPacket {
    public PubRel {
        PacketIds.require(packetId);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREL;
    }
}
