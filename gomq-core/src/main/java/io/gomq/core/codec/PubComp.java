package io.gomq.core.codec;

/** PUBCOMP: Last step of the QoS 2 handshake (publish complete). */
public record PubComp(int packetId) implements MqttPacket {
    public PubComp {
        PacketIds.require(packetId);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBCOMP;
    }
}
