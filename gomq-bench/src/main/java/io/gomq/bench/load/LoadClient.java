package io.gomq.bench.load;

import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import io.reactivex.schedulers.Schedulers;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One load connection, MQTT 3.1.1 or MQTT 5, through the HiveMQ client: the same load either way.
 *
 * <p>Design note: the client's results and received messages reach us on its Netty threads
 * ({@link #DIRECT}), not on the RxJava computation pool it uses by default. That pool cost a
 * thread hand-off (a wakeup) per publish and per delivery: the load generator burned more CPU
 * than most brokers it measured, and the subscriber's timestamp included its own queueing.
 */
interface LoadClient {
    /** Runs callbacks on the thread that completes them: ours only count and record, never block. */
    MqttClientExecutorConfig DIRECT = MqttClientExecutorConfig.builder()
            .applicationScheduler(Schedulers.trampoline()).build();

    /**
     * The same on one Netty thread, for runs whose publishers run on it ({@link LoadOptions#pacedOnClientLoops}):
     * the one core then holds one thread that sends, receives and keeps time.
     */
    MqttClientExecutorConfig DIRECT_ONE_LOOP = MqttClientExecutorConfig.builder()
            .applicationScheduler(Schedulers.trampoline()).nettyThreads(1).build();

    CompletableFuture<?> subscribe(String filter, MqttQos qos, Consumer<ByteBuffer> onPayload);

    CompletableFuture<?> publish(String topic, MqttQos qos, byte[] payload);

    CompletableFuture<?> disconnect();

    /**
     * The client's Netty event loop (where its callbacks run), as Netty's own thread-to-loop map
     * names it when the CONNACK completes there; null if that could not be told.
     */
    EventExecutor loop();

    /** A clean (non-persistent) connection. */
    static LoadClient connect(LoadOptions o, String id, long timeoutSeconds) throws Exception {
        return connect(o, id, timeoutSeconds, false);
    }

    /** @param persistent a persistent session: the broker keeps (and logs) its QoS 1/2 messages */
    static LoadClient connect(LoadOptions o, String id, long timeoutSeconds, boolean persistent) throws Exception {
        if (o.protocol == 5) {
            Mqtt5AsyncClient c = Mqtt5Client.builder().identifier(id).serverHost(o.url.getHost())
                    .serverPort(o.url.getPort()).executorConfig(executors(o)).buildAsync();
            EventExecutor loop = c.connectWith().cleanStart(!persistent).sessionExpiryInterval(persistent ? 3600 : 0)
                    .keepAlive(60).send().thenApply(ack -> ThreadExecutorMap.currentExecutor())
                    .get(timeoutSeconds, TimeUnit.SECONDS);
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

                public EventExecutor loop() {
                    return loop;
                }
            };
        }
        Mqtt3AsyncClient c = Mqtt3Client.builder().identifier(id).serverHost(o.url.getHost())
                .serverPort(o.url.getPort()).executorConfig(executors(o)).buildAsync();
        EventExecutor loop = c.connectWith().cleanSession(!persistent).keepAlive(60).send()
                .thenApply(ack -> ThreadExecutorMap.currentExecutor()).get(timeoutSeconds, TimeUnit.SECONDS);
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

            public EventExecutor loop() {
                return loop;
            }
        };
    }

    private static MqttClientExecutorConfig executors(LoadOptions o) {
        return o.pacedOnClientLoops() ? DIRECT_ONE_LOOP : DIRECT;
    }
}
