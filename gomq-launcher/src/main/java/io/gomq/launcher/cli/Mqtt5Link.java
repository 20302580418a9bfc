package io.gomq.launcher.cli;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** An MQTT 5 connection through Paho's v5 client (a separate library: it shares no types with v3). */
final class Mqtt5Link implements MqttLink {
    /** The first failure reason code of CONNACK and SUBACK (MQTT 5 section 2.4). */
    private static final int FIRST_FAILURE_CODE = 0x80;

    private final MqttClient client;

    private Mqtt5Link(MqttClient client) {
        this.client = client;
    }

    /** Connects to one broker; a refusal or network error becomes a {@link ConnectFailure} for the failover loop. */
    static Mqtt5Link open(BrokerAddress address, String username, char[] password) throws ConnectFailure {
        MqttClient client = null;
        try {
            client = new MqttClient("tcp://" + address, MqttConnector.clientId(), new MemoryPersistence());
            client.setTimeToWait(MqttConnector.OPERATION_TIMEOUT_MS);
            client.connect(options(username, password));
            return new Mqtt5Link(client);
        } catch (MqttException e) {
            closeQuietly(client);
            throw classify(e);
        }
    }

    private static MqttConnectionOptions options(String username, char[] password) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true); // and no session expiry: the session ends with the connection
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(MqttConnector.CONNECT_TIMEOUT_SECONDS);
        o.setKeepAliveInterval(MqttConnector.KEEP_ALIVE_SECONDS);
        if (username != null) {
            o.setUserName(username);
        }
        if (password != null) {
            ByteBuffer b = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
            o.setPassword(Arrays.copyOf(b.array(), b.limit()));
        }
        return o;
    }

    /** Maps CONNACK reason codes (MQTT 5 section 3.2.2.2) and Paho's own codes to what the failover loop does next. */
    static ConnectFailure classify(MqttException e) {
        int code = e.getReasonCode();
        switch (code) {
            case 0x88: case 0x89: case 0x9C: case 0x9D: // server unavailable, busy, use another server, moved
                return new ConnectFailure(ConnectFailure.Kind.UNAVAILABLE, "refused: " + connackText(code) + "; a cluster member?", e);
            case 0x86: case 0x87: case 0x8A: case 0x8C: // bad user name or password, not authorized, banned, bad auth method
                return new ConnectFailure(ConnectFailure.Kind.NOT_AUTHORIZED, "refused: " + connackText(code), e);
            case 0x84: // unsupported protocol version
            case MqttClientException.REASON_CODE_INVALID_PROTOCOL_VERSION:
            case MqttException.REASON_CODE_INVALID_RETURN_CODE: // a 3.1.1 CONNACK (return code 1) read as MQTT 5
            case MqttException.REASON_CODE_MALFORMED_PACKET:
                return new ConnectFailure(ConnectFailure.Kind.REJECTED,
                        "refused: the broker does not speak MQTT 5; use --protocol 3.1.1", e);
            case MqttClientException.REASON_CODE_CLIENT_TIMEOUT:
                return new ConnectFailure(ConnectFailure.Kind.UNREACHABLE, "no answer within " + MqttConnector.CONNECT_TIMEOUT_SECONDS + " s", e);
            case MqttClientException.REASON_CODE_CONNECTION_LOST:
                return new ConnectFailure(ConnectFailure.Kind.UNREACHABLE, "closed the connection", e);
            default:
                if (code >= FIRST_FAILURE_CODE && code <= 0xFF) {
                    return new ConnectFailure(ConnectFailure.Kind.REJECTED, "refused: " + connackText(code), e);
                }
                return new ConnectFailure(ConnectFailure.Kind.UNREACHABLE, MqttConnector.networkReason(e), e);
        }
    }

    private static String connackText(int code) {
        String name = switch (code) {
            case 0x84 -> "unsupported protocol version";
            case 0x85 -> "client id not valid";
            case 0x86 -> "bad user name or password";
            case 0x87 -> "not authorized";
            case 0x88 -> "server unavailable";
            case 0x89 -> "server busy";
            case 0x8A -> "banned";
            case 0x8C -> "bad authentication method";
            case 0x95 -> "packet too large";
            case 0x97 -> "quota exceeded";
            case 0x9C -> "use another server";
            case 0x9D -> "server moved";
            case 0x9F -> "connection rate exceeded";
            default -> "reason";
        };
        return name + " (CONNACK 0x" + Integer.toHexString(code) + ")";
    }

    @Override
    public void publish(String topic, byte[] payload, int qos, boolean retain, PublishProperties properties) {
        MqttProperties p = new MqttProperties();
        if (!properties.userProperties().isEmpty()) {
            p.setUserProperties(properties.userProperties().stream()
                    .map(u -> new UserProperty(u.getKey(), u.getValue())).toList());
        }
        p.setMessageExpiryInterval(properties.expirySeconds());
        p.setResponseTopic(properties.responseTopic());
        p.setContentType(properties.contentType());
        p.setCorrelationData(properties.correlationData());
        try {
            client.publish(topic, new MqttMessage(payload, qos, retain, p));
        } catch (MqttException e) {
            throw new CtlException(ExitCode.FAILED, "publish to '" + topic + "' failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void subscribe(String filter, int qos, Listener listener) {
        client.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                listener.lost(response.getException() != null ? response.getException()
                        : new IllegalStateException("disconnected by the broker (reason " + response.getReturnCode() + ")"));
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
                listener.lost(exception);
            }

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                int id = m.getId();
                int qos = m.getQos();
                listener.message(new Received(topic, m.getPayload(), m.isRetained(), properties(m.getProperties()),
                        () -> acknowledge(id, qos)));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverUri) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        client.setManualAcks(true); // acknowledged once handled: see Received
        try {
            IMqttToken token = client.subscribe(filter, qos);
            int[] codes = token.getReasonCodes();
            if (codes != null && codes.length > 0 && codes[0] >= FIRST_FAILURE_CODE) {
                throw new CtlException(ExitCode.FAILED, "subscribe to '" + filter + "' refused (SUBACK 0x"
                        + Integer.toHexString(codes[0]) + ")");
            }
        } catch (MqttException e) {
            throw new CtlException(ExitCode.FAILED, "subscribe to '" + filter + "' failed: " + e.getMessage(), e);
        }
    }

    static PublishProperties properties(MqttProperties p) {
        if (p == null) {
            return PublishProperties.NONE;
        }
        List<Map.Entry<String, String>> user = p.getUserProperties() == null ? List.of()
                : p.getUserProperties().stream().map(u -> Map.entry(u.getKey(), u.getValue())).toList();
        return new PublishProperties(user, p.getMessageExpiryInterval(), p.getResponseTopic(), p.getContentType(),
                p.getCorrelationData());
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
