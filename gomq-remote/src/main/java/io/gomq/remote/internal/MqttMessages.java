package io.gomq.remote.internal;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserPropertiesBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishBuilder;
import io.gomq.client.Message;
import io.gomq.client.Qos;
import io.gomq.client.UserProperty;

import java.nio.ByteBuffer;

/** Converts between the API's messages and the HiveMQ client's PUBLISH: the key travels as the {@link Message#KEY_PROPERTY} user property. */
final class MqttMessages {
    private MqttMessages() {
    }

    static MqttQos toMqtt(Qos qos) {
        return MqttQos.fromCode(qos.level());
    }

    static Qos toApi(MqttQos qos) {
        return Qos.of(qos.getCode());
    }

    static Mqtt5Publish toMqtt(Message m) {
        Mqtt5PublishBuilder.Complete b = Mqtt5Publish.builder().topic(m.topic()).qos(toMqtt(m.qos())).retain(m.retain())
                .payload(m.payloadBuffer());
        if (m.contentType() != null) {
            b.contentType(m.contentType());
        }
        if (m.responseTopic() != null) {
            b.responseTopic(m.responseTopic());
        }
        if (m.correlationData() != null) {
            b.correlationData(m.correlationData());
        }
        if (m.messageExpirySeconds() != Message.NO_EXPIRY) {
            b.messageExpiryInterval(m.messageExpirySeconds());
        }
        boolean keyed = !m.key().equals(m.topic())
                && m.userProperties().stream().noneMatch(u -> u.name().equals(Message.KEY_PROPERTY));
        if (keyed || !m.userProperties().isEmpty()) {
            Mqtt5UserPropertiesBuilder users = Mqtt5UserProperties.builder();
            for (UserProperty u : m.userProperties()) {
                users.add(u.name(), u.value());
            }
            if (keyed) {
                users.add(Message.KEY_PROPERTY, m.key());
            }
            b.userProperties(users.build());
        }
        return b.build();
    }

    static Message toApi(Mqtt5Publish p) {
        Message.Builder b = Message.builder(p.getTopic().toString()).payload(p.getPayloadAsBytes()).qos(toApi(p.getQos()))
                .retain(p.isRetain());
        p.getContentType().ifPresent(t -> b.contentType(t.toString()));
        p.getResponseTopic().ifPresent(t -> b.responseTopic(t.toString()));
        p.getCorrelationData().ifPresent(d -> b.correlationData(bytes(d)));
        p.getMessageExpiryInterval().ifPresent(s -> b.messageExpiry(java.time.Duration.ofSeconds(s)));
        p.getUserProperties().asList().forEach(u -> {
            b.userProperty(u.getName().toString(), u.getValue().toString());
            if (u.getName().toString().equals(Message.KEY_PROPERTY)) {
                b.key(u.getValue().toString());
            }
        });
        return b.build();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
