package io.gomq.launcher.it;

import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.testing.TestBrokers;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** A Paho client that records what it receives, for the end-to-end tests. */
final class PahoClients implements AutoCloseable {
    record Received(String topic, String payload, int qos, boolean retained, boolean duplicate) {
    }

    final MqttClient client;
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    final AtomicReference<Throwable> lost = new AtomicReference<>();

    private PahoClients(MqttClient client) {
        this.client = client;
    }

    static PahoClients connect(StandaloneBroker broker, String clientId, boolean clean) throws MqttException {
        return connect(TestBrokers.tcpUri(broker), clientId, options(clean));
    }

    static MqttConnectOptions options(boolean clean) {
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(clean);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1); // the default falls back to 3.1 on a refusal
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(5);
        o.setKeepAliveInterval(30);
        o.setMaxInflight(1000);
        return o;
    }

    static PahoClients connect(String uri, String clientId, MqttConnectOptions options) throws MqttException {
        PahoClients c = new PahoClients(new MqttClient(uri, clientId, new MemoryPersistence()));
        c.client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                c.lost.set(cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                c.received.add(new Received(topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.getQos(),
                        m.isRetained(), m.isDuplicate()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        c.client.setTimeToWait(10_000);
        c.client.connect(options);
        return c;
    }

    void publish(String topic, String payload, int qos, boolean retain) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain);
    }

    Received next() throws InterruptedException {
        Received r = received.poll(5, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no message within 5 s");
        }
        return r;
    }

    /** Null when nothing arrives within {@code millis} (used to check that something does not come). */
    Received poll(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(1_000);
            }
        } catch (MqttException ignored) {
            // closing anyway
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // best effort
        }
    }
}
