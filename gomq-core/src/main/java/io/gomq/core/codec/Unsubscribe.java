package io.gomq.core.codec;

import java.util.List;

/** UNSUBSCRIBE (section 3.10). Filters are kept as received, like in {@link Subscribe}. */
public record Unsubscribe(int packetId, List<String> filters) implements MqttPacket {
    public Unsubscribe {
        PacketIds.require(packetId);
        filters = List.copyOf(filters);
        if (filters.isEmpty()) {
            throw new IllegalArgumentException("UNSUBSCRIBE needs at least one topic filter (MQTT-3.10.3-2)");
        }
    }

    @Override
    public PacketType type() {
        return PacketType.UNSUBSCRIBE;
    }
}
