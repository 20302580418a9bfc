package io.gomq.core.codec;

import io.gomq.core.message.Qos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static io.gomq.core.codec.CodecTestSupport.LIMIT;
import static io.gomq.core.codec.CodecTestSupport.bytes;
import static io.gomq.core.codec.CodecTestSupport.decodeAll;
import static io.gomq.core.codec.CodecTestSupport.decodeOne;
import static io.gomq.core.codec.CodecTestSupport.decoder5For;
import static io.gomq.core.codec.CodecTestSupport.encoded;
import static io.gomq.core.codec.CodecTestSupport.encoded5;
import static io.gomq.core.codec.CodecTestSupport.failureOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Mqtt5CodecRoundTripTest {

    static List<MqttPacket> samplePackets5() {
        return CodecTestSupport.samplePackets5();
    }

    @ParameterizedTest
    @MethodSource("samplePackets5")
    void shouldDecodeWhatItEncodesAtLevel5(MqttPacket packet) {
        byte[] raw = encoded5(packet);
        assertEquals(MqttEncoder.encodedSize(packet, 5), raw.length);
        assertEquals(packet, decodeOne(decoder5For(packet), raw));
    }

    @ParameterizedTest
    @MethodSource("samplePackets5")
    void shouldEncodeAtPositionOfLargerBufferAtLevel5(MqttPacket packet) {
        ByteBuffer out = ByteBuffer.allocateDirect(MqttEncoder.encodedSize(packet, 5) + 10);
        out.position(3);
        MqttEncoder.encode(out, packet, 5);
        assertEquals(3 + MqttEncoder.encodedSize(packet, 5), out.position());
        out.flip().position(3);
        assertArrayEquals(encoded5(packet), CodecTestSupport.toArray(out));
    }

    @Test
    void shouldCoverEveryPacketTypeAtLevel5() {
        Set<PacketType> seen = EnumSet.noneOf(PacketType.class);
        samplePackets5().forEach(p -> seen.add(p.type()));
        assertEquals(EnumSet.allOf(PacketType.class), seen);
    }

    /** A client's stream at level 5: the CONNECT, then packets only MQTT 5 can carry. */
    private static List<MqttPacket> clientStream() {
        List<MqttPacket> packets = new ArrayList<>();
        packets.add(samplePackets5().get(1));
        for (MqttPacket p : samplePackets5()) {
            if (p.type() != PacketType.CONNECT && decoder5For(p).role() == MqttDecoder.Role.SERVER) {
                packets.add(p);
            }
        }
        return packets;
    }

    private static byte[] encodeAll(List<MqttPacket> packets) {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        packets.forEach(p -> MqttEncoder.encode(b, p, 5));
        return CodecTestSupport.toArray(b.flip());
    }

    @Test
    void shouldSwitchServerDecoderToLevel5OnMqtt5Connect() {
        MqttDecoder decoder = new MqttDecoder(LIMIT);
        assertEquals(4, decoder.protocolLevel());
        ByteBuffer in = ByteBuffer.wrap(encodeAll(clientStream()));
        assertEquals(clientStream(), decodeAll(decoder, in));
        assertEquals(5, decoder.protocolLevel());
        assertEquals(0, in.remaining());
    }

    @Test
    @Timeout(20)
    void shouldDecodeSameMqtt5StreamSplitAtEveryByteBoundary() {
        byte[] all = encodeAll(clientStream());
        for (int split = 0; split <= all.length; split++) {
            MqttDecoder decoder = new MqttDecoder(LIMIT); // starts at 4: the CONNECT in the stream switches it
            assertEquals(clientStream(), CodecTestSupport.decodeSplit(decoder, all, split), "split at " + split);
        }
    }

    @Test
    @Timeout(20)
    void shouldDecodeEveryMqtt5PacketSplitAtEveryByteBoundary() {
        for (MqttPacket p : samplePackets5()) {
            byte[] raw = encoded5(p);
            for (int split = 0; split <= raw.length; split++) {
                assertEquals(List.of(p), CodecTestSupport.decodeSplit(decoder5For(p), raw, split), "split at " + split);
            }
        }
    }

    @Test
    void shouldKeepMqtt311DecodingAfterLevel4Connect() {
        MqttDecoder decoder = new MqttDecoder(LIMIT);
        decodeOne(decoder, encoded(Connect.of("c", true, 0)));
        assertEquals(4, decoder.protocolLevel());
        // PUBACK with a reason code byte: valid in MQTT 5, three bytes too many for 3.1.1's fixed length
        assertEquals(DecodeError.TRAILING_BYTES, failureOf(decoder, bytes(0x40, 0x03, 0x00, 0x01, 0x10)).error());
        MqttDecoder another = new MqttDecoder(LIMIT);
        decodeOne(another, encoded(Connect.of("c", true, 0)));
        assertEquals(DecodeError.RESERVED_PACKET_TYPE, failureOf(another, bytes(0xF0, 0x00)).error()); // AUTH
        MqttDecoder third = new MqttDecoder(LIMIT);
        decodeOne(third, encoded(Connect.of("c", true, 0)));
        assertEquals(DecodeError.TRAILING_BYTES, failureOf(third, bytes(0xE0, 0x01, 0x04)).error()); // DISCONNECT with will
    }

    @Test
    void shouldRequireShortestRemainingLengthOnlyAtLevel5() {
        byte[] longPingReq = bytes(0xC0, 0x80, 0x00); // remaining length 0 in two bytes
        assertSame(PingReq.INSTANCE, decodeOne(new MqttDecoder(LIMIT), longPingReq));
        assertEquals(DecodeError.MALFORMED_REMAINING_LENGTH, failureOf(CodecTestSupport.server5(), longPingReq).error());
        assertSame(PingResp.INSTANCE, decodeOne(CodecTestSupport.client5(), bytes(0xD0, 0x00)));
    }

    @Test
    void shouldNotSwitchClientDecoderOrUnsupportedConnect() {
        MqttDecoder decoder = new MqttDecoder(LIMIT);
        Connect c = (Connect) decodeOne(decoder, bytes(0x10, 0x07, 0x00, 0x04, 'M', 'Q', 'T', 'X', 0x05));
        assertEquals(5, c.protocolLevel());
        assertTrue(!c.isSupportedProtocol() && !c.isMqtt5());
        assertEquals(4, decoder.protocolLevel());
        assertEquals(5, MqttDecoder.forClient(LIMIT, 5).protocolLevel());
        assertThrows(IllegalArgumentException.class, () -> MqttDecoder.forClient(LIMIT, 3));
    }

    @Test
    void shouldAcceptDisconnectFromServerOnlyAtLevel5() {
        byte[] raw = bytes(0xE0, 0x01, 0x8B); // DISCONNECT, Server shutting down
        assertEquals(new Disconnect(ReasonCode.SERVER_SHUTTING_DOWN, PacketProperties.NONE),
                decodeOne(MqttDecoder.forClient(LIMIT, 5), raw));
        assertEquals(DecodeError.UNEXPECTED_PACKET_TYPE, failureOf(MqttDecoder.forClient(LIMIT), raw).error());
    }

    @Test
    void shouldRejectReplicationPacketsOnClientPortAtBothLevels() {
        for (int first : new int[] {0xFA, 0xFB, 0xFC}) {
            byte[] raw = bytes(first, 0x00);
            assertEquals(DecodeError.RESERVED_PACKET_TYPE, failureOf(new MqttDecoder(LIMIT), raw).error());
            assertEquals(DecodeError.INVALID_FIXED_HEADER_FLAGS, failureOf(CodecTestSupport.server5(), raw).error());
            assertEquals(DecodeError.INVALID_FIXED_HEADER_FLAGS, failureOf(CodecTestSupport.client5(), raw).error());
        }
    }

    @Test
    void shouldLeaveMqtt5FieldsOutAtLevel4() {
        assertArrayEquals(bytes(0x40, 0x02, 0x00, 0x07),
                encoded(new PubAck(7, ReasonCode.NOT_AUTHORIZED, PacketProperties.builder().reasonString("no").build())));
        assertArrayEquals(bytes(0xE0, 0x00), encoded(new Disconnect(ReasonCode.SERVER_BUSY, PacketProperties.NONE)));
        assertArrayEquals(bytes(0x90, 0x04, 0x00, 0x01, 0x01, 0x80), encoded(SubAck.v5(1,
                List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.QUOTA_EXCEEDED), PacketProperties.NONE)));
        assertArrayEquals(bytes(0x20, 0x02, 0x00, 0x03), encoded(ConnAck.v5(false, ReasonCode.SERVER_BUSY, PacketProperties.NONE)));
        assertThrows(IllegalArgumentException.class, () -> encoded(new Auth(ReasonCode.SUCCESS, PacketProperties.NONE)));
        assertThrows(IllegalArgumentException.class, () -> encoded5(new UnsubAck(1)));
    }

    @Test
    void shouldReadMqtt311ConnAckAsMqtt5ReasonAndBack() {
        assertArrayEquals(bytes(0x20, 0x03, 0x00, 0x85, 0x00),
                encoded5(new ConnAck(false, ConnectReturnCode.IDENTIFIER_REJECTED)));
        assertEquals(ConnectReturnCode.BAD_USERNAME_OR_PASSWORD,
                ConnAck.v5(false, ReasonCode.BAD_AUTHENTICATION_METHOD, PacketProperties.NONE).returnCode());
    }

    @Test
    void shouldEncodeAcknowledgementsInShortestForm() {
        assertArrayEquals(bytes(0x40, 0x02, 0x00, 0x07), encoded5(new PubAck(7)));
        assertArrayEquals(bytes(0x50, 0x03, 0x00, 0x08, 0x97), encoded5(new PubRec(8, ReasonCode.QUOTA_EXCEEDED, PacketProperties.NONE)));
        assertArrayEquals(bytes(0xE0, 0x00), encoded5(Disconnect.INSTANCE));
        assertArrayEquals(bytes(0xF0, 0x00), encoded5(new Auth(0, PacketProperties.NONE)));
        assertSame(Disconnect.INSTANCE, decodeOne(CodecTestSupport.server5(), bytes(0xE0, 0x00)));
    }

    @Test
    void shouldLookUpReasonCodesByPacket() {
        assertEquals(ReasonCode.SUCCESS, ReasonCode.of(0x00, PacketType.PUBACK));
        assertEquals(ReasonCode.NORMAL_DISCONNECTION, ReasonCode.of(0x00, PacketType.DISCONNECT));
        assertEquals(ReasonCode.GRANTED_QOS_0, ReasonCode.of(0x00, PacketType.SUBACK));
        assertNull(ReasonCode.of(0x00, PacketType.SUBSCRIBE));
        assertNull(ReasonCode.of(0x92, PacketType.PUBACK));
        assertEquals(ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, ReasonCode.of(0x92, PacketType.PUBCOMP));
        assertNull(ReasonCode.of(0x04, PacketType.CONNACK));
        assertNull(ReasonCode.of(0x300, PacketType.DISCONNECT));
        assertEquals(Set.of(0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2), validValues(PacketType.SUBACK));
        assertEquals(Set.of(0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99), validValues(PacketType.PUBACK));
        assertEquals(Set.of(0x00, 0x92), validValues(PacketType.PUBREL));
        assertEquals(Set.of(0x00, 0x18, 0x19), validValues(PacketType.AUTH));
        assertEquals(Set.of(), validValues(PacketType.PINGREQ));
    }

    private static Set<Integer> validValues(PacketType type) {
        Set<Integer> values = new java.util.HashSet<>();
        for (int v = 0; v < 256; v++) {
            if (ReasonCode.of(v, type) != null) {
                values.add(v);
            }
        }
        return values;
    }

    @Test
    void shouldDescribeAllPropertyIdentifiers() {
        assertEquals(27, PropertyId.values().length);
        assertEquals(PropertyId.TOPIC_ALIAS, PropertyId.ofId(0x23));
        assertNull(PropertyId.ofId(0x04));
        assertNull(PropertyId.ofId(0x2B));
        assertTrue(PropertyId.WILL_DELAY_INTERVAL.allowedInWill());
        assertTrue(!PropertyId.WILL_DELAY_INTERVAL.allowedOn(PacketType.PUBLISH));
        assertTrue(PropertyId.USER_PROPERTY.allowedOn(PacketType.AUTH) && PropertyId.USER_PROPERTY.allowedInWill());
        assertTrue(!PropertyId.USER_PROPERTY.allowedOn(PacketType.PINGREQ));
        assertEquals(PropertyId.Type.VARIABLE_BYTE_INTEGER, PropertyId.SUBSCRIPTION_IDENTIFIER.type());
    }

    @ParameterizedTest
    @EnumSource(DecodeError.class)
    void shouldMapEveryDecodeErrorToDisconnectReason(DecodeError error) {
        assertTrue(error.disconnectReason().isValidOn(PacketType.DISCONNECT), () -> error + " -> " + error.disconnectReason());
        assertTrue(error.disconnectReason().isError());
    }

    @Test
    void shouldRejectInvalidMqtt5Records() {
        assertThrows(IllegalArgumentException.class, () -> new PubAck(1, 0x92, PacketProperties.NONE));
        assertThrows(IllegalArgumentException.class, () -> new PubAck(1, 0, PacketProperties.builder().sessionExpiryInterval(1).build()));
        assertThrows(IllegalArgumentException.class, () -> ConnAck.v5(true, ReasonCode.BANNED, PacketProperties.NONE));
        assertThrows(IllegalArgumentException.class, () -> new Publish(false, Qos.AT_MOST_ONCE, false, "", 0, new byte[0],
                io.gomq.core.message.MessageProperties.NONE, 0, null));
        assertThrows(IllegalArgumentException.class, () -> new Subscribe.Subscription("a", Qos.AT_MOST_ONCE, false, false, 3));
        assertThrows(IllegalArgumentException.class, () -> PacketProperties.builder().receiveMaximum(0));
        assertThrows(IllegalArgumentException.class, () -> PacketProperties.builder().subscriptionIdentifier(268_435_456));
        assertThrows(IllegalArgumentException.class, () -> new Connect("MQTT", 4, true, 0, "c", null, null, null,
                PacketProperties.builder().receiveMaximum(1).build()));
        assertThrows(IllegalArgumentException.class, () -> MqttEncoder.encode(PingReq.INSTANCE, 3));
    }
}
