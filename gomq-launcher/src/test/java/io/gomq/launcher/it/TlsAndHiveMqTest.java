package io.gomq.launcher.it;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.testing.SelfSignedPem;
import io.gomq.launcher.testing.TestBrokers;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The TLS listener with Paho (ssl://), and the HiveMQ client as a second MQTT 3.1.1 implementation. */
// 60 s: the first TLS context of a test JVM loads BouncyCastle (on the test classpath for TestPki) through Netty's PEM reader
@Timeout(60)
class TlsAndHiveMqTest {
    @TempDir
    Path dir;

    @Test
    void shouldRoundTripOverTlsWhenCertificateIsConfigured() throws Exception {
        SelfSignedPem pem = SelfSignedPem.create(dir);
        try (StandaloneBroker broker = TestBrokers.start(c -> c.tlsPort(0).tlsCert(pem.certFile()).tlsKey(pem.keyFile()))) {
            assertTrue(broker.tlsPort() > 0);
            assertTrue(broker.readyLine().contains("tls=127.0.0.1:" + broker.tlsPort()), broker.readyLine());
            MqttConnectOptions o = PahoClients.options(true);
            o.setSocketFactory(pem.clientContext().getSocketFactory());
            try (PahoClients c = PahoClients.connect("ssl://127.0.0.1:" + broker.tlsPort(), "tls-1", o);
                 PahoClients plain = PahoClients.connect(broker, "plain-1", true)) {
                c.client.subscribe("tls/t", 1);
                plain.publish("tls/t", "secret", 1, false);
                assertEquals("secret", c.next().payload());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(MqttQos.class)
    void shouldRoundTripWithHiveMqClient(MqttQos qos) throws Exception {
        try (StandaloneBroker broker = TestBrokers.start()) {
            Mqtt3BlockingClient sub = client(broker, "hive-sub");
            Mqtt3BlockingClient pub = client(broker, "hive-pub");
            sub.connect();
            pub.connect();
            try (Mqtt3BlockingClient.Mqtt3Publishes publishes = sub.publishes(MqttGlobalPublishFilter.ALL)) {
                sub.subscribeWith().topicFilter("hive/+").qos(qos).send();
                for (int i = 0; i < 10; i++) {
                    pub.publishWith().topic("hive/" + i).qos(qos).payload(("h" + i).getBytes(StandardCharsets.UTF_8)).send();
                }
                for (int i = 0; i < 10; i++) {
                    Optional<Mqtt3Publish> p = publishes.receive(5, TimeUnit.SECONDS);
                    assertTrue(p.isPresent(), "message " + i);
                    assertEquals("hive/" + i, p.get().getTopic().toString());
                    assertEquals("h" + i, new String(p.get().getPayloadAsBytes(), StandardCharsets.UTF_8));
                    assertEquals(qos, p.get().getQos());
                }
            } finally {
                pub.disconnect();
                sub.disconnect();
            }
        }
    }

    private static Mqtt3BlockingClient client(StandaloneBroker broker, String id) {
        return Mqtt3Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.mqttPort()).buildBlocking();
    }
}
