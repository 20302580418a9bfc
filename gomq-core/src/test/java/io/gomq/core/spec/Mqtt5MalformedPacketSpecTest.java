package io.gomq.core.spec;

import io.gomq.core.codec.CodecTestSupport;
import io.gomq.core.codec.DecodeError;
import io.gomq.core.codec.DecodeResult;
import io.gomq.core.codec.MqttDecoder;
import io.gomq.core.codec.PacketType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.stream.Stream;

import static io.gomq.core.codec.DecodeError.*;
import static io.gomq.core.spec.MalformedPacketSpecTest.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * MQTT 5.0 violations after which the broker sends DISCONNECT with a reason code and closes:
 * each row is a raw packet, the exact {@link DecodeError} and the DISCONNECT reason code
 * (0x81 Malformed Packet, 0x82 Protocol Error, 0x90 Topic Name invalid, 0x94 Topic Alias
 * invalid, 0x95 Packet too large). Rows start from a valid packet and break one thing.
 */
class Mqtt5MalformedPacketSpecTest {
    private static final int A = 'a', W = 'w', X = 'x';

    /** MQTT 5 CONNECT "MQTT" level 5, keep-alive 60, with {@code flags} and then {@code rest} (properties first). */
    static byte[] connect5(int flags, int... rest) {
        int[] body = new int[10 + rest.length];
        int[] header = {0x00, 0x04, 'M', 'Q', 'T', 'T', 0x05, flags, 0x00, 0x3C};
        System.arraycopy(header, 0, body, 0, 10);
        System.arraycopy(rest, 0, body, 10, rest.length);
        return packet(0x10, body);
    }

    static Stream<Arguments> fromClient() {
        return Stream.of(
                // fixed header
                arguments("AUTH flags 0b1010 (GoMQ SYNCREQ 250 on the client port)", packet(0xFA), INVALID_FIXED_HEADER_FLAGS, 0x81),
                arguments("CONNACK sent by a client", packet(0x20, 0x00, 0x00, 0x00), UNEXPECTED_PACKET_TYPE, 0x82),
                arguments("PUBREL flags 0b0000", packet(0x60, 0x00, 0x01), INVALID_FIXED_HEADER_FLAGS, 0x81),
                arguments("PINGREQ with a body byte", packet(0xC0, 0x00), TRAILING_BYTES, 0x81),
                // PUBLISH properties
                arguments("PUBLISH property length of 5 bytes", packet(0x30, 0x00, 0x01, A, 0x80, 0x80, 0x80, 0x80, 0x01),
                        MALFORMED_VARIABLE_BYTE_INTEGER, 0x81),
                arguments("PUBLISH property identifier of 5 bytes", packet(0x30, 0x00, 0x01, A, 0x05, 0x80, 0x80, 0x80, 0x80, 0x01),
                        MALFORMED_VARIABLE_BYTE_INTEGER, 0x81),
                arguments("PUBLISH property length 0 as 0x80 0x00 (not shortest)", packet(0x30, 0x00, 0x01, A, 0x80, 0x00),
                        MALFORMED_VARIABLE_BYTE_INTEGER, 0x81),
                arguments("PINGREQ remaining length 0 as 0x80 0x00 (not shortest)", CodecTestSupport.bytes(0xC0, 0x80, 0x00),
                        MALFORMED_REMAINING_LENGTH, 0x81),
                arguments("PUBLISH property length past the packet", packet(0x30, 0x00, 0x01, A, 0x05, 0x01), PROPERTY_LENGTH_OVERRUN, 0x81),
                arguments("PUBLISH topic alias past its property block", packet(0x30, 0x00, 0x01, A, 0x02, 0x23, 0x00, 0x07),
                        PROPERTY_LENGTH_OVERRUN, 0x81),
                arguments("PUBLISH without property length", packet(0x32, 0x00, 0x01, A, 0x00, 0x01), TRUNCATED_FIELD, 0x81),
                arguments("PUBLISH unknown property 0x04", packet(0x30, 0x00, 0x01, A, 0x02, 0x04, 0x00), PROPERTY_NOT_ALLOWED, 0x81),
                arguments("PUBLISH session expiry (a CONNECT property)", packet(0x30, 0x00, 0x01, A, 0x05, 0x11, 0, 0, 0, 1),
                        PROPERTY_NOT_ALLOWED, 0x81),
                arguments("PUBLISH subscription identifier from a client", packet(0x30, 0x00, 0x01, A, 0x02, 0x0B, 0x01),
                        PROPERTY_NOT_ALLOWED, 0x81),
                arguments("PUBLISH content type twice", packet(0x30, 0x00, 0x01, A, 0x08, 0x03, 0x00, 0x01, X, 0x03, 0x00, 0x01, X),
                        DUPLICATE_PROPERTY, 0x82),
                arguments("PUBLISH topic alias twice", packet(0x30, 0x00, 0x01, A, 0x06, 0x23, 0x00, 0x01, 0x23, 0x00, 0x02),
                        DUPLICATE_PROPERTY, 0x82),
                arguments("PUBLISH payload format indicator 2", packet(0x30, 0x00, 0x01, A, 0x02, 0x01, 0x02), INVALID_PROPERTY_VALUE, 0x82),
                arguments("PUBLISH response topic with #", packet(0x30, 0x00, 0x01, A, 0x04, 0x08, 0x00, 0x01, '#'),
                        INVALID_PROPERTY_VALUE, 0x82),
                arguments("PUBLISH topic alias 0", packet(0x30, 0x00, 0x01, A, 0x03, 0x23, 0x00, 0x00), TOPIC_ALIAS_INVALID, 0x94),
                arguments("PUBLISH empty topic without alias", packet(0x30, 0x00, 0x00, 0x00), EMPTY_TOPIC_WITHOUT_ALIAS, 0x82),
                arguments("PUBLISH topic with +", packet(0x30, 0x00, 0x01, '+', 0x00), INVALID_TOPIC_NAME, 0x90),
                arguments("PUBLISH content type bad UTF-8", packet(0x30, 0x00, 0x01, A, 0x04, 0x03, 0x00, 0x01, 0xFF), MALFORMED_UTF8, 0x81),
                arguments("PUBLISH user property value cut", packet(0x30, 0x00, 0x01, A, 0x06, 0x26, 0x00, 0x01, X, 0x00, 0x01),
                        PROPERTY_LENGTH_OVERRUN, 0x81),
                arguments("PUBLISH QoS 1 packet id 0", packet(0x32, 0x00, 0x01, A, 0x00, 0x00, 0x00), ZERO_PACKET_ID, 0x82),
                // acknowledgements
                arguments("PUBACK reason 0x92 (PUBREL/PUBCOMP only)", packet(0x40, 0x00, 0x01, 0x92), INVALID_REASON_CODE, 0x81),
                arguments("PUBCOMP reason 0x10 (PUBACK/PUBREC only)", packet(0x70, 0x00, 0x01, 0x10), INVALID_REASON_CODE, 0x81),
                arguments("PUBACK reason string twice", packet(0x40, 0x00, 0x01, 0x00, 0x08, 0x1F, 0x00, 0x01, A, 0x1F, 0x00, 0x01, A),
                        DUPLICATE_PROPERTY, 0x82),
                arguments("PUBACK session expiry", packet(0x40, 0x00, 0x01, 0x00, 0x05, 0x11, 0, 0, 0, 0), PROPERTY_NOT_ALLOWED, 0x81),
                arguments("PUBREC property length past the packet", packet(0x50, 0x00, 0x01, 0x00, 0x04, 0x1F), PROPERTY_LENGTH_OVERRUN, 0x81),
                arguments("PUBCOMP trailing byte after properties", packet(0x70, 0x00, 0x01, 0x00, 0x00, 0x00), TRAILING_BYTES, 0x81),
                arguments("PUBACK remaining length 1", packet(0x40, 0x00), TRUNCATED_FIELD, 0x81),
                // SUBSCRIBE / UNSUBSCRIBE
                arguments("SUBSCRIBE subscription identifier 0", packet(0x82, 0x00, 0x01, 0x02, 0x0B, 0x00, 0x00, 0x01, A, 0x00),
                        INVALID_PROPERTY_VALUE, 0x82),
                arguments("SUBSCRIBE two subscription identifiers", packet(0x82, 0x00, 0x01, 0x04, 0x0B, 0x01, 0x0B, 0x02, 0x00, 0x01, A, 0x00),
                        DUPLICATE_PROPERTY, 0x82),
                arguments("SUBSCRIBE subscription identifier of 5 bytes",
                        packet(0x82, 0x00, 0x01, 0x06, 0x0B, 0x80, 0x80, 0x80, 0x80, 0x01, 0x00, 0x01, A, 0x00),
                        MALFORMED_VARIABLE_BYTE_INTEGER, 0x81),
                arguments("SUBSCRIBE subscription identifier 1 as 0x81 0x00 (not shortest)",
                        packet(0x82, 0x00, 0x01, 0x03, 0x0B, 0x81, 0x00, 0x00, 0x01, A, 0x00), MALFORMED_VARIABLE_BYTE_INTEGER, 0x81),
                arguments("SUBSCRIBE retain handling 3", packet(0x82, 0x00, 0x01, 0x00, 0x00, 0x01, A, 0x30), INVALID_RETAIN_HANDLING, 0x82),
                arguments("SUBSCRIBE reserved option bit 6", packet(0x82, 0x00, 0x01, 0x00, 0x00, 0x01, A, 0x40), RESERVED_BITS_SET, 0x81),
                arguments("SUBSCRIBE maximum QoS 3", packet(0x82, 0x00, 0x01, 0x00, 0x00, 0x01, A, 0x03), INVALID_QOS, 0x81),
                arguments("SUBSCRIBE without filters", packet(0x82, 0x00, 0x01, 0x00), EMPTY_TOPIC_LIST, 0x82),
                arguments("SUBSCRIBE without property length", packet(0x82, 0x00, 0x01), TRUNCATED_FIELD, 0x81),
                arguments("UNSUBSCRIBE reason string", packet(0xA2, 0x00, 0x01, 0x04, 0x1F, 0x00, 0x01, X, 0x00, 0x01, A),
                        PROPERTY_NOT_ALLOWED, 0x81),
                arguments("UNSUBSCRIBE without filters", packet(0xA2, 0x00, 0x01, 0x00), EMPTY_TOPIC_LIST, 0x82),
                // DISCONNECT / AUTH
                arguments("DISCONNECT reason 0x84 (CONNACK only)", packet(0xE0, 0x84), INVALID_REASON_CODE, 0x81),
                arguments("DISCONNECT authentication method", packet(0xE0, 0x00, 0x04, 0x15, 0x00, 0x01, X), PROPERTY_NOT_ALLOWED, 0x81),
                arguments("DISCONNECT properties past the packet", packet(0xE0, 0x00, 0x03, 0x11, 0x00), PROPERTY_LENGTH_OVERRUN, 0x81),
                arguments("AUTH reason 0x01", packet(0xF0, 0x01), INVALID_REASON_CODE, 0x81),
                arguments("AUTH data without method", packet(0xF0, 0x18, 0x04, 0x16, 0x00, 0x01, 0x01),
                        AUTHENTICATION_DATA_WITHOUT_METHOD, 0x82));
    }

    /** CONNECTs reach a fresh server decoder, still at level 4: the CONNECT itself says 5. */
    static Stream<Arguments> connects() {
        return Stream.of(
                arguments("CONNECT receive maximum 0", connect5(0x02, 0x03, 0x21, 0x00, 0x00, 0x00, 0x01, A), INVALID_PROPERTY_VALUE, 0x82),
                arguments("CONNECT maximum packet size 0", connect5(0x02, 0x05, 0x27, 0, 0, 0, 0, 0x00, 0x01, A), INVALID_PROPERTY_VALUE, 0x82),
                arguments("CONNECT request response information 2", connect5(0x02, 0x02, 0x19, 0x02, 0x00, 0x01, A),
                        INVALID_PROPERTY_VALUE, 0x82),
                arguments("CONNECT request problem information 2", connect5(0x02, 0x02, 0x17, 0x02, 0x00, 0x01, A),
                        INVALID_PROPERTY_VALUE, 0x82),
                arguments("CONNECT topic alias", connect5(0x02, 0x03, 0x23, 0x00, 0x01, 0x00, 0x01, A), PROPERTY_NOT_ALLOWED, 0x81),
                arguments("CONNECT will delay outside the will", connect5(0x02, 0x05, 0x18, 0, 0, 0, 1, 0x00, 0x01, A),
                        PROPERTY_NOT_ALLOWED, 0x81),
                arguments("CONNECT authentication data without method", connect5(0x02, 0x04, 0x16, 0x00, 0x01, 0x09, 0x00, 0x01, A),
                        AUTHENTICATION_DATA_WITHOUT_METHOD, 0x82),
                arguments("CONNECT session expiry twice", connect5(0x02, 0x0A, 0x11, 0, 0, 0, 1, 0x11, 0, 0, 0, 2, 0x00, 0x01, A),
                        DUPLICATE_PROPERTY, 0x82),
                arguments("CONNECT user property name bad UTF-8", connect5(0x02, 0x06, 0x26, 0x00, 0x01, 0xC0, 0x00, 0x00, 0x00, 0x01, A),
                        MALFORMED_UTF8, 0x81),
                arguments("CONNECT will with topic alias", connect5(0x06, 0x00, 0x00, 0x01, A, 0x03, 0x23, 0x00, 0x01, 0x00, 0x01, W, 0x00, 0x00),
                        PROPERTY_NOT_ALLOWED, 0x81),
                arguments("CONNECT will payload format 2", connect5(0x06, 0x00, 0x00, 0x01, A, 0x02, 0x01, 0x02, 0x00, 0x01, W, 0x00, 0x00),
                        INVALID_PROPERTY_VALUE, 0x82),
                arguments("CONNECT will properties past the packet", connect5(0x06, 0x00, 0x00, 0x01, A, 0x09, 0x01),
                        PROPERTY_LENGTH_OVERRUN, 0x81),
                arguments("CONNECT reserved flag bit 0", connect5(0x03, 0x00, 0x00, 0x01, A), RESERVED_BITS_SET, 0x81),
                arguments("CONNECT will QoS without will flag", connect5(0x0A, 0x00, 0x00, 0x01, A), INVALID_WILL_FLAGS, 0x81),
                arguments("CONNECT without property length", connect5(0x02), TRUNCATED_FIELD, 0x81),
                arguments("CONNECT trailing byte", connect5(0x02, 0x00, 0x00, 0x01, A, 0x00), TRAILING_BYTES, 0x81));
    }

    static Stream<Arguments> fromServer() {
        return Stream.of(
                arguments("PINGREQ sent by a server", packet(0xC0), UNEXPECTED_PACKET_TYPE, 0x82),
                arguments("CONNACK reason 0x04", packet(0x20, 0x00, 0x04, 0x00), INVALID_REASON_CODE, 0x81),
                arguments("CONNACK session present with a failure", packet(0x20, 0x01, 0x80, 0x00), INVALID_REASON_CODE, 0x81),
                arguments("CONNACK without property length", packet(0x20, 0x00, 0x00), TRUNCATED_FIELD, 0x81),
                arguments("CONNACK maximum QoS 2", packet(0x20, 0x00, 0x00, 0x02, 0x24, 0x02), INVALID_PROPERTY_VALUE, 0x82),
                arguments("CONNACK retain available 2", packet(0x20, 0x00, 0x00, 0x02, 0x25, 0x02), INVALID_PROPERTY_VALUE, 0x82),
                arguments("CONNACK wildcard available 2", packet(0x20, 0x00, 0x00, 0x02, 0x28, 0x02), INVALID_PROPERTY_VALUE, 0x82),
                arguments("CONNACK subscription ids available 2", packet(0x20, 0x00, 0x00, 0x02, 0x29, 0x02), INVALID_PROPERTY_VALUE, 0x82),
                arguments("CONNACK shared available 2", packet(0x20, 0x00, 0x00, 0x02, 0x2A, 0x02), INVALID_PROPERTY_VALUE, 0x82),
                arguments("CONNACK request problem information", packet(0x20, 0x00, 0x00, 0x02, 0x17, 0x01), PROPERTY_NOT_ALLOWED, 0x81),
                arguments("CONNACK reserved flag", packet(0x20, 0x02, 0x00, 0x00), RESERVED_BITS_SET, 0x81),
                arguments("SUBACK reason 0x11 (UNSUBACK only)", packet(0x90, 0x00, 0x01, 0x00, 0x11), INVALID_REASON_CODE, 0x81),
                arguments("SUBACK without reason codes", packet(0x90, 0x00, 0x01, 0x00), EMPTY_TOPIC_LIST, 0x82),
                arguments("UNSUBACK without reason codes", packet(0xB0, 0x00, 0x01, 0x00), EMPTY_TOPIC_LIST, 0x82),
                arguments("UNSUBACK reason 0x01", packet(0xB0, 0x00, 0x01, 0x00, 0x01), INVALID_REASON_CODE, 0x81),
                arguments("PUBLISH subscription identifier 0", packet(0x30, 0x00, 0x01, A, 0x02, 0x0B, 0x00), INVALID_PROPERTY_VALUE, 0x82),
                arguments("DISCONNECT reason 0x01", packet(0xE0, 0x01), INVALID_REASON_CODE, 0x81));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fromClient")
    void shouldDisconnectOnMalformedMqtt5PacketFromClient(String description, byte[] raw, DecodeError expected, int reason) {
        assertFails(CodecTestSupport.server5(), raw, expected, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("connects")
    void shouldDisconnectOnMalformedMqtt5Connect(String description, byte[] raw, DecodeError expected, int reason) {
        assertFails(new MqttDecoder(CodecTestSupport.LIMIT), raw, expected, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fromServer")
    void shouldDisconnectOnMalformedMqtt5PacketFromServer(String description, byte[] raw, DecodeError expected, int reason) {
        assertFails(CodecTestSupport.client5(), raw, expected, reason);
    }

    @Test
    void shouldAnswerOversizePacketWithPacketTooLarge() {
        byte[] raw = CodecTestSupport.bytes(0x30, 0x80, 0x80, 0x01); // PUBLISH claiming 16,384 body bytes
        assertFails(new MqttDecoder(1024, MqttDecoder.Role.SERVER, 5), raw, PACKET_TOO_LARGE, 0x95);
    }

    private static void assertFails(MqttDecoder decoder, byte[] raw, DecodeError expected, int reason) {
        DecodeResult r = decoder.decode(ByteBuffer.wrap(raw));
        assertEquals(expected, r.error(), () -> "got " + r);
        assertEquals(reason, r.error().disconnectReason().value(), () -> expected + " -> " + expected.disconnectReason());
        assertTrue(r.error().disconnectReason().isValidOn(PacketType.DISCONNECT));
        assertTrue(decoder.isBad());
        assertEquals(r, decoder.decode(ByteBuffer.wrap(CodecTestSupport.bytes(0xC0, 0x00))), "BAD is terminal");
    }
}
