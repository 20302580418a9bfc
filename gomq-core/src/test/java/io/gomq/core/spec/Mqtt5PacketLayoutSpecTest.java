package io.gomq.core.spec;

import io.gomq.core.codec.Auth;
import io.gomq.core.codec.CodecTestSupport;
import io.gomq.core.codec.ConnAck;
import io.gomq.core.codec.Connect;
import io.gomq.core.codec.Disconnect;
import io.gomq.core.codec.MqttDecoder;
import io.gomq.core.codec.MqttPacket;
import io.gomq.core.codec.PacketProperties;
import io.gomq.core.codec.PubAck;
import io.gomq.core.codec.PubRel;
import io.gomq.core.codec.Publish;
import io.gomq.core.codec.ReasonCode;
import io.gomq.core.codec.SubAck;
import io.gomq.core.codec.Subscribe;
import io.gomq.core.codec.UnsubAck;
import io.gomq.core.codec.Unsubscribe;
import io.gomq.core.message.MessageProperties;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MQTT 5.0 packets written byte by byte as the specification lays them out (section 3.x of
 * each packet, properties as in 2.2.2), decoded field by field and encoded back to the same
 * bytes. The encoder writes properties in ascending identifier order, so the rows do too.
 */
class Mqtt5PacketLayoutSpecTest {

    /** Decodes {@code raw} with {@code decoder}, checks the encoder gives back the same bytes, returns the packet. */
    private static MqttPacket both(MqttDecoder decoder, byte[] raw) {
        MqttPacket p = decodeOne(decoder, raw);
        assertArrayEquals(raw, CodecTestSupport.encoded5(p), "encode(decode(raw)) == raw");
        return p;
    }

    private static MqttDecoder server() {
        return CodecTestSupport.server5();
    }

    private static MqttDecoder client() {
        return CodecTestSupport.client5();
    }

    @Test
    void shouldDecodeConnectWithPropertiesAndWill() {
        byte[] raw = bytes(
                0x10, 0x39,                         // CONNECT, remaining length 57
                0x00, 0x04, 'M', 'Q', 'T', 'T',     // protocol name
                0x05,                               // protocol level 5
                0x6E,                               // flags: password, will retain, will QoS 1, will, clean start (no user name: fine in v5)
                0x00, 0x0A,                         // keep alive 10 s
                0x0A,                               // properties length 10
                0x11, 0x00, 0x00, 0x00, 0x78,       //   session expiry interval 120 s
                0x17, 0x01,                         //   request problem information 1
                0x21, 0x00, 0x14,                   //   receive maximum 20
                0x00, 0x03, 'c', 'i', 'd',          // client identifier
                0x11,                               // will properties length 17
                0x01, 0x01,                         //   payload format indicator: UTF-8
                0x02, 0x00, 0x00, 0x00, 0x3C,       //   message expiry interval 60 s
                0x18, 0x00, 0x00, 0x00, 0x05,       //   will delay interval 5 s
                0x26, 0x00, 0x00, 0x00, 0x00,       //   user property "" = ""
                0x00, 0x03, 'w', '/', 't',          // will topic
                0x00, 0x02, 'b', 'y',               // will payload
                0x00, 0x02, 'p', 'w');              // password
        assertEquals(raw.length - 2, raw[1]);
        MqttDecoder decoder = new MqttDecoder(CodecTestSupport.LIMIT); // a fresh server decoder: level 4 until this CONNECT
        Connect c = (Connect) both(decoder, raw);
        assertEquals(5, decoder.protocolLevel());
        assertTrue(c.isMqtt5() && c.isSupportedProtocol());
        assertFalse(c.isMqtt311());
        assertTrue(c.cleanSession());
        assertEquals(10, c.keepAliveSeconds());
        assertEquals(120, c.properties().sessionExpiryInterval());
        assertEquals(20, c.properties().receiveMaximum());
        assertEquals(1, c.properties().requestProblemInformation());
        assertEquals(-1, c.properties().requestResponseInformation());
        assertEquals(-1, c.properties().maximumPacketSize());
        assertNull(c.properties().authenticationMethod());
        assertNull(c.username());
        assertArrayEquals(utf8("pw"), c.password());
        Connect.Will w = c.will();
        assertEquals("w/t", w.topic());
        assertArrayEquals(utf8("by"), w.payload());
        assertEquals(Qos.AT_LEAST_ONCE, w.qos());
        assertTrue(w.retain());
        assertEquals(5, w.willDelaySeconds());
        assertEquals(Boolean.TRUE, w.properties().payloadUtf8());
        assertEquals(60, w.properties().messageExpirySeconds());
        assertEquals(List.of(new MessageProperties.UserProperty("", "")), w.properties().userProperties());
    }

    @Test
    void shouldDecodeMinimalMqtt5Connect() {
        Connect c = (Connect) both(server(), bytes(
                0x10, 0x0D,                         // CONNECT, remaining length 13
                0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05,
                0x00,                               // flags: nothing, clean start 0
                0x00, 0x00,                         // keep alive off
                0x00,                               // properties length 0
                0x00, 0x00));                       // empty client identifier
        assertEquals(Connect.mqtt5(false, 0, "", null, null, null, PacketProperties.NONE), c);
        assertTrue(c.properties().isEmpty());
    }

    @Test
    void shouldDecodeConnAckWithServerProperties() {
        byte[] raw = bytes(
                0x20, 0x25,                         // CONNACK, remaining length 37
                0x01,                               // session present
                0x00,                               // reason code Success
                0x22,                               // properties length 34
                0x11, 0x00, 0x00, 0x00, 0x3C,       //   session expiry interval 60 s
                0x12, 0x00, 0x02, 'i', 'd',         //   assigned client identifier "id"
                0x13, 0x00, 0x1E,                   //   server keep alive 30 s
                0x21, 0x00, 0x0A,                   //   receive maximum 10
                0x22, 0x00, 0x05,                   //   topic alias maximum 5
                0x24, 0x00,                         //   maximum QoS 0
                0x25, 0x00,                         //   retain not available
                0x27, 0x00, 0x00, 0x10, 0x00,       //   maximum packet size 4096
                0x28, 0x01,                         //   wildcard subscriptions available
                0x29, 0x00,                         //   subscription identifiers not available
                0x2A, 0x01);                        //   shared subscriptions available
        assertEquals(raw.length - 2, raw[1]);
        ConnAck a = (ConnAck) both(client(), raw);
        assertTrue(a.sessionPresent());
        assertEquals(ReasonCode.SUCCESS, a.reason());
        PacketProperties p = a.properties();
        assertEquals(60, p.sessionExpiryInterval());
        assertEquals("id", p.assignedClientIdentifier());
        assertEquals(30, p.serverKeepAlive());
        assertEquals(10, p.receiveMaximum());
        assertEquals(5, p.topicAliasMaximum());
        assertEquals(0, p.maximumQos());
        assertEquals(0, p.retainAvailable());
        assertEquals(4096, p.maximumPacketSize());
        assertEquals(1, p.wildcardSubscriptionAvailable());
        assertEquals(0, p.subscriptionIdentifierAvailable());
        assertEquals(1, p.sharedSubscriptionAvailable());
        assertNull(p.reasonString());
    }

    @Test
    void shouldDecodeConnAckRefusal() {
        ConnAck a = (ConnAck) both(client(), bytes(
                0x20, 0x03,                         // CONNACK, remaining length 3
                0x00,                               // no session
                0x87,                               // Not authorized
                0x00));                             // properties length 0 (never omitted in CONNACK)
        assertEquals(ReasonCode.NOT_AUTHORIZED, a.reason());
        assertEquals(io.gomq.core.codec.ConnectReturnCode.NOT_AUTHORIZED, a.returnCode());
    }

    @Test
    void shouldDecodePublishWithMessageProperties() {
        byte[] raw = bytes(
                0x32, 0x2D,                         // PUBLISH QoS 1, remaining length 45
                0x00, 0x03, 'a', '/', 'b',          // topic name
                0x00, 0x0A,                         // packet identifier 10
                0x23,                               // properties length 35
                0x01, 0x00,                         //   payload format: unspecified bytes
                0x02, 0x00, 0x00, 0x0E, 0x10,       //   message expiry interval 3600 s
                0x03, 0x00, 0x04, 't', 'e', 'x', 't', // content type
                0x08, 0x00, 0x03, 'r', '/', '1',    //   response topic
                0x09, 0x00, 0x02, 0xCA, 0xFE,       //   correlation data
                0x23, 0x00, 0x07,                   //   topic alias 7
                0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', // user property k = v
                'h', 'i');                          // payload
        assertEquals(raw.length - 2, raw[1]);
        Publish p = (Publish) both(server(), raw);
        assertEquals("a/b", p.topic());
        assertEquals(10, p.packetId());
        assertEquals(7, p.topicAlias());
        assertEquals(0, p.subscriptionIds().length);
        assertArrayEquals(utf8("hi"), p.payload());
        MessageProperties m = p.properties();
        assertEquals(Boolean.FALSE, m.payloadUtf8());
        assertEquals(3600, m.messageExpirySeconds());
        assertEquals("text", m.contentType());
        assertEquals("r/1", m.responseTopic());
        assertArrayEquals(bytes(0xCA, 0xFE), m.correlationData());
        assertEquals(List.of(new MessageProperties.UserProperty("k", "v")), m.userProperties());
    }

    @Test
    void shouldDecodePublishToClientWithAliasOnlyAndSubscriptionIds() {
        byte[] raw = bytes(
                0x30, 0x0E,                         // PUBLISH QoS 0, remaining length 14
                0x00, 0x00,                         // empty topic name: the alias stands for it
                0x0A,                               // properties length 10
                0x0B, 0x01,                         //   subscription identifier 1
                0x0B, 0xFF, 0xFF, 0xFF, 0x7F,       //   subscription identifier 268,435,455 (may repeat to a client)
                0x23, 0x00, 0x07,                   //   topic alias 7
                'x');                               // payload
        Publish p = (Publish) both(client(), raw);
        assertEquals("", p.topic());
        assertEquals(7, p.topicAlias());
        assertArrayEquals(new int[] {1, 268_435_455}, p.subscriptionIds());
        assertTrue(p.properties().isEmpty());
    }

    @Test
    void shouldDecodeAcknowledgementsOfEveryLength() {
        assertEquals(new PubAck(1), both(server(), bytes(
                0x40, 0x02, 0x00, 0x01)));          // PUBACK, id 1: reason Success and no properties implied
        assertEquals(new PubAck(1, ReasonCode.NO_MATCHING_SUBSCRIBERS, PacketProperties.NONE), both(server(), bytes(
                0x40, 0x03, 0x00, 0x01,             // PUBACK, remaining length 3, id 1
                0x10)));                            // No matching subscribers, properties implied empty
        PubAck withReason = (PubAck) both(server(), bytes(
                0x40, 0x0A, 0x00, 0x01,             // PUBACK, remaining length 10, id 1
                0x87,                               // Not authorized
                0x06,                               // properties length 6
                0x1F, 0x00, 0x03, 'n', 'o', 'p'));  //   reason string
        assertEquals("nop", withReason.properties().reasonString());
        assertEquals(new PubAck(1), decodeOne(server(), bytes(
                0x40, 0x04, 0x00, 0x01, 0x00,       // PUBACK Success ...
                0x00)));                            // ... with an explicit empty property length: valid, encoded shorter
        assertEquals(new PubRel(5, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, PacketProperties.NONE), both(server(), bytes(
                0x62, 0x03, 0x00, 0x05,             // PUBREL (flags 0b0010), remaining length 3, id 5
                0x92)));                            // Packet Identifier not found
    }

    @Test
    void shouldDecodeSubscribeWithOptions() {
        byte[] raw = bytes(
                0x82, 0x10,                         // SUBSCRIBE, remaining length 16
                0x00, 0x0A,                         // packet identifier 10
                0x03,                               // properties length 3
                0x0B, 0x80, 0x01,                   //   subscription identifier 128 (two-byte varint)
                0x00, 0x03, 'a', '/', 'b',          // topic filter
                0x2D,                               // options: retain handling 2, retain as published, no local, QoS 1
                0x00, 0x01, '#',                    // topic filter
                0x12);                              // options: retain handling 1, QoS 2
        Subscribe s = (Subscribe) both(server(), raw);
        assertEquals(128, s.properties().subscriptionIdentifier());
        assertEquals(List.of(new Subscribe.Subscription("a/b", Qos.AT_LEAST_ONCE, true, true, 2),
                new Subscribe.Subscription("#", Qos.EXACTLY_ONCE, false, false, 1)), s.subscriptions());
    }

    @Test
    void shouldDecodeSubAckAndUnsubAckReasonCodes() {
        SubAck s = (SubAck) both(client(), bytes(
                0x90, 0x07,                         // SUBACK, remaining length 7
                0x00, 0x0A,                         // packet identifier 10
                0x00,                               // properties length 0
                0x01, 0x8F, 0xA2, 0x00));           // Granted QoS 1, Topic Filter invalid, Wildcards not supported, Granted QoS 0
        assertEquals(List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.TOPIC_FILTER_INVALID,
                ReasonCode.WILDCARD_SUBSCRIPTIONS_NOT_SUPPORTED, ReasonCode.GRANTED_QOS_0), s.reasonCodes());
        assertTrue(s.returnCodes().get(1).isFailure());
        UnsubAck u = (UnsubAck) both(client(), bytes(
                0xB0, 0x05,                         // UNSUBACK, remaining length 5
                0x00, 0x0B,                         // packet identifier 11
                0x00,                               // properties length 0
                0x00, 0x11));                       // Success, No subscription existed
        assertEquals(List.of(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED), u.reasonCodes());
    }

    @Test
    void shouldDecodeUnsubscribeWithUserProperty() {
        Unsubscribe u = (Unsubscribe) both(server(), bytes(
                0xA2, 0x0E,                         // UNSUBSCRIBE, remaining length 14
                0x00, 0x0B,                         // packet identifier 11
                0x06,                               // properties length 6
                0x26, 0x00, 0x01, 'k', 0x00, 0x00,  //   user property k = ""
                0x00, 0x03, 'a', '/', 'b'));        // topic filter
        assertEquals(List.of("a/b"), u.filters());
        assertEquals(List.of(new MessageProperties.UserProperty("k", "")), u.properties().userProperties());
    }

    @Test
    void shouldDecodeDisconnectForms() {
        assertEquals(Disconnect.INSTANCE, both(server(), bytes(0xE0, 0x00))); // remaining length 0: Normal disconnection
        assertEquals(new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, PacketProperties.NONE), both(server(), bytes(
                0xE0, 0x01,                         // DISCONNECT, remaining length 1
                0x04)));                            // Disconnect with Will Message, properties implied empty
        Disconnect d = (Disconnect) both(server(), bytes(
                0xE0, 0x0D,                         // DISCONNECT, remaining length 13
                0x04,                               // Disconnect with Will Message
                0x0B,                               // properties length 11
                0x11, 0x00, 0x00, 0x00, 0x00,       //   session expiry interval 0
                0x1F, 0x00, 0x03, 'b', 'y', 'e'));  //   reason string
        assertEquals(0, d.properties().sessionExpiryInterval());
        assertEquals("bye", d.properties().reasonString());
        assertEquals(ReasonCode.SESSION_TAKEN_OVER, ((Disconnect) both(client(), bytes(0xE0, 0x01, 0x8E))).reason());
    }

    @Test
    void shouldDecodeAuthExchange() {
        assertEquals(new Auth(0, PacketProperties.NONE), both(server(), bytes(0xF0, 0x00))); // AUTH Success, nothing else
        Auth a = (Auth) both(client(), bytes(
                0xF0, 0x0F,                         // AUTH, remaining length 15
                0x18,                               // Continue authentication
                0x0D,                               // properties length 13
                0x15, 0x00, 0x05, 'S', 'C', 'R', 'A', 'M', // authentication method
                0x16, 0x00, 0x02, 0x01, 0x02));     //   authentication data
        assertEquals(ReasonCode.CONTINUE_AUTHENTICATION, a.reason());
        assertEquals("SCRAM", a.properties().authenticationMethod());
        assertArrayEquals(bytes(1, 2), a.properties().authenticationData());
    }
}
