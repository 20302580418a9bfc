package io.gomq.launcher.cli;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Opens a Paho MQTT 3.1.1 connection to the first broker of the --connect list that accepts. */
final class MqttConnector {
    static final int CONNECT_TIMEOUT_SECONDS = 5;
    static final int KEEP_ALIVE_SECONDS = 30;
    static final long OPERATION_TIMEOUT_MS = 10_000;

    private final List<BrokerAddress> addresses;
    private final String username;
    private final char[] password;

    MqttConnector(List<BrokerAddress> addresses, String username, char[] password) {
        this.addresses = addresses;
        this.username = username;
        this.password = password;
    }

    /** A connected client, or a {@link CtlException} with the matching exit code. */
    MqttClient connect() {
        return Failover.firstAccepting(addresses, this::connectTo);
    }

    private MqttClient connectTo(BrokerAddress address) throws ConnectFailure {
        MqttClient client = null;
        try {
            client = new MqttClient("tcp://" + address, clientId(), new MemoryPersistence());
            client.setTimeToWait(OPERATION_TIMEOUT_MS);
            client.connect(options());
            return client;
        } catch (MqttException e) {
            closeQuietly(client);
            throw classify(e);
        }
    }

    private MqttConnectOptions options() {
        MqttConnectOptions o = new MqttConnectOptions();
        // Pinned: Paho otherwise retries as MQTT 3.1 after a refusal, hiding the real reason.
        o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        o.setCleanSession(true);
        o.setAutomaticReconnect(false);
        o.setConnectionTimeout(CONNECT_TIMEOUT_SECONDS);
        o.setKeepAliveInterval(KEEP_ALIVE_SECONDS);
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
                return new ConnectFailure(ConnectFailure.Kind.UNREACHABLE, "no answer within " + CONNECT_TIMEOUT_SECONDS + " s", e);
            case MqttException.REASON_CODE_CONNECTION_LOST:
                return new ConnectFailure(ConnectFailure.Kind.UNREACHABLE, "closed the connection", e);
            default:
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                String why = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
                return new ConnectFailure(ConnectFailure.Kind.UNREACHABLE, why, e);
        }
    }

    /** Short enough for any 3.1.1 server (23 characters max), random so runs do not collide. */
    static String clientId() {
        byte[] r = new byte[6];
        ThreadLocalRandom.current().nextBytes(r);
        return "gomqctl-" + HexFormat.of().formatHex(r);
    }

    static void closeQuietly(MqttClient client) {
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

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
