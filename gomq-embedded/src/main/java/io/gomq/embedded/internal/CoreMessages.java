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

    /** {@return the engine's QoS of the API's} */
    public static io.gomq.core.message.Qos toCore(Qos qos) {
        return io.gomq.core.message.Qos.of(qos.level());
    }

    /** {@return the API's QoS of the engine's} */
    public static Qos toApi(io.gomq.core.message.Qos qos) {
        return Qos.of(qos.value());
    }

    /** {@return the engine's message of the API's: stamped now, its properties carried over} */
    public static io.gomq.core.message.Message toCore(Message m) {
        MessageProperties properties = MessageProperties.NONE;
        if (hasProperties(m)) {
            MessageProperties.Builder p = MessageProperties.builder().contentType(m.contentType())
                    .responseTopic(m.responseTopic()).correlationDataOwned(m.correlationData());
            if (m.messageExpirySeconds() != Message.NO_EXPIRY) {
                p.messageExpirySeconds(m.messageExpirySeconds());
            }
            for (UserProperty u : m.userProperties()) {
                p.userProperty(u.name(), u.value());
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

    /** {@return the API's message of the engine's} */
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
