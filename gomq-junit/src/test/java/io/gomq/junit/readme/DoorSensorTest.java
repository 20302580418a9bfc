package io.gomq.junit.readme;

// tag::junit[]
import io.gomq.junit.BrokerUri;
import io.gomq.junit.GoMqTest;
import io.gomq.junit.GoMqTestBroker;
import io.gomq.junit.Listener;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

@GoMqTest   // one broker for the class: MQTT, WebSocket and HTTP on free ports, its log in a fresh directory
@Timeout(30)
class DoorSensorTest {

    @Test
    void publishesTheDoorState(GoMqTestBroker broker, MqttClient client) throws Exception {
        client.publish("sensors/door", "open".getBytes(), 1, false);     // a Paho client, connected for this test
        assertEquals("open", broker.awaitMessage("sensors/door", Duration.ofSeconds(5)).payloadAsString());
    }

    @Test
    void answersHealthChecks(@BrokerUri(Listener.HTTP) URI http) throws Exception {
        HttpResponse<String> health = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(http.resolve("health")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
    }
}
// end::junit[]
