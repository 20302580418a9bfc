package io.gomq.launcher.spec;

import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.testing.RawMqttClient;
import io.gomq.launcher.testing.TestBrokers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.gomq.launcher.testing.RawMqttClient.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MQTT 3.1.1 exchanges written byte by byte, one comment per field (section numbers of the spec). */
@Timeout(30)
class RawExchangeSpecTest {
    private static StandaloneBroker broker;

    @BeforeAll
    static void start() {
        broker = TestBrokers.start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void connectIsAnsweredWithConnackAccepted() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.mqttPort())) {
            c.send(
                    0x10,                     // 3.1.1 CONNECT, flags 0000
                    16,                       // remaining length: 10 (variable header) + 6 (payload)
                    0x00, 0x04, 'M', 'Q', 'T', 'T', // 3.1.2.1 protocol name
                    0x04,                     // 3.1.2.2 protocol level 4 = 3.1.1
                    0x02,                     // 3.1.2.3 connect flags: clean session
                    0x00, 0x3C,               // 3.1.2.10 keep-alive 60 s
                    0x00, 0x04, 's', 'p', 'e', 'c'); // 3.1.3.1 client id "spec"
            assertArrayEquals(bytes(
                    0x20,                     // 3.2.1 CONNACK
                    0x02,                     // remaining length 2
                    0x00,                     // 3.2.2.2 session present 0 (clean session)
                    0x00),                    // 3.2.2.3 return code 0: accepted
                    c.readPacket());
        }
    }

    @Test
    void unsupportedProtocolLevelIsAnsweredWithConnack1AndClosed() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.mqttPort())) {
            c.send(0x10, 13,
                    0x00, 0x04, 'M', 'Q', 'T', 'T',
                    0x06,                     // protocol level 6: neither 3.1.1 (4) nor MQTT 5 (5)
                    0x02, 0x00, 0x3C,
                    0x00, 0x01, 'x');
            assertArrayEquals(bytes(0x20, 0x02, 0x00,
                    0x01),                    // 3.2.2.3 return code 1: unacceptable protocol version
                    c.readPacket());
            assertTrue(c.closedWithin(2_000), "MQTT-3.2.2-5: the server closes after a refusing CONNACK");
        }
    }

    @Test
    void emptyClientIdWithPersistentSessionIsAnsweredWithConnack2() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.mqttPort())) {
            c.send(0x10, 12,
                    0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04,
                    0x00,                     // connect flags: clean session 0
                    0x00, 0x00,
                    0x00, 0x00);              // client id "" (MQTT-3.1.3-8)
            assertArrayEquals(bytes(0x20, 0x02, 0x00,
                    0x02),                    // return code 2: identifier rejected
                    c.readPacket());
            assertTrue(c.closedWithin(2_000));
        }
    }

    @Test
    void qos1PublishIsAcknowledgedAndDelivered() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.mqttPort())) {
            c.connect("q1", true, 0);
            c.send(
                    0x82,                     // 3.8.1 SUBSCRIBE, flags 0010
                    0x08,                     // remaining length
                    0x00, 0x0A,               // 3.8.2 packet id 10
                    0x00, 0x03, 'a', '/', 'b',// 3.8.3 topic filter "a/b"
                    0x01);                    // requested QoS 1
            assertArrayEquals(bytes(
                    0x90,                     // 3.9.1 SUBACK
                    0x03,                     // remaining length
                    0x00, 0x0A,               // packet id 10
                    0x01),                    // 3.9.3 granted QoS 1
                    c.readPacket());
            c.send(
                    0x32,                     // 3.3.1 PUBLISH, DUP 0, QoS 1, RETAIN 0
                    0x09,                     // remaining length: 5 topic + 2 id + 2 payload
                    0x00, 0x03, 'a', '/', 'b',// 3.3.2.1 topic name "a/b"
                    0x00, 0x05,               // 3.3.2.2 packet id 5
                    'h', 'i');                // 3.3.3 payload
            byte[] first = c.readPacket();
            byte[] second = c.readPacket();
            byte[] puback = bytes(0x40, 0x02, 0x00, 0x05); // 3.4 PUBACK for packet id 5
            // the delivery to this same client: its own packet id (the broker's first, 1), DUP 0, RETAIN 0
            byte[] delivery = bytes(0x32, 0x09, 0x00, 0x03, 'a', '/', 'b', 0x00, 0x01, 'h', 'i');
            boolean ackFirst = first[0] == 0x40;
            assertArrayEquals(puback, ackFirst ? first : second);
            assertArrayEquals(delivery, ackFirst ? second : first);
            c.send(0x40, 0x02, 0x00, 0x01); // PUBACK for the delivery
            c.send(0xC0, 0x00);              // 3.12 PINGREQ
            assertArrayEquals(bytes(0xD0, 0x00), c.readPacket()); // 3.13 PINGRESP: nothing else was pending
        }
    }

    @Test
    void qos2PublishIsReleasedOnceWhenPubrelIsRepeated() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.mqttPort())) {
            c.connect("q2", true, 0);
            c.send(0x82, 0x08, 0x00, 0x01, 0x00, 0x03, 'q', '/', '2', 0x00); // SUBSCRIBE "q/2" QoS 0
            c.readPacket();
            c.send(
                    0x34,                     // PUBLISH, QoS 2
                    0x08,
                    0x00, 0x03, 'q', '/', '2',
                    0x00, 0x07,               // packet id 7
                    'x');
            assertArrayEquals(bytes(0x50, 0x02, 0x00, 0x07), c.readPacket()); // 3.5 PUBREC 7
            c.send(0x62, 0x02, 0x00, 0x07);  // 3.6 PUBREL 7 (flags 0010)
            byte[] a = c.readPacket();
            byte[] b = c.readPacket();
            byte[] pubcomp = bytes(0x70, 0x02, 0x00, 0x07);          // 3.7 PUBCOMP 7
            byte[] delivery = bytes(0x30, 0x06, 0x00, 0x03, 'q', '/', '2', 'x'); // released: QoS 0 copy
            boolean compFirst = a[0] == 0x70;
            assertArrayEquals(pubcomp, compFirst ? a : b);
            assertArrayEquals(delivery, compFirst ? b : a);
            c.send(0x62, 0x02, 0x00, 0x07);  // PUBREL 7 again (a lost PUBCOMP)
            assertArrayEquals(pubcomp, c.readPacket(), "PUBCOMP again, and no second delivery");
            c.send(0xC0, 0x00);
            assertArrayEquals(bytes(0xD0, 0x00), c.readPacket(), "PINGRESP: still connected, nothing else sent before it");
        }
    }

    @Test
    void unsubscribeIsAcknowledgedAndStopsDelivery() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.mqttPort())) {
            c.connect("unsub", true, 0);
            c.send(0x82, 0x08, 0x00, 0x02, 0x00, 0x03, 'u', '/', 'x', 0x00);
            c.readPacket();
            c.send(
                    0xA2,                     // 3.10 UNSUBSCRIBE, flags 0010
                    0x07,
                    0x00, 0x03,               // packet id 3
                    0x00, 0x03, 'u', '/', 'x');
            assertArrayEquals(bytes(0xB0, 0x02, 0x00, 0x03), c.readPacket()); // 3.11 UNSUBACK 3
            c.send(0x30, 0x06, 0x00, 0x03, 'u', '/', 'x', '!');
            c.send(0xC0, 0x00);
            assertArrayEquals(bytes(0xD0, 0x00), c.readPacket(), "no delivery after UNSUBSCRIBE");
        }
    }

    @Test
    void retainedMessageIsSentWithRetainFlagAfterSuback() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.mqttPort())) {
            c.connect("ret-spec", true, 0);
            c.send(0x31, 0x06, 0x00, 0x03, 'r', '/', '1', 'v'); // PUBLISH QoS 0, RETAIN 1
            c.send(0x82, 0x08, 0x00, 0x04, 0x00, 0x03, 'r', '/', '1', 0x00);
            assertArrayEquals(bytes(0x90, 0x03, 0x00, 0x04, 0x00), c.readPacket()); // SUBACK first
            assertArrayEquals(bytes(0x31, 0x06, 0x00, 0x03, 'r', '/', '1', 'v'), c.readPacket()); // RETAIN 1
        }
    }

    @Test
    void unacknowledgedQos1DeliveryIsResentWithDupAfterConnackOnReconnect() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.mqttPort())) {
            assertArrayEquals(bytes(0x20, 0x02, 0x00, 0x00), c.connect("resend", false, 0)); // clean session 0
            c.send(0x82, 0x08, 0x00, 0x01, 0x00, 0x03, 'd', '/', '1', 0x01); // SUBSCRIBE "d/1" QoS 1
            c.readPacket();
            c.send(0x30, 0x06, 0x00, 0x03, 'd', '/', '1', 'z'); // PUBLISH QoS 0 (delivered at QoS 0: min of both)
            assertArrayEquals(bytes(0x30, 0x06, 0x00, 0x03, 'd', '/', '1', 'z'), c.readPacket());
            c.send(0x32, 0x08, 0x00, 0x03, 'd', '/', '1', 0x00, 0x09, 'y'); // PUBLISH QoS 1, id 9
            byte[] a = c.readPacket();
            byte[] b = c.readPacket();
            byte[] delivery = a[0] == 0x40 ? b : a;
            assertArrayEquals(bytes(0x32, 0x08, 0x00, 0x03, 'd', '/', '1', 0x00, 0x01, 'y'), delivery);
            // no PUBACK for the delivery: drop the connection
        }
        try (RawMqttClient c = new RawMqttClient(broker.mqttPort())) {
            assertArrayEquals(bytes(0x20, 0x02,
                    0x01,                     // session present
                    0x00), c.connect("resend", false, 0), "CONNACK comes before any re-sent PUBLISH (MQTT-3.2.0-1)");
            assertArrayEquals(bytes(
                    0x3A,                     // PUBLISH, DUP 1, QoS 1 (MQTT-4.4.0-1: re-sent with DUP)
                    0x08, 0x00, 0x03, 'd', '/', '1',
                    0x00, 0x01,               // the same packet id as before
                    'y'), c.readPacket());
            c.send(0x40, 0x02, 0x00, 0x01);  // PUBACK
            c.send(0xE0, 0x00);              // 3.14 DISCONNECT
        }
    }
}
