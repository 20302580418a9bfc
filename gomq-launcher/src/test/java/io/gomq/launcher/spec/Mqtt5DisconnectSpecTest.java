package io.gomq.launcher.spec;

import io.gomq.core.codec.Connect;
import io.gomq.core.codec.DecodeResult;
import io.gomq.core.codec.Disconnect;
import io.gomq.core.codec.MqttDecoder;
import io.gomq.core.codec.PacketProperties;
import io.gomq.core.codec.ReasonCode;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.testing.RawMqttClient;
import io.gomq.launcher.testing.TestBrokers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;

import static io.gomq.launcher.testing.RawMqttClient.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DISCONNECT an MQTT 5 client reads before the broker closes its connection: the reason
 * code of each cause, written and read byte by byte.
 */
@Timeout(30)
class Mqtt5DisconnectSpecTest {
    private static StandaloneBroker broker;

    @BeforeAll
    static void start() {
        broker = TestBrokers.start(c -> c.broker().maxTopicAliases(2));
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    /** An MQTT 5 CONNECT, clean start, keep-alive 60 s, no properties; returns the CONNACK's reason code. */
    private static int connect5(RawMqttClient c, String id) throws Exception {
        byte[] idBytes = id.getBytes();
        int[] head = {
                0x10, 13 + idBytes.length,   // 3.1 CONNECT, remaining length
                0x00, 0x04, 'M', 'Q', 'T', 'T', // 3.1.2.1 protocol name
                0x05,                         // 3.1.2.2 protocol version 5
                0x02,                         // 3.1.2.3 flags: clean start
                0x00, 0x3C,                   // 3.1.2.10 keep alive 60 s
                0x00,                         // 3.1.2.11 properties length 0
                0x00, idBytes.length};        // 3.1.3.1 client identifier length
        c.send(head);
        c.send(idBytes);
        byte[] connack = c.readPacket();
        assertEquals(0x20, connack[0] & 0xFF, "CONNACK");
        return connack[3] & 0xFF;             // after fixed header (2 bytes) and the acknowledge flags
    }

    private static Disconnect disconnect(byte[] packet) {
        MqttDecoder client = MqttDecoder.forClient(1 << 20, Connect.PROTOCOL_LEVEL_5);
        DecodeResult r = client.decode(ByteBuffer.wrap(packet));
        assertTrue(r.isPacket(), "a well-formed packet: " + r);
        return (Disconnect) r.packet();
    }

    @Test
    void aMalformedPacketGetsDisconnect0x81() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.mqttPort())) {
            assertEquals(0, connect5(c, "malformed"));
            c.send(0x30, 0x05,                // 3.3 PUBLISH QoS 0
                    0x00, 0x01, 't',          // topic "t"
                    0x05, 0x26);              // properties length 5, User Property without its strings: malformed
            Disconnect d = disconnect(c.readPacket());
            assertEquals(ReasonCode.MALFORMED_PACKET.value(), d.reasonCode());
            assertTrue(c.closedWithin(5_000));
        }
    }

    @Test
    void aTopicAliasAboveTheMaximumGetsDisconnect0x94() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.mqttPort())) {
            assertEquals(0, connect5(c, "alias"));
            c.send(0x30, 0x08,                // 3.3 PUBLISH QoS 0
                    0x00, 0x01, 't',          // topic "t"
                    0x03, 0x23, 0x00, 0x03,   // properties: Topic Alias 3 (the broker allows 2)
                    'x');                     // payload
            Disconnect d = disconnect(c.readPacket());
            assertEquals(ReasonCode.TOPIC_ALIAS_INVALID.value(), d.reasonCode());
            assertTrue(c.closedWithin(5_000));
        }
    }

    @Test
    void aSecondConnectionWithTheSameIdTakesTheSessionOverWith0x8E() throws Exception {
        try (RawMqttClient first = new RawMqttClient(broker.mqttPort());
             RawMqttClient second = new RawMqttClient(broker.mqttPort())) {
            assertEquals(0, connect5(first, "twin"));
            assertEquals(0, connect5(second, "twin"));
            Disconnect d = disconnect(first.readPacket());
            assertEquals(ReasonCode.SESSION_TAKEN_OVER.value(), d.reasonCode());
            assertTrue(first.closedWithin(5_000));
        }
    }

    @Test
    void anAuthenticationMethodGetsConnack0x8C() throws Exception {
        try (RawMqttClient c = new RawMqttClient(broker.mqttPort())) {
            c.send(0x10, 0x15,
                    0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, 0x02, 0x00, 0x3C,
                    0x07, 0x15, 0x00, 0x04, 'S', 'C', 'R', 'M', // properties: Authentication Method "SCRM"
                    0x00, 0x01, 'a');
            byte[] connack = c.readPacket();
            assertEquals(ReasonCode.BAD_AUTHENTICATION_METHOD.value(), connack[3] & 0xFF);
            assertTrue(c.closedWithin(5_000));
        }
    }

    @Test
    void disconnectWithWillMessageSendsTheWill() throws Exception {
        try (RawMqttClient watcher = new RawMqttClient(broker.mqttPort());
             RawMqttClient c = new RawMqttClient(broker.mqttPort())) {
            assertEquals(0, connect5(watcher, "watcher"));
            watcher.send(0x82, 0x07, 0x00, 0x01, 0x00, 0x00, 0x01, 'w', 0x00); // SUBSCRIBE id 1, no properties, "w" QoS 0
            assertEquals(0x90, watcher.readPacket()[0] & 0xFF);
            c.send(0x10, 0x14,
                    0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05,
                    0x06,                     // flags: will (QoS 0), clean start
                    0x00, 0x3C, 0x00,         // keep alive, no properties
                    0x00, 0x01, 'c',          // client id "c"
                    0x00,                     // will properties: none
                    0x00, 0x01, 'w',          // will topic "w"
                    0x00, 0x00);              // will payload: empty
            c.readPacket();
            c.send(0xE0, 0x01, 0x04);         // DISCONNECT, reason 0x04: disconnect with will message
            byte[] will = watcher.readPacket();
            assertEquals(0x30, will[0] & 0xF0, "the will reaches the watcher");
        }
    }

    @Test
    void aDisconnectFromTheBrokerIsEncodedAsTheSpecSays() {
        ByteBuffer b = io.gomq.core.codec.MqttEncoder.encode(
                new Disconnect(ReasonCode.KEEP_ALIVE_TIMEOUT, PacketProperties.NONE), Connect.PROTOCOL_LEVEL_5);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        assertEquals(RawMqttClient.hex(bytes(0xE0, 0x01, 0x8D)), RawMqttClient.hex(out)); // 3.14: reason only, no properties
    }
}
