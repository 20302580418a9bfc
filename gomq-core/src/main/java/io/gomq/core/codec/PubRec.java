package io.gomq.core.codec;

/** PUBREC: First answer to a QoS 2 PUBLISH (publish received). */
public record PubRec(int packetId) implements MqttPacket {
    public PubRec {
        PacketIds.require(packetId);
    }

    @Override
    public PacketType type() {
        return PacketType.PUBREC;
    }
}
