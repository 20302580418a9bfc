package io.gomq.core.codec;

import io.gomq.core.message.Qos;

import java.util.List;
import java.util.Objects;

/**
 * SUBSCRIBE (section 3.8). The filters are kept as received, valid or not: an invalid filter is
 * not a malformed packet but a refused subscription, answered with SUBACK 0x80 (MQTT 5: 0x8F)
 * for that entry, so the session must check each with {@code Topics.isValidFilter} (and, in
 * MQTT 5, that No Local is not set on a shared subscription, a protocol error).
 * MQTT 5 adds properties: Subscription Identifier and User Property.
 */
public record Subscribe(int packetId, List<Subscription> subscriptions, PacketProperties properties) implements MqttPacket {
    public Subscribe {
        PacketIds.require(packetId);
        subscriptions = List.copyOf(subscriptions);
        if (subscriptions.isEmpty()) {
            throw new IllegalArgumentException("SUBSCRIBE needs at least one topic filter (MQTT-3.8.3-3)");
        }
        Acks.checkProperties(PacketType.SUBSCRIBE, properties);
    }

    /** The MQTT 3.1.1 form. */
    public Subscribe(int packetId, List<Subscription> subscriptions) {
        this(packetId, subscriptions, PacketProperties.NONE);
    }

    @Override
    public PacketType type() {
        return PacketType.SUBSCRIBE;
    }

    /**
     * One requested subscription: a topic filter (not validated), the maximum QoS asked for and
     * MQTT 5's options: No Local, Retain As Published, Retain Handling (0 send retained messages
     * at subscribe, 1 only if the subscription is new, 2 never). A 3.1.1 encoder writes the QoS only.
     */
    public record Subscription(String filter, Qos qos, boolean noLocal, boolean retainAsPublished, int retainHandling) {
        public Subscription {
            Objects.requireNonNull(filter, "filter");
            Objects.requireNonNull(qos, "qos");
            if (retainHandling < 0 || retainHandling > 2) {
                throw new IllegalArgumentException("retain handling must be 0..2, was " + retainHandling);
            }
        }

        /** The MQTT 3.1.1 form (as MQTT 5: all options 0). */
        public Subscription(String filter, Qos qos) {
            this(filter, qos, false, false, 0);
        }

        /** The MQTT 5 subscription options byte (3.8.3.1). */
        int optionsByte() {
            return qos.value() | (noLocal ? 0x04 : 0) | (retainAsPublished ? 0x08 : 0) | retainHandling << 4;
        }
    }
}
