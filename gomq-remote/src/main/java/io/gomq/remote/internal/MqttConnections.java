package io.gomq.remote.internal;

import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfigBuilder;
import com.hivemq.client.mqtt.MqttWebSocketConfig;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.gomq.client.NotAuthorizedException;
import io.gomq.client.PublishReceipt;
import io.gomq.client.NotConnectedException;
import io.gomq.remote.RemoteClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Opens MQTT 5 connections to the first server of the list that takes them: in a cluster only
 * the leader does (a member answers CONNACK 0x9C "use another server", or 0x88 "server
 * unavailable"), so the client goes round the list. A connection that drops later reconnects on
 * its own, to the next server each time, with the same session settings (a persistent session
 * resumes; a clean one is subscribed again by the HiveMQ client).
 */
final class MqttConnections {
    private static final Logger LOG = LoggerFactory.getLogger(MqttConnections.class);
    /** Refusals that another server would repeat: give up at once instead of going round the list. */
    private static final Set<Mqtt5ConnAckReasonCode> FINAL = Set.of(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD,
            Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
            Mqtt5ConnAckReasonCode.BAD_AUTHENTICATION_METHOD, Mqtt5ConnAckReasonCode.BANNED);
    private static final long RECONNECT_DELAY_MS = 200;

    private final RemoteClientConfig config;
    private final List<MqttClientTransportConfig> transports;
    /** The server that took the last connection: the next connect tries it first. */
    private final AtomicInteger preferred = new AtomicInteger();

    MqttConnections(RemoteClientConfig config) {
        this.config = config;
        this.transports = config.servers().stream().map(this::transport).toList();
    }

    /** The session a connection opens. */
    record Session(String clientId, boolean cleanStart, long sessionExpirySeconds, int receiveMaximum) {
    }

    /** A connected client and the state of its reconnects. */
    static final class Connection {
        private final Mqtt5AsyncClient client;
        private final ReconnectPolicy policy;

        private Connection(Mqtt5AsyncClient client, ReconnectPolicy policy) {
            this.client = client;
            this.policy = policy;
        }

        Mqtt5AsyncClient client() {
            return client;
        }

        /** {@return completes once the connection is up (at once when it is)} */
        CompletableFuture<Void> up() {
            return policy.up;
        }
    }

    /**
     * Connects, going round the servers once.
     *
     * @param session       the session's settings
     * @param beforeConnect registers callbacks on the client before it connects (deliveries of a resumed session come at once)
     * @return the connected client
     * @throws NotConnectedException when no server took the connection, naming what each answered
     * @throws NotAuthorizedException when a server refused the credentials (another would too)
     */
    Connection connect(Session session, Consumer<Mqtt5AsyncClient> beforeConnect) {
        StringBuilder answers = new StringBuilder();
        int first = preferred.get();
        for (int i = 0; i < transports.size(); i++) {
            int index = (first + i) % transports.size();
            ReconnectPolicy policy = new ReconnectPolicy();
            Mqtt5AsyncClient client = Mqtt5Client.builder().identifier(session.clientId())
                    .transportConfig(transports.get(index))
                    .addDisconnectedListener(policy::onDisconnected)
                    .addConnectedListener(context -> policy.onConnected())
                    .buildAsync();
            beforeConnect.accept(client);
            try {
                connectMessage(client.connectWith(), session).send()
                        .get(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
                policy.established(index);
                preferred.set(index);
                return new Connection(client, policy);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                answers.append(config.servers().get(index)).append(": ").append(cause.getMessage()).append("; ");
                if (cause instanceof Mqtt5ConnAckException refused && FINAL.contains(refused.getMqttMessage().getReasonCode())) {
                    String why = "connection refused by " + config.servers().get(index) + ": " + refused.getMqttMessage().getReasonCode();
                    throw refused.getMqttMessage().getReasonCode() == Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID
                            ? new IllegalArgumentException(why, cause) : new NotAuthorizedException(why, cause);
                }
            } catch (TimeoutException e) {
                answers.append(config.servers().get(index)).append(": no CONNACK within ").append(config.connectTimeout()).append("; ");
                client.disconnect();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                client.disconnect();
                throw new IllegalStateException("interrupted while connecting", e);
            }
        }
        throw new NotConnectedException("no server took the connection of " + session.clientId() + ": " + answers);
    }

    private Mqtt5ConnectBuilder.Send<CompletableFuture<Mqtt5ConnAck>> connectMessage(
            Mqtt5ConnectBuilder.Send<CompletableFuture<Mqtt5ConnAck>> b, Session s) {
        b.cleanStart(s.cleanStart()).sessionExpiryInterval(s.sessionExpirySeconds())
                .restrictions().receiveMaximum(s.receiveMaximum()).applyRestrictions()
                .userProperties().add(PublishReceipt.OFFSETS_REQUEST_PROPERTY, "true").applyUserProperties(); // offsets in PUBACKs
        if (config.user() != null) {
            char[] password = config.password();
            if (password == null) {
                b.simpleAuth().username(config.user()).applySimpleAuth();
            } else {
                b.simpleAuth().username(config.user()).password(new String(password).getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
            }
        }
        return b;
    }

    private MqttClientTransportConfig transport(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        MqttClientTransportConfigBuilder b = MqttClientTransportConfig.builder().serverHost(uri.getHost()).serverPort(uri.getPort())
                .mqttConnectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .socketConnectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (scheme.equals("ssl") || scheme.equals("wss")) {
            b.sslConfig(MqttClientSslConfig.builder().trustManagerFactory(config.trust()).keyManagerFactory(config.keys()).build());
        }
        if (scheme.startsWith("ws")) {
            String path = uri.getPath() == null || uri.getPath().isEmpty() ? "mqtt" : uri.getPath().substring(1);
            b.webSocketConfig(MqttWebSocketConfig.builder().serverPath(path).build());
        }
        return b.build();
    }

    /** Reconnects a connection that was up and dropped (not one the user closed), to the next server each time. */
    private final class ReconnectPolicy {
        private volatile int server = -1;
        /** Complete while connected; a fresh one while reconnecting. */
        private volatile CompletableFuture<Void> up = new CompletableFuture<>();

        void onConnected() {
            up.complete(null);
        }

        void established(int index) {
            server = index;
        }

        void onDisconnected(com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext context) {
            int current = server;
            if (current < 0 || context.getSource() == MqttDisconnectSource.USER) {
                return; // the first connect is tried by connect(); a close is final
            }
            if (up.isDone()) {
                up = new CompletableFuture<>();
            }
            int next = context.getReconnector().getAttempts() == 0 ? current : (current + 1) % transports.size();
            server = next;
            LOG.info("connection lost ({}); reconnecting to {}", context.getCause().getMessage(), config.servers().get(next));
            context.getReconnector().reconnect(true).delay(RECONNECT_DELAY_MS, TimeUnit.MILLISECONDS)
                    .transportConfig(transports.get(next));
        }
    }
}
