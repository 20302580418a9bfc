package io.gomq.core.spec;

import io.gomq.core.codec.CodecTestSupport;
import io.gomq.core.codec.ConnAck;
import io.gomq.core.codec.Connect;
import io.gomq.core.codec.ConnectReturnCode;
import io.gomq.core.codec.Disconnect;
import io.gomq.core.codec.MqttDecoder;
import io.gomq.core.codec.MqttEncoder;
import io.gomq.core.codec.PingReq;
import io.gomq.core.codec.PubRel;
import io.gomq.core.codec.Publish;
import io.gomq.core.codec.SubAck;
import io.gomq.core.codec.SubAckReturnCode;
import io.gomq.core.codec.Subscribe;
import io.gomq.core.codec.Unsubscribe;
import io.gomq.core.message.Qos;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.gomq.core.codec.CodecTestSupport.bytes;
import static io.gomq.core.codec.CodecTestSupport.decodeOne;
import static io.gomq.core.codec.CodecTestSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Packets written byte by byte as the MQTT 3.1.1 specification lays them out (its examples
 * where it has one), decoded field by field, and encoded back to the same bytes.
 */
class PacketLayoutSpecTest {

    @Test
    void shouldDecodeConnectFromSpecExample() {
        byte[] raw = bytes(
                0x10,                               // CONNECT, flags 0
                0x2A,                               // remaining length 42
                0x00, 0x04, 'M', 'Q', 'T', 'T',     // protocol name (3.1.2.1)
                0x04,                               // protocol level 4 = 3.1.1
                0xCE,                               // flags (figure 3.6): username, password, will QoS 1, will, clean session
                0x00, 0x0A,                         // keep alive 10 s
                0x00, 0x03, 'c', 'i', 'd',          // client identifier
                0x00, 0x05, 'w', '/', 't', 'o', 'p',// will topic
                0x00, 0x04, 'b', 'y', 'e', '!',     // will message (binary)
                0x00, 0x04, 'u', 's', 'e', 'r',     // user name
                0x00, 0x06, 's', '3', 'c', 'r', '3', 't'); // password (binary)
        Connect c = (Connect) decodeOne(raw);
        assertEquals("MQTT", c.protocolName());
        assertEquals(4, c.protocolLevel());
        assertTrue(c.isMqtt311());
        assertTrue(c.cleanSession());
        assertEquals(10, c.keepAliveSeconds());
        assertEquals("cid", c.clientId());
        assertEquals("w/top", c.will().topic());
        assertArrayEquals(utf8("bye!"), c.will().payload());
        assertEquals(Qos.AT_LEAST_ONCE, c.will().qos());
        assertFalse(c.will().retain());
        assertEquals("user", c.username());
        assertArrayEquals(utf8("s3cr3t"), c.password());
        assertArrayEquals(raw, CodecTestSupport.encoded(c));
    }

    @Test
    void shouldDecodeMinimalConnectWithEmptyClientId() {
        byte[] raw = bytes(
                0x10, 0x0C,                         // CONNECT, remaining length 12
                0x00, 0x04, 'M', 'Q', 'T', 'T', 0x04,
                0x02,                               // clean session only
                0x00, 0x00,                         // keep alive 0 = off
                0x00, 0x00);                        // empty client id (the session decides, CONNACK 2 if clean=0)
        Connect c = (Connect) decodeOne(raw);
        assertEquals("", c.clientId());
        assertNull(c.will());
        assertNull(c.username());
        assertNull(c.password());
        assertEquals(0, c.keepAliveSeconds());
    }

    @Test
    void shouldDecodeMqtt31ConnectForConnAck1() {
        byte[] raw = bytes(
                0x10, 0x11,                         // CONNECT, remaining length 17
                0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p', // MQTT 3.1 protocol name
                0x03,                               // level 3
                0x02, 0x00, 0x3C,                   // flags, keep alive
                0x00, 0x03, 'c', 'i', 'd');         // client id: not parsed for a foreign protocol
        Connect c = (Connect) decodeOne(raw);
        assertEquals("MQIsdp", c.protocolName());
        assertEquals(3, c.protocolLevel());
        assertFalse(c.isMqtt311()); // session answers CONNACK 1 (unacceptable protocol version) and closes
    }

    @Test
    void shouldDecodeMqtt5ConnectForConnAck1() {
        byte[] raw = bytes(
                0x10, 0x10,                         // CONNECT, remaining length 16
                0x00, 0x04, 'M', 'Q', 'T', 'T',
                0x05,                               // level 5 = MQTT 5
                0x02, 0x00, 0x3C,                   // flags, keep alive
                0x00,                               // MQTT 5 properties length 0: not a 3.1.1 field
                0x00, 0x03, 'c', 'i', 'd');
        Connect c = (Connect) decodeOne(raw);
        assertEquals(5, c.protocolLevel());
        assertFalse(c.isMqtt311());
    }

    @Test
    void shouldDecodeConnectWithUnknownProtocolNameForConnAck1() {
        Connect c = (Connect) decodeOne(bytes(0x10, 0x07, 0x00, 0x04, 'M', 'Q', 'T', 'X', 0x04));
        assertEquals("MQTX", c.protocolName());
        assertFalse(c.isMqtt311());
    }

    @Test
    void shouldEncodeConnAck() {
        assertArrayEquals(bytes(
                0x20, 0x02,                         // CONNACK, remaining length 2
                0x01,                               // session present
                0x00),                              // return code 0 accepted
                CodecTestSupport.encoded(new ConnAck(true, ConnectReturnCode.ACCEPTED)));
        ConnAck refused = (ConnAck) decodeOne(MqttDecoder.forClient(1024), bytes(0x20, 0x02, 0x00, 0x01));
        assertEquals(ConnectReturnCode.UNACCEPTABLE_PROTOCOL_VERSION, refused.returnCode());
    }

    @Test
    void shouldDecodePublishFromSpecExample() {
        byte[] raw = bytes(
                0x3B,                               // PUBLISH, DUP 1, QoS 1, RETAIN 1
                0x0A,                               // remaining length 10
                0x00, 0x03, 'a', '/', 'b',          // topic name (figure 3.11)
                0x00, 0x0A,                         // packet identifier 10
                'h', 'i', '!');                     // payload: the rest of the packet
        Publish p = (Publish) decodeOne(raw);
        assertTrue(p.dup());
        assertEquals(Qos.AT_LEAST_ONCE, p.qos());
        assertTrue(p.retain());
        assertEquals("a/b", p.topic());
        assertEquals(10, p.packetId());
        assertArrayEquals(utf8("hi!"), p.payload());
        assertArrayEquals(raw, CodecTestSupport.encoded(p));
    }

    @Test
    void shouldDecodeQos0PublishWithEmptyPayload() {
        Publish p = (Publish) decodeOne(bytes(
                0x30, 0x03,                         // PUBLISH QoS 0, remaining length 3
                0x00, 0x01, 't'));                  // topic "t", no packet id, empty payload
        assertEquals(0, p.packetId());
        assertEquals(0, p.payload().length);
    }

    @Test
    void shouldDecodePubRelWithRequiredFlags() {
        assertEquals(new PubRel(0x1234), decodeOne(bytes(
                0x62,                               // PUBREL, flags must be 0b0010
                0x02,                               // remaining length 2
                0x12, 0x34)));                      // packet identifier
    }

    @Test
    void shouldDecodeSubscribeFromSpecExample() {
        byte[] raw = bytes(
                0x82,                               // SUBSCRIBE, flags 0b0010
                0x0E,                               // remaining length 14
                0x00, 0x0A,                         // packet identifier 10
                0x00, 0x03, 'a', '/', 'b',          // topic filter (figure 3.22)
                0x01,                               // requested QoS 1
                0x00, 0x03, 'c', '/', 'd',          // topic filter
                0x02);                              // requested QoS 2
        Subscribe s = (Subscribe) decodeOne(raw);
        assertEquals(10, s.packetId());
        assertEquals(List.of(new Subscribe.Subscription("a/b", Qos.AT_LEAST_ONCE),
                new Subscribe.Subscription("c/d", Qos.EXACTLY_ONCE)), s.subscriptions());
        assertArrayEquals(raw, CodecTestSupport.encoded(s));
    }

    @Test
    void shouldKeepInvalidFiltersForSubAckFailure() {
        Subscribe s = (Subscribe) decodeOne(bytes(
                0x82, 0x0A,                         // SUBSCRIBE, remaining length 10
                0x00, 0x01,                         // packet identifier 1
                0x00, 0x02, 'a', '#',               // invalid filter: '#' not a whole level
                0x00,                               // requested QoS 0
                0x00, 0x00,                         // empty filter: also invalid
                0x01));                             // requested QoS 1
        assertEquals("a#", s.subscriptions().get(0).filter());
        assertEquals("", s.subscriptions().get(1).filter());
    }

    @Test
    void shouldEncodeSubAckFromSpecExample() {
        assertArrayEquals(bytes(
                0x90, 0x05,                         // SUBACK, remaining length 5
                0x00, 0x0A,                         // packet identifier 10
                0x00,                               // success, maximum QoS 0 (figure 3.26)
                0x02,                               // success, maximum QoS 2
                0x80),                              // failure
                CodecTestSupport.encoded(new SubAck(10, List.of(SubAckReturnCode.GRANTED_QOS_0,
                        SubAckReturnCode.GRANTED_QOS_2, SubAckReturnCode.FAILURE))));
    }

    @Test
    void shouldDecodeUnsubscribeFromSpecExample() {
        byte[] raw = bytes(
                0xA2, 0x0C,                         // UNSUBSCRIBE, flags 0b0010, remaining length 12
                0x00, 0x0A,                         // packet identifier 10
                0x00, 0x03, 'a', '/', 'b',          // topic filter (figure 3.30)
                0x00, 0x03, 'c', '/', 'd');         // topic filter
        assertEquals(new Unsubscribe(10, List.of("a/b", "c/d")), decodeOne(raw));
    }

    @Test
    void shouldDecodePingReqAndDisconnect() {
        assertSame(PingReq.INSTANCE, decodeOne(bytes(0xC0, 0x00)));     // PINGREQ, remaining length 0
        assertSame(Disconnect.INSTANCE, decodeOne(bytes(0xE0, 0x00)));  // DISCONNECT, remaining length 0
    }

    @Test
    void shouldEncodeRemainingLengthLikeSpecTable() {
        // Table 2.4: 321 = 0xC1 0x02; the payload makes the remaining length exactly 321.
        Publish p = new Publish(false, Qos.AT_MOST_ONCE, false, "t", 0, new byte[318]);
        byte[] raw = CodecTestSupport.encoded(p);
        assertEquals(0xC1, raw[1] & 0xFF);
        assertEquals(0x02, raw[2] & 0xFF);
        assertEquals(1 + 2 + 321, MqttEncoder.encodedSize(p));
    }
}
