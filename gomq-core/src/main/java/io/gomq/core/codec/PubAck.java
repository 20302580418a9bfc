package io.gomq.core.codec;

/** PUBACK: Acknowledges a QoS 1 PUBLISH. */
public record PubAck(int packetId) implements MqttPacket {
    public PubAck {
        PacketIds.require(packetId);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBACK;
    }
}
