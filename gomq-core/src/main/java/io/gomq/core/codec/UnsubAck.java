package io.gomq.core.codec;

import java.util.List;

/**
 * UNSUBACK: Acknowledges an UNSUBSCRIBE. MQTT 5 adds one {@link ReasonCode} per filter, in
 * order, and properties; the MQTT 3.1.1 form has neither (empty list), and an MQTT 5 encoder
 * refuses it: it needs the codes.
 */
public record UnsubAck(int packetId, List<ReasonCode> reasonCodes, PacketProperties properties) implements MqttPacket {
    public UnsubAck {
        PacketIds.require(packetId);
        reasonCodes = Acks.checkCodes(PacketType.UNSUBACK, reasonCodes);
        Acks.checkProperties(PacketType.UNSUBACK, properties);
    }

    /** The MQTT 3.1.1 form. */
    public UnsubAck(int packetId) {
        this(packetId, List.of(), PacketProperties.NONE);
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBACK;
    }
}
