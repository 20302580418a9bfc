package io.gomq.junit;

import org.eclipse.paho.client.mqttv3.IMqttClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A Paho MQTT 3.1.1 client over TCP, connected with a clean session. Loaded only when Paho is on
 * the classpath (see {@link ClientFactories}).
 */
final class PahoClientFactory implements GoMqClientFactory {
    /** Paho's class this factory needs; its absence leaves the factory out. */
    static final String PAHO_CLASS = "org.eclipse.paho.client.mqttv3.MqttClient";
    private static final long DISCONNECT_QUIESCE_MS = 1_000;

    @Override
    public boolean supports(Class<?> type) {
        return type == MqttClient.class || type == IMqttClient.class;
    }

    @Override
    public Object open(Class<?> type, GoMqTestBroker broker, String clientId) throws MqttException {
        // memory persistence: Paho's default writes a directory into the working directory
        MqttClient client = new MqttClient(broker.mqttUri().toString(), clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        try {
            client.connect(options);
        } catch (MqttException e) {
            client.close(true);
            throw e;
        }
        return client;
    }

    @Override
    public void close(Object client) throws MqttException {
        MqttClient paho = (MqttClient) client;
        try {
            if (paho.isConnected()) {
                paho.disconnect(DISCONNECT_QUIESCE_MS);
            }
        } finally {
            paho.close(true);
        }
    }
}
