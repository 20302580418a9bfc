package io.gomq.core.codec;

import io.gomq.core.message.Qos;

import java.util.List;
import java.util.Objects;

/**
 * SUBSCRIBE (section 3.8). The filters are kept as received, valid or not: an invalid filter is
 * not a malformed packet but a refused subscription, answered with SUBACK 0x80 for that entry,
 * so the session must check each with {@code Topics.isValidFilter}.
 */
public record Subscribe(int packetId, List<Subscription> subscriptions) implements MqttPacket {
    public Subscribe {
        PacketIds.require(packetId);
        subscriptions = List.copyOf(subscriptions);
        if (subscriptions.isEmpty()) {
            throw new IllegalArgumentException("SUBSCRIBE needs at least one topic filter (MQTT-3.8.3-3)");
        }
    }

    @Override
    public PacketType type() {
        return PacketType.SUBSCRIBE;
    }

    /** One requested subscription: a topic filter (not validated) and the maximum QoS asked for. */
    public record Subscription(String filter, Qos qos) {
        public Subscription {
            Objects.requireNonNull(filter, "filter");
            Objects.requireNonNull(qos, "qos");
        }
    }
}
