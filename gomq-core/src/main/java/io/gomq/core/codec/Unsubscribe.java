package io.gomq.core.codec;

import java.util.List;

/** UNSUBSCRIBE (section 3.10). Filters are kept as received, like in {@link Subscribe}. MQTT 5 adds properties (User Property). */
public record Unsubscribe(int packetId, List<String> filters, PacketProperties properties) implements MqttPacket {
    public Unsubscribe {
        PacketIds.require(packetId);
        filters = List.copyOf(filters);
        if (filters.isEmpty()) {
            throw new IllegalArgumentException("UNSUBSCRIBE needs at least one topic filter (MQTT-3.10.3-2)");
        }
        Acks.checkProperties(PacketType.UNSUBSCRIBE, properties);
    }

    /** The MQTT 3.1.1 form. */
    public Unsubscribe(int packetId, List<String> filters) {
        this(packetId, filters, PacketProperties.NONE);
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBSCRIBE;
    }
}
