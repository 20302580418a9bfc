package io.gomq.core.codec;

/** UNSUBACK: Acknowledges an UNSUBSCRIBE. */
public record UnsubAck(int packetId) implements MqttPacket {
    public UnsubAck {
        PacketIds.require(packetId);
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBACK;
    }
}
