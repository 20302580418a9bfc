package io.gomq.embedded.internal;

import io.gomq.client.Message;
import io.gomq.client.Qos;
import io.gomq.client.UserProperty;
import io.gomq.core.message.MessageProperties;

import java.util.List;

/** Converts between the API's values and the engine's: the one place that knows both. */
public final class CoreMessages {
    private CoreMessages() {
    }

    /**
     * The engine's QoS of the API's.
     *
     * @param qos the API's
     * @return the engine's
     */
    public static io.gomq.core.message.Qos toCore(Qos qos) {
        return io.gomq.core.message.Qos.of(qos.level());
    }

    /**
     * The API's QoS of the engine's.
     *
     * @param qos the engine's
     * @return the API's
     */
    public static Qos toApi(io.gomq.core.message.Qos qos) {
        return Qos.of(qos.value());
    }

    /**
     * The engine's message of the API's: stamped now, its properties carried over, and a key that
     * is not the topic also as the {@link Message#KEY_PROPERTY} user property (network subscribers read it there).
     *
     * @param m the API's message
     * @return the engine's
     */
    public static io.gomq.core.message.Message toCore(Message m) {
        MessageProperties properties = MessageProperties.NONE;
        boolean keyed = !m.key().equals(m.topic()) && m.userProperties().stream().noneMatch(u -> u.name().equals(Message.KEY_PROPERTY));
        if (keyed || hasProperties(m)) {
            MessageProperties.Builder p = MessageProperties.builder().contentType(m.contentType())
                    .responseTopic(m.responseTopic()).correlationDataOwned(m.correlationData());
            if (m.messageExpirySeconds() != Message.NO_EXPIRY) {
                p.messageExpirySeconds(m.messageExpirySeconds());
            }
            for (UserProperty u : m.userProperties()) {
                p.userProperty(u.name(), u.value());
            }
            if (keyed) {
                p.userProperty(Message.KEY_PROPERTY, m.key());
            }
            properties = p.build();
        }
        // payload() is already a copy the engine may own
        return io.gomq.core.message.Message.wrap(m.topic(), m.key(), m.payload(), toCore(m.qos()), m.retain(),
                System.currentTimeMillis(), properties, null);
    }

    private static boolean hasProperties(Message m) {
        return m.contentType() != null || m.responseTopic() != null || m.correlationData() != null
                || !m.userProperties().isEmpty() || m.messageExpirySeconds() != Message.NO_EXPIRY;
    }

    /**
     * The API's message of the engine's.
     *
     * @param m the engine's message
     * @return the API's
     */
    public static Message toApi(io.gomq.core.message.Message m) {
        Message.Builder b = Message.builder(m.topic()).key(m.key()).payload(m.payloadBytes()).qos(toApi(m.qos()))
                .retain(m.retain()).timestampMillis(m.timestampMillis());
        MessageProperties p = m.properties();
        if (!p.isEmpty()) {
            b.contentType(p.contentType()).responseTopic(p.responseTopic()).correlationData(p.correlationData());
            if (p.expires()) {
                b.messageExpiry(java.time.Duration.ofSeconds(p.messageExpirySeconds()));
            }
            List<MessageProperties.UserProperty> users = p.userProperties();
            for (MessageProperties.UserProperty u : users) {
                b.userProperty(u.name(), u.value());
            }
        }
        return b.build();
    }
}
