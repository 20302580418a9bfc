package io.gomq.launcher.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.testing.RawWebSocketClient;
import io.gomq.launcher.testing.SelfSignedPem;
import io.gomq.launcher.testing.TestBrokers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MQTT over WebSocket with the HiveMQ client (ws:// and wss://, MQTT 3.1.1 and 5), talking to clients on plain TCP. */
@Timeout(30)
class WebSocketEndToEndTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @EnumSource(MqttQos.class)
    void webSocketAndTcpClientsExchangeMessages(MqttQos qos) {
        try (StandaloneBroker broker = TestBrokers.start()) {
            Mqtt3BlockingClient ws = webSocket(Mqtt3Client.builder(), broker.wsPort(), "ws-" + qos).buildBlocking();
            Mqtt3BlockingClient tcp = tcp(broker, "tcp-" + qos);
            exchange(ws, tcp, qos);
        }
    }

    @Test
    void secureWebSocketUsesTheTlsCertificate() throws Exception {
        SelfSignedPem pem = SelfSignedPem.create(dir);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(pem.trustStore());
        try (StandaloneBroker broker = TestBrokers.start(c -> c.wssPort(0).tlsCert(pem.certFile()).tlsKey(pem.keyFile()))) {
            assertTrue(broker.wssPort() > 0);
            assertEquals(-1, broker.tlsPort(), "wss needs no TLS listener");
            assertTrue(broker.readyLine().contains(" wss=127.0.0.1:" + broker.wssPort()), broker.readyLine());
            Mqtt3ClientBuilder b = Mqtt3Client.builder().sslConfig().trustManagerFactory(trust).applySslConfig();
            exchange(webSocket(b, broker.wssPort(), "wss-1").buildBlocking(), tcp(broker, "tcp-wss"), MqttQos.AT_LEAST_ONCE);
        }
    }

    @Test
    void readyLineAndHealthShowTheWebSocketPort() throws Exception {
        try (StandaloneBroker broker = TestBrokers.start()) {
            assertTrue(broker.wsPort() > 0 && broker.wsPort() != broker.mqttPort());
            assertTrue(broker.readyLine().contains(" ws=127.0.0.1:" + broker.wsPort() + " wss=- "), broker.readyLine());
            HttpResponse<String> r = RawWebSocketClient.http().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + broker.httpPort() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode ports = new ObjectMapper().readTree(r.body()).get("ports");
            assertEquals(broker.wsPort(), ports.get("ws").asInt(), r.body());
            assertTrue(ports.get("wss").isNull(), r.body());
        }
        try (StandaloneBroker off = TestBrokers.start(c -> c.wsPort(-1))) {
            assertEquals(-1, off.wsPort());
            assertTrue(off.readyLine().contains(" ws=- "), off.readyLine());
        }
    }

    @Test
    void mqtt5OverWebSocketKeepsMessageProperties() throws Exception {
        try (StandaloneBroker broker = TestBrokers.start()) {
            Mqtt5BlockingClient ws = Mqtt5Client.builder().identifier("ws5").serverHost("127.0.0.1").serverPort(broker.wsPort())
                    .webSocketConfig().serverPath("mqtt").applyWebSocketConfig().buildBlocking();
            Mqtt5BlockingClient tcp = Mqtt5Client.builder().identifier("tcp5").serverHost("127.0.0.1")
                    .serverPort(broker.mqttPort()).buildBlocking();
            ws.connect();
            tcp.connect();
            try (Mqtt5BlockingClient.Mqtt5Publishes publishes = tcp.publishes(MqttGlobalPublishFilter.ALL)) {
                tcp.subscribeWith().topicFilter("v5/ws").qos(MqttQos.AT_LEAST_ONCE).send();
                ws.publishWith().topic("v5/ws").qos(MqttQos.AT_LEAST_ONCE).payload("p".getBytes(StandardCharsets.UTF_8))
                        .contentType("text/plain").userProperties().add("k", "v").applyUserProperties().send();
                Mqtt5Publish p = publishes.receive(5, TimeUnit.SECONDS).orElseThrow();
                assertEquals("text/plain", p.getContentType().orElseThrow().toString());
                assertEquals("k=v", p.getUserProperties().asList().get(0).getName() + "="
                        + p.getUserProperties().asList().get(0).getValue());
            } finally {
                ws.disconnect();
                tcp.disconnect();
            }
        }
    }

    /** ws subscribes, tcp publishes; then the other way round. Disconnects both. */
    private static void exchange(Mqtt3BlockingClient ws, Mqtt3BlockingClient tcp, MqttQos qos) {
        ws.connect();
        tcp.connect();
        try {
            roundTrip(tcp, ws, "to-ws/" + qos, qos);
            roundTrip(ws, tcp, "from-ws/" + qos, qos);
        } finally {
            ws.disconnect();
            tcp.disconnect();
        }
    }

    private static void roundTrip(Mqtt3BlockingClient from, Mqtt3BlockingClient to, String topic, MqttQos qos) {
        try (Mqtt3BlockingClient.Mqtt3Publishes publishes = to.publishes(MqttGlobalPublishFilter.ALL)) {
            to.subscribeWith().topicFilter(topic + "/+").qos(qos).send();
            for (int i = 0; i < 5; i++) {
                from.publishWith().topic(topic + "/" + i).qos(qos).payload(("m" + i).getBytes(StandardCharsets.UTF_8)).send();
            }
            for (int i = 0; i < 5; i++) {
                Optional<Mqtt3Publish> p = publishes.receive(5, TimeUnit.SECONDS);
                assertTrue(p.isPresent(), topic + " message " + i);
                assertEquals(topic + "/" + i, p.get().getTopic().toString());
                assertEquals("m" + i, new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
                assertEquals(qos, p.get().getQos());
            }
            assertFalse(publishes.receiveNow().isPresent(), "nothing twice");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static Mqtt3ClientBuilder webSocket(Mqtt3ClientBuilder b, int port, String id) {
        return b.identifier(id).serverHost("127.0.0.1").serverPort(port)
                .webSocketConfig().serverPath("mqtt").applyWebSocketConfig();
    }

    private static Mqtt3BlockingClient tcp(StandaloneBroker broker, String id) {
        return Mqtt3Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.mqttPort()).buildBlocking();
    }
}
