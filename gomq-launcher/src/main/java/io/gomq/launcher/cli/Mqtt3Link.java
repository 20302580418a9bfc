package io.gomq.launcher.cli;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** An MQTT 3.1.1 connection through Paho's v3 client. */
final class Mqtt3Link implements MqttLink {
    private final MqttClient client;

    private Mqtt3Link(MqttClient client) {
        this.client = client;
    }

    /** Connects to one broker; a refusal or network error becomes a {@link ConnectFailure} for the failover loop. */
    static Mqtt3Link open(BrokerAddress address, String username, char[] password) throws ConnectFailure {
        MqttClient client = null;
        try {
            client = new MqttClient("tcp://" + address, MqttConnector.clientId(), new MemoryPersistence());
            client.setTimeToWait(MqttConnector.OPERATION_TIMEOUT_MS);
            client.connect(options(username, password));
            return new Mqtt3Link(client);
        } catch (MqttException e) {
            closeQuietly(client);
            throw classify(e);
        }
    }

    private static MqttConnectOptions options(String username, char[] password) {
        MqttConnectOptions o = new MqttConnectOptions();
        // Pinned: Paho otherwise retries as MQTT 3.1 after a refusal, hiding the real reason.
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(MqttConnector.CONNECT_TIMEOUT_SECONDS);
        o.setKeepAliveInterval(MqttConnector.KEEP_ALIVE_SECONDS);
        if (username != null) {
            o.setUserName(username);
        }
        if (password != null) {
            o.setPassword(password);
        }
        return o;
    }

    /** Maps Paho's reason codes to what the failover loop does next. */
    static ConnectFailure classify(MqttException e) {
        switch (e.getReasonCode()) {
            case MqttException.REASON_CODE_BROKER_UNAVAILABLE:
                return new ConnectFailure(ConnectFailure.Kind.UNAVAILABLE, "refused: server unavailable (CONNACK 3; a cluster member?)", e);
            case MqttException.REASON_CODE_FAILED_AUTHENTICATION:
                return new ConnectFailure(ConnectFailure.Kind.NOT_AUTHORIZED, "refused: bad user name or password (CONNACK 4)", e);
            case MqttException.REASON_CODE_NOT_AUTHORIZED:
                return new ConnectFailure(ConnectFailure.Kind.NOT_AUTHORIZED, "refused: not authorized (CONNACK 5)", e);
            case MqttException.REASON_CODE_INVALID_PROTOCOL_VERSION:
                return new ConnectFailure(ConnectFailure.Kind.REJECTED, "refused: unacceptable protocol version (CONNACK 1)", e);
            case MqttException.REASON_CODE_INVALID_CLIENT_ID:
                return new ConnectFailure(ConnectFailure.Kind.REJECTED, "refused: client id rejected (CONNACK 2)", e);
            case MqttException.REASON_CODE_CLIENT_TIMEOUT:
                return new ConnectFailure(ConnectFailure.Kind.UNREACHABLE, "no answer within " + MqttConnector.CONNECT_TIMEOUT_SECONDS + " s", e);
            case MqttException.REASON_CODE_CONNECTION_LOST:
                return new ConnectFailure(ConnectFailure.Kind.UNREACHABLE, "closed the connection", e);
            default:
                return new ConnectFailure(ConnectFailure.Kind.UNREACHABLE, MqttConnector.networkReason(e), e);
        }
    }

    @Override
    public void publish(String topic, byte[] payload, int qos, boolean retain, PublishProperties properties) {
        try {
            client.publish(topic, payload, qos, retain);
        } catch (MqttException e) {
            throw new CtlException(ExitCode.FAILED, "publish to '" + topic + "' failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void subscribe(String filter, int qos, Listener listener) {
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                listener.lost(cause);
            }

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                int id = m.getId();
                int qos = m.getQos();
                listener.message(new Received(topic, m.getPayload(), m.isRetained(), PublishProperties.NONE,
                        () -> acknowledge(id, qos)));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        client.setManualAcks(true); // acknowledged once handled: see Received
        try {
            client.subscribe(filter, qos);
        } catch (MqttException e) {
            throw new CtlException(ExitCode.FAILED, "subscribe to '" + filter + "' failed: " + e.getMessage(), e);
        }
    }

    private void acknowledge(int id, int qos) {
        try {
            client.messageArrivedComplete(id, qos);
        } catch (MqttException e) {
            // the connection is gone: the broker sends the message again (or to another member)
        }
    }

    @Override
    public void close() {
        closeQuietly(client);
    }

    private static void closeQuietly(MqttClient client) {
        if (client == null) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect(1_000);
            }
        } catch (MqttException e) {
            // closing anyway
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            // nothing left to do
        }
    }
}
