package io.gomq.launcher.it;

import io.gomq.core.codec.Connect;
import io.gomq.core.codec.Disconnect;
import io.gomq.core.message.Qos;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.testing.RawMqttClient;
import io.gomq.launcher.testing.TestBrokers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static io.gomq.launcher.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Eclipse Paho against the standalone broker over real sockets. */
@Timeout(30)
class PahoEndToEndTest {
    private static StandaloneBroker broker;

    @BeforeAll
    static void start() {
        broker = TestBrokers.start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {0, 1, 2})
    void shouldDeliverAtEachQosWhenSubscribedAtThatQos(int qos) throws Exception {
        try (PahoClients sub = PahoClients.connect(broker, "sub-q" + qos, true);
             PahoClients pub = PahoClients.connect(broker, "pub-q" + qos, true)) {
            sub.client.subscribe("rt/" + qos, qos);
            for (int i = 0; i < 20; i++) {
                pub.publish("rt/" + qos, "m" + i, qos, false);
            }
            for (int i = 0; i < 20; i++) {
                PahoClients.Received r = sub.next();
                assertEquals("m" + i, r.payload());
                assertEquals(qos, r.qos());
                assertFalse(r.retained());
            }
            pub.publish("rt/" + qos, "end", qos, false); // in order on one topic: a duplicate would come before it
            assertEquals("end", sub.next().payload(), "exactly once: nothing more");
        }
    }

    @Test
    void shouldDowngradeToTheGrantedQosWhenSubscribedLower() throws Exception {
        try (PahoClients sub = PahoClients.connect(broker, "sub-down", true);
             PahoClients pub = PahoClients.connect(broker, "pub-down", true)) {
            sub.client.subscribe("down/t", 0);
            pub.publish("down/t", "x", 2, false);
            assertEquals(0, sub.next().qos());
        }
    }

    @Test
    void shouldSendRetainedMessageWhenSubscribingLater() throws Exception {
        try (PahoClients pub = PahoClients.connect(broker, "pub-ret", true)) {
            pub.publish("ret/a", "kept", 1, true);
        }
        try (PahoClients sub = PahoClients.connect(broker, "sub-ret", true)) {
            sub.client.subscribe("ret/+", 1);
            PahoClients.Received r = sub.next();
            assertEquals("kept", r.payload());
            assertTrue(r.retained(), "a retained message sent on subscribe has RETAIN 1");
        }
    }

    @Test
    void shouldMatchWildcardsWhenPublishingToManyTopics() throws Exception {
        try (PahoClients plus = PahoClients.connect(broker, "sub-plus", true);
             PahoClients hash = PahoClients.connect(broker, "sub-hash", true);
             PahoClients pub = PahoClients.connect(broker, "pub-wild", true)) {
            plus.client.subscribe("wild/+/temp", 1);
            hash.client.subscribe("wild/#", 1);
            pub.publish("wild/kitchen/temp", "1", 1, false);
            pub.publish("wild/kitchen/humidity", "2", 1, false);
            pub.publish("wild", "3", 1, false);
            pub.publish("other/kitchen/temp", "4", 1, false);
            pub.publish("wild/end/temp", "5", 1, false); // matched by both, published last: nothing else after it
            assertEquals("wild/kitchen/temp", plus.next().topic());
            assertEquals("wild/end/temp", plus.next().topic(), "only the matching topics");
            Set<String> topics = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                topics.add(hash.next().topic());
            }
            assertEquals(Set.of("wild/kitchen/temp", "wild/kitchen/humidity", "wild", "wild/end/temp"), topics);
        }
    }

    @Test
    void shouldPublishWillWhenConnectionDiesWithoutDisconnect() throws Exception {
        try (PahoClients sub = PahoClients.connect(broker, "sub-will", true)) {
            sub.client.subscribe("will/dead", 1);
            RawMqttClient raw = new RawMqttClient(broker.mqttPort());
            raw.send(willConnect("dying", "will/dead"));
            assertArrayEquals(RawMqttClient.bytes(0x20, 0x02, 0x00, 0x00), raw.readPacket());
            raw.socket().setSoLinger(true, 0); // RST: the client vanishes
            raw.close();
            PahoClients.Received r = sub.next();
            assertEquals("gone", r.payload());
        }
    }

    @Test
    void shouldNotPublishWillWhenClientSendsDisconnect() throws Exception {
        try (PahoClients sub = PahoClients.connect(broker, "sub-nowill", true)) {
            sub.client.subscribe("will/polite", 1);
            try (RawMqttClient raw = new RawMqttClient(broker.mqttPort())) {
                raw.send(willConnect("polite", "will/polite"));
                raw.readPacket();
                raw.send(new Disconnect());
                assertTrue(raw.closedWithin(2_000));
            }
            try (PahoClients pub = PahoClients.connect(broker, "after-polite", true)) {
                pub.publish("will/polite", "after", 1, false); // the close was decided before this was sent
            }
            assertEquals("after", sub.next().payload(), "no will after DISCONNECT");
        }
    }

    @Test
    void shouldKeepQos1MessagesForPersistentSessionWhileOffline() throws Exception {
        try (PahoClients sub = PahoClients.connect(broker, "persistent-1", false)) {
            sub.client.subscribe("offline/t", 1);
        }
        try (PahoClients pub = PahoClients.connect(broker, "pub-offline", true)) {
            for (int i = 0; i < 5; i++) {
                pub.publish("offline/t", "o" + i, 1, false);
            }
        }
        try (PahoClients sub = PahoClients.connect(broker, "persistent-1", false)) {
            for (int i = 0; i < 5; i++) {
                assertEquals("o" + i, sub.next().payload());
            }
            assertTrue(broker.engine().sessions().get("persistent-1") != null);
        }
    }

    @Test
    void shouldCloseOldConnectionWhenClientIdIsTakenOver() throws Exception {
        try (PahoClients first = PahoClients.connect(broker, "twin", true);
             PahoClients second = PahoClients.connect(broker, "twin", true)) {
            await("first connection closed", () -> first.lost.get() != null);
            assertTrue(second.client.isConnected());
            second.client.subscribe("twin/t", 0);
            second.publish("twin/t", "still works", 0, false);
            assertEquals("still works", second.next().payload());
        }
    }

    @Test
    void shouldAnswerSubackFailureWhenFilterIsInvalid() throws Exception {
        try (RawMqttClient raw = new RawMqttClient(broker.mqttPort())) {
            raw.connect("bad-filter", true, 0);
            // SUBSCRIBE id 7: "a/#/b" (invalid: # not last) QoS 1, then "ok/+" QoS 1
            raw.send(0x82, 2 + 2 + 5 + 1 + 2 + 4 + 1, 0x00, 0x07,
                    0x00, 0x05, 'a', '/', '#', '/', 'b', 0x01,
                    0x00, 0x04, 'o', 'k', '/', '+', 0x01);
            assertArrayEquals(RawMqttClient.bytes(0x90, 0x04, 0x00, 0x07, 0x80, 0x01), raw.readPacket());
        }
    }

    @Test
    void shouldAssignClientIdWhenEmptyWithCleanSession() throws Exception {
        try (RawMqttClient raw = new RawMqttClient(broker.mqttPort())) {
            assertArrayEquals(RawMqttClient.bytes(0x20, 0x02, 0x00, 0x00), raw.connect("", true, 0));
        }
    }

    private static Connect willConnect(String clientId, String willTopic) {
        return new Connect("MQTT", 4, true, 0, clientId,
                new Connect.Will(willTopic, "gone".getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false), null, null);
    }

    @Test
    void shouldSetSessionPresentWhenPersistentSessionResumes() throws Exception {
        try (RawMqttClient raw = new RawMqttClient(broker.mqttPort())) {
            assertArrayEquals(RawMqttClient.bytes(0x20, 0x02, 0x00, 0x00), raw.connect("resume-me", false, 0));
            raw.send(new Disconnect());
        }
        await("first session detached", () -> !broker.engine().sessions().get("resume-me").isOnline());
        try (RawMqttClient raw = new RawMqttClient(broker.mqttPort())) {
            byte[] connack = raw.connect("resume-me", false, 0);
            assertNotNull(connack);
            assertArrayEquals(RawMqttClient.bytes(0x20, 0x02, 0x01, 0x00), connack, "session present = 1");
        }
    }
}
