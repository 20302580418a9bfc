package io.gomq.bench.load;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** One load connection, MQTT 3.1.1 or MQTT 5, through the HiveMQ client: the same load either way. */
interface LoadClient {
    CompletableFuture<?> subscribe(String filter, MqttQos qos, Consumer<ByteBuffer> onPayload);

    CompletableFuture<?> publish(String topic, MqttQos qos, byte[] payload);

    CompletableFuture<?> disconnect();

    /** A clean (non-persistent) connection. */
    static LoadClient connect(LoadOptions o, String id, long timeoutSeconds) throws Exception {
        return connect(o, id, timeoutSeconds, false);
    }

    /** @param persistent a persistent session: the broker keeps (and logs) its QoS 1/2 messages */
    static LoadClient connect(LoadOptions o, String id, long timeoutSeconds, boolean persistent) throws Exception {
        if (o.protocol == 5) {
            Mqtt5AsyncClient c = Mqtt5Client.builder().identifier(id).serverHost(o.url.getHost())
                    .serverPort(o.url.getPort()).buildAsync();
            c.connectWith().cleanStart(!persistent).sessionExpiryInterval(persistent ? 3600 : 0).keepAlive(60).send().get(timeoutSeconds, TimeUnit.SECONDS);
            return new LoadClient() {
                public CompletableFuture<?> subscribe(String filter, MqttQos qos, Consumer<ByteBuffer> onPayload) {
                    return c.subscribeWith().topicFilter(filter).qos(qos)
                            .callback(p -> onPayload.accept(p.getPayload().orElse(null))).send();
                }

                public CompletableFuture<?> publish(String topic, MqttQos qos, byte[] payload) {
                    return c.publishWith().topic(topic).qos(qos).payload(payload).send();
                }

                public CompletableFuture<?> disconnect() {
                    return c.disconnect();
                }
            };
        }
        Mqtt3AsyncClient c = Mqtt3Client.builder().identifier(id).serverHost(o.url.getHost())
                .serverPort(o.url.getPort()).buildAsync();
        c.connectWith().cleanSession(!persistent).keepAlive(60).send().get(timeoutSeconds, TimeUnit.SECONDS);
        return new LoadClient() {
            public CompletableFuture<?> subscribe(String filter, MqttQos qos, Consumer<ByteBuffer> onPayload) {
                return c.subscribeWith().topicFilter(filter).qos(qos)
                        .callback(p -> onPayload.accept(p.getPayload().orElse(null))).send();
            }

            public CompletableFuture<?> publish(String topic, MqttQos qos, byte[] payload) {
                return c.publishWith().topic(topic).qos(qos).payload(payload).send();
            }

            public CompletableFuture<?> disconnect() {
                return c.disconnect();
            }
        };
    }
}
