package io.gomq.core.spec;

import io.gomq.core.codec.CodecTestSupport;
import io.gomq.core.codec.DecodeError;
import io.gomq.core.codec.DecodeResult;
import io.gomq.core.codec.MqttDecoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.util.stream.Stream;

import static io.gomq.core.codec.DecodeError.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * MQTT 3.1.1 violations after which the broker must close the connection: each row is a raw
 * packet and the exact {@link DecodeError} it must produce. Rows start from a valid packet and
 * break one thing (the corrupted byte is named in the row).
 */
class MalformedPacketSpecTest {
    private static final int M = 'M', Q = 'Q', T = 'T', A = 'a', B = 'b', SLASH = '/';

    /** A packet with a one-byte remaining length computed from the body. */
    static byte[] packet(int firstByte, int... body) {
        int[] all = new int[body.length + 2];
        all[0] = firstByte;
        all[1] = body.length;
        System.arraycopy(body, 0, all, 2, body.length);
        return CodecTestSupport.bytes(all);
    }

    /** CONNECT "MQTT" level 4, keep-alive 60, with {@code flags} and then {@code payload}. */
    static byte[] connect(int flags, int... payload) {
        int[] body = new int[10 + payload.length];
        int[] header = {0x00, 0x04, M, Q, T, T, 0x04, flags, 0x00, 0x3C};
        System.arraycopy(header, 0, body, 0, 10);
        System.arraycopy(payload, 0, body, 10, payload.length);
        return packet(0x10, body);
    }

    static Stream<Arguments> fromClient() {
        return Stream.of(
                // fixed header
                arguments("packet type 0", packet(0x00), RESERVED_PACKET_TYPE),
                arguments("packet type 15 (GoMQ SYNCREQ 250 on the client port)", packet(0xFA), RESERVED_PACKET_TYPE),
                arguments("CONNACK sent by a client", packet(0x20, 0x00, 0x00), UNEXPECTED_PACKET_TYPE),
                arguments("SUBACK sent by a client", packet(0x90, 0x00, 0x01, 0x00), UNEXPECTED_PACKET_TYPE),
                arguments("UNSUBACK sent by a client", packet(0xB0, 0x00, 0x01), UNEXPECTED_PACKET_TYPE),
                arguments("PINGRESP sent by a client", packet(0xD0), UNEXPECTED_PACKET_TYPE),
                arguments("CONNECT flags 0b0001", packet(0x11), INVALID_FIXED_HEADER_FLAGS),
                arguments("PUBACK flags 0b0010", packet(0x42, 0x00, 0x01), INVALID_FIXED_HEADER_FLAGS),
                arguments("PUBREL flags 0b0000", packet(0x60, 0x00, 0x01), INVALID_FIXED_HEADER_FLAGS),
                arguments("PUBREL flags 0b0011", packet(0x63, 0x00, 0x01), INVALID_FIXED_HEADER_FLAGS),
                arguments("SUBSCRIBE flags 0b0000", packet(0x80, 0x00, 0x01, 0x00, 0x01, A, 0x00), INVALID_FIXED_HEADER_FLAGS),
                arguments("UNSUBSCRIBE flags 0b0000", packet(0xA0, 0x00, 0x01, 0x00, 0x01, A), INVALID_FIXED_HEADER_FLAGS),
                arguments("PINGREQ flags 0b0001", packet(0xC1), INVALID_FIXED_HEADER_FLAGS),
                arguments("DISCONNECT flags 0b1111", packet(0xEF), INVALID_FIXED_HEADER_FLAGS),
                arguments("PUBLISH QoS 3", packet(0x36, 0x00, 0x01, A, 0x00, 0x01), INVALID_QOS),
                arguments("PUBLISH DUP with QoS 0", packet(0x38, 0x00, 0x01, A), INVALID_DUP_FLAG),
                arguments("remaining length of 5 bytes", CodecTestSupport.bytes(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01), MALFORMED_REMAINING_LENGTH),
                // PUBLISH
                arguments("PUBLISH topic with +", packet(0x30, 0x00, 0x03, A, SLASH, '+'), INVALID_TOPIC_NAME),
                arguments("PUBLISH topic with #", packet(0x30, 0x00, 0x01, '#'), INVALID_TOPIC_NAME),
                arguments("PUBLISH empty topic", packet(0x30, 0x00, 0x00, 0x41), INVALID_TOPIC_NAME),
                arguments("PUBLISH topic with U+0000", packet(0x30, 0x00, 0x02, A, 0x00), MALFORMED_UTF8),
                arguments("PUBLISH topic overlong UTF-8", packet(0x30, 0x00, 0x02, 0xC0, 0xAF), MALFORMED_UTF8),
                arguments("PUBLISH topic encoded surrogate", packet(0x30, 0x00, 0x03, 0xED, 0xA0, 0x80), MALFORMED_UTF8),
                arguments("PUBLISH topic length past the end", packet(0x30, 0x00, 0x05, A), TRUNCATED_FIELD),
                arguments("PUBLISH topic length cut", packet(0x30, 0x00), TRUNCATED_FIELD),
                arguments("PUBLISH QoS 1 without packet id", packet(0x32, 0x00, 0x01, A, 0x00), TRUNCATED_FIELD),
                arguments("PUBLISH QoS 1 packet id 0", packet(0x32, 0x00, 0x01, A, 0x00, 0x00), ZERO_PACKET_ID),
                arguments("PUBLISH QoS 2 packet id 0", packet(0x34, 0x00, 0x01, A, 0x00, 0x00, 0x58), ZERO_PACKET_ID),
                // acknowledgements and empty packets
                arguments("PUBACK packet id 0", packet(0x40, 0x00, 0x00), ZERO_PACKET_ID),
                arguments("PUBREC remaining length 1", packet(0x50, 0x01), TRUNCATED_FIELD),
                arguments("PUBREL packet id 0", packet(0x62, 0x00, 0x00), ZERO_PACKET_ID),
                arguments("PUBCOMP remaining length 3", packet(0x70, 0x00, 0x01, 0x00), TRAILING_BYTES),
                arguments("PINGREQ with a body byte", packet(0xC0, 0x00), TRAILING_BYTES),
                arguments("DISCONNECT with a body byte", packet(0xE0, 0x00), TRAILING_BYTES),
                // SUBSCRIBE / UNSUBSCRIBE
                arguments("SUBSCRIBE without filters", packet(0x82, 0x00, 0x01), EMPTY_TOPIC_LIST),
                arguments("SUBSCRIBE packet id 0", packet(0x82, 0x00, 0x00, 0x00, 0x01, A, 0x00), ZERO_PACKET_ID),
                arguments("SUBSCRIBE requested QoS 3", packet(0x82, 0x00, 0x01, 0x00, 0x01, A, 0x03), INVALID_QOS),
                arguments("SUBSCRIBE reserved QoS bit 2", packet(0x82, 0x00, 0x01, 0x00, 0x01, A, 0x05), RESERVED_BITS_SET),
                arguments("SUBSCRIBE reserved QoS bit 7", packet(0x82, 0x00, 0x01, 0x00, 0x01, A, 0x80), RESERVED_BITS_SET),
                arguments("SUBSCRIBE missing requested QoS", packet(0x82, 0x00, 0x01, 0x00, 0x01, A), TRUNCATED_FIELD),
                arguments("SUBSCRIBE second filter cut", packet(0x82, 0x00, 0x01, 0x00, 0x01, A, 0x00, 0x00), TRUNCATED_FIELD),
                arguments("SUBSCRIBE filter bad UTF-8", packet(0x82, 0x00, 0x01, 0x00, 0x01, 0xFF, 0x00), MALFORMED_UTF8),
                arguments("UNSUBSCRIBE without filters", packet(0xA2, 0x00, 0x01), EMPTY_TOPIC_LIST),
                arguments("UNSUBSCRIBE packet id 0", packet(0xA2, 0x00, 0x00, 0x00, 0x01, A), ZERO_PACKET_ID),
                arguments("UNSUBSCRIBE filter cut", packet(0xA2, 0x00, 0x01, 0x00, 0x03, A), TRUNCATED_FIELD),
                arguments("UNSUBSCRIBE filter with U+0000", packet(0xA2, 0x00, 0x01, 0x00, 0x01, 0x00), MALFORMED_UTF8),
                // CONNECT
                arguments("CONNECT reserved flag bit 0", connect(0x03, 0x00, 0x01, A), RESERVED_BITS_SET),
                arguments("CONNECT will QoS 1 without will flag", connect(0x0A, 0x00, 0x01, A), INVALID_WILL_FLAGS),
                arguments("CONNECT will retain without will flag", connect(0x22, 0x00, 0x01, A), INVALID_WILL_FLAGS),
                arguments("CONNECT will QoS 3", connect(0x1E, 0x00, 0x01, A, 0x00, 0x01, B, 0x00, 0x00), INVALID_QOS),
                arguments("CONNECT password without username", connect(0x42, 0x00, 0x01, A, 0x00, 0x00), PASSWORD_WITHOUT_USERNAME),
                arguments("CONNECT will topic with #", connect(0x06, 0x00, 0x01, A, 0x00, 0x01, '#', 0x00, 0x00), INVALID_TOPIC_NAME),
                arguments("CONNECT will message cut", connect(0x06, 0x00, 0x01, A, 0x00, 0x01, B, 0x00, 0x05, A), TRUNCATED_FIELD),
                arguments("CONNECT client id bad UTF-8", connect(0x02, 0x00, 0x02, 0xE2, 0x82), MALFORMED_UTF8),
                arguments("CONNECT without client id", connect(0x02), TRUNCATED_FIELD),
                arguments("CONNECT username flag, no username", connect(0x82, 0x00, 0x01, A), TRUNCATED_FIELD),
                arguments("CONNECT trailing byte", connect(0x02, 0x00, 0x01, A, 0x00), TRAILING_BYTES),
                arguments("CONNECT without keep-alive", packet(0x10, 0x00, 0x04, M, Q, T, T, 0x04, 0x02, 0x00), TRUNCATED_FIELD),
                arguments("CONNECT protocol name cut", packet(0x10, 0x00, 0x04, M, Q), TRUNCATED_FIELD),
                arguments("CONNECT protocol name bad UTF-8", packet(0x10, 0x00, 0x02, 0xC3, 0x28, 0x04), MALFORMED_UTF8));
    }

    static Stream<Arguments> fromServer() {
        return Stream.of(
                arguments("CONNECT sent by a server", connect(0x02, 0x00, 0x01, A), UNEXPECTED_PACKET_TYPE),
                arguments("PINGREQ sent by a server", packet(0xC0), UNEXPECTED_PACKET_TYPE),
                arguments("CONNACK flags 0b0001", packet(0x21, 0x00, 0x00), INVALID_FIXED_HEADER_FLAGS),
                arguments("CONNACK return code 6", packet(0x20, 0x00, 0x06), INVALID_RETURN_CODE),
                arguments("CONNACK reserved acknowledge flag", packet(0x20, 0x02, 0x00), RESERVED_BITS_SET),
                arguments("CONNACK session present with refusal", packet(0x20, 0x01, 0x05), INVALID_RETURN_CODE),
                arguments("CONNACK remaining length 3", packet(0x20, 0x00, 0x00, 0x00), TRAILING_BYTES),
                arguments("SUBACK return code 3", packet(0x90, 0x00, 0x01, 0x03), INVALID_RETURN_CODE),
                arguments("SUBACK without return codes", packet(0x90, 0x00, 0x01), EMPTY_TOPIC_LIST),
                arguments("UNSUBACK packet id 0", packet(0xB0, 0x00, 0x00), ZERO_PACKET_ID),
                arguments("PINGRESP with a body byte", packet(0xD0, 0x00), TRAILING_BYTES));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fromClient")
    void shouldCloseConnectionOnMalformedPacketFromClient(String description, byte[] raw, DecodeError expected) {
        assertFails(new MqttDecoder(CodecTestSupport.LIMIT), raw, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fromServer")
    void shouldCloseConnectionOnMalformedPacketFromServer(String description, byte[] raw, DecodeError expected) {
        assertFails(MqttDecoder.forClient(CodecTestSupport.LIMIT), raw, expected);
    }

    private static void assertFails(MqttDecoder decoder, byte[] raw, DecodeError expected) {
        DecodeResult r = decoder.decode(ByteBuffer.wrap(raw));
        assertEquals(expected, r.error(), () -> "got " + r);
        assertTrue(decoder.isBad());
        assertEquals(r, decoder.decode(ByteBuffer.wrap(CodecTestSupport.bytes(0xC0, 0x00))), "BAD is terminal");
    }
}
