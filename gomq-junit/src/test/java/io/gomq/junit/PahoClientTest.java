package io.gomq.junit;

import io.gomq.client.Delivery;
import io.gomq.client.Producer;
import org.eclipse.paho.client.mqttv3.IMqttClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The extension with a real Paho client: injected, connected, and closed after each test. */
@GoMqTest
@Timeout(60)
class PahoClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aMessagePahoPublishesArrivesAtAwaitMessage(MqttClient client, GoMqTestBroker broker) throws Exception {
        assertTrue(client.isConnected());
        client.publish("sensors/door", "open".getBytes(StandardCharsets.UTF_8), 1, false);
        client.publish("sensors/door", "closed".getBytes(StandardCharsets.UTF_8), 1, false);

        Delivery first = broker.awaitMessage("sensors/door", WAIT);
        assertEquals("open", first.payloadAsString());
        assertEquals(1, first.qos().level());
        assertEquals("closed", broker.awaitMessage("sensors/door", WAIT).payloadAsString(), "each await takes the next one");
    }

    @Test
    void aPahoSubscriberReceivesWhatTheInProcessProducerPublishes(IMqttClient client, Producer producer) throws Exception {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        client.subscribe("jobs/#", 1, (topic, m) -> received.add(topic + " " + new String(m.getPayload(), StandardCharsets.UTF_8)));

        producer.publish("jobs/1", "run").get(10, TimeUnit.SECONDS);

        assertEquals("jobs/1 run", received.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void eachClientParameterIsItsOwnConnection(MqttClient first, MqttClient second) {
        assertNotEquals(first.getClientId(), second.getClientId());
        assertTrue(first.isConnected() && second.isConnected());
    }

    @Test
    void theWebSocketAndHttpListenersAnswerOnTheirInjectedAddresses(@BrokerUri(Listener.WEBSOCKET) URI ws,
            @BrokerUri(Listener.HTTP) String http, @BrokerPort(Listener.MQTT) int mqttPort, GoMqTestBroker broker)
            throws Exception {
        assertEquals(broker.wsUri(), ws);
        try (MqttClient overWebSocket = new MqttClient(ws.toString(), "ws-client", new MemoryPersistence())) {
            overWebSocket.connect();
            overWebSocket.publish("ws/hello", "hi".getBytes(StandardCharsets.UTF_8), 1, false);
            assertEquals("hi", broker.awaitMessage("ws/hello", WAIT).payloadAsString());
            overWebSocket.disconnect();
        }

        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(http).resolve("health")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains(String.valueOf(mqttPort)), health.body());
    }

    @Test
    void theBrokerKeepsItsLogInAFreshDirectory(GoMqTestBroker broker) {
        assertTrue(broker.dataDir().isPresent());
        assertTrue(Files.isDirectory(broker.dataDir().get()));
        assertTrue(broker.dataDir().get().getFileName().toString().startsWith("gomq-junit-"));
    }

    @Test
    void awaitMessageFailsNamingWhatDidArrive(MqttClient client, GoMqTestBroker broker) throws Exception {
        client.publish("other/topic", "x".getBytes(StandardCharsets.UTF_8), 1, false);
        while (broker.messages().all().isEmpty()) {
            Thread.sleep(5); // until recorded (the class timeout bounds it)
        }

        AssertionError e = assertThrows(AssertionError.class,
                () -> broker.awaitMessage("never/published", Duration.ofMillis(200)));

        assertTrue(e.getMessage().contains("never/published") && e.getMessage().contains("1 message(s): other/topic"),
                e.getMessage());
        assertEquals(1, broker.messages().all().size(), "a failed await takes nothing");
    }
}
