package io.gomq.launcher.reliability;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One Paho client of a {@link MixedLoad} that outlives broker restarts: the same client object
 * (and so its in-memory session state: unacknowledged QoS 1/2 publishes, half-done inbound QoS 2
 * flows) reconnects to whatever addresses {@code uris} gives at that moment, as an application
 * with a persistent session would. A broker restarted by a test comes back on new ports.
 */
abstract class LoadClient implements MqttCallback, AutoCloseable {
    private final MqttAsyncClient client;
    private final boolean cleanSession;
    private final Supplier<String[]> uris;
    private final int maxInflight;
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong sessionsLost = new AtomicLong();

    /** @param maxInflight Paho's bound on unacknowledged publishes, those it re-sends after a reconnect included */
    LoadClient(String clientId, boolean cleanSession, int maxInflight, Supplier<String[]> uris) {
        try {
            // the URI given here is only a placeholder: every connect names the servers
            this.client = new MqttAsyncClient("tcp://127.0.0.1:1", clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
        this.cleanSession = cleanSession;
        this.uris = uris;
        this.maxInflight = maxInflight;
        client.setCallback(this);
    }

    final MqttAsyncClient client() {
        return client;
    }

    final boolean isConnected() {
        return client.isConnected();
    }

    /** Connects if not connected; false when no broker took the connection within a few seconds. */
    final boolean ensureConnected() {
        if (client.isConnected()) {
            return true;
        }
        String[] servers = uris.get();
        if (servers.length == 0) {
            return false;
        }
        MqttConnectOptions o = new MqttConnectOptions();
        o.setServerURIs(servers);
        o.setCleanSession(cleanSession);
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(3);
        o.setKeepAliveInterval(10);
        o.setMaxInflight(maxInflight);
        try {
            IMqttToken t = client.connect(o);
            t.waitForCompletion(5_000);
            if (!client.isConnected()) {
                return false;
            }
            boolean firstTime = connects.getAndIncrement() == 0;
            if (!cleanSession && !firstTime && !t.getSessionPresent()) {
                sessionsLost.incrementAndGet(); // the broker forgot a persistent session
            }
            if (cleanSession || firstTime || !t.getSessionPresent()) {
                onSession();
            }
            return true;
        } catch (MqttException e) {
            return false; // broker down or refusing (a cluster member); the caller tries again
        }
    }

    /** After a connect that has no session on the broker yet: subscribe, if this client does. */
    void onSession() throws MqttException {
    }

    /** Connections made, the first included. */
    final long connects() {
        return connects.get();
    }

    /** Reconnects with clean session off that found no session on the broker. */
    final long sessionsLost() {
        return sessionsLost.get();
    }

    @Override
    public void connectionLost(Throwable cause) {
        // the driving loop sees isConnected() false and reconnects
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect(1_000).waitForCompletion(2_000);
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
