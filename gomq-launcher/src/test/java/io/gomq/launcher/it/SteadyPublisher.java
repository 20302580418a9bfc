package io.gomq.launcher.it;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Paho client that publishes QoS 1 every 50 ms (~20 msg/s) until closed: to each topic given,
 * its text followed by a running number. Closing stops it and disconnects.
 */
final class SteadyPublisher implements AutoCloseable {
    private static final long PERIOD_MS = 50;
    private final MqttClient client;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    /** @param texts topic to text; {@code options} null: anonymous */
    SteadyPublisher(String uri, String clientId, MqttConnectOptions options, Map<String, String> texts) throws MqttException {
        client = new MqttClient(uri, clientId, new MemoryPersistence());
        if (options == null) {
            client.connect();
        } else {
            client.connect(options);
        }
        AtomicInteger n = new AtomicInteger();
        timer.scheduleAtFixedRate(() -> {
            int i = n.incrementAndGet();
            texts.forEach((topic, text) -> {
                try {
                    client.publish(topic, (text + " " + i).getBytes(StandardCharsets.UTF_8), 1, false);
                } catch (MqttException e) {
                    throw new IllegalStateException(e);
                }
            });
        }, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() throws Exception {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
