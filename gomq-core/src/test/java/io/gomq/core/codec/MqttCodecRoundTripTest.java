package io.gomq.core.codec;

import io.gomq.core.message.Qos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static io.gomq.core.codec.CodecTestSupport.decodeOne;
import static io.gomq.core.codec.CodecTestSupport.decoderFor;
import static io.gomq.core.codec.CodecTestSupport.encoded;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MqttCodecRoundTripTest {

    static List<MqttPacket> samplePackets() {
        return CodecTestSupport.samplePackets();
    }

    @ParameterizedTest
    @MethodSource("samplePackets")
    void shouldDecodeWhatItEncodes(MqttPacket packet) {
        byte[] raw = encoded(packet);
        assertEquals(MqttEncoder.encodedSize(packet), raw.length);
        assertEquals(packet, decodeOne(decoderFor(packet), raw));
    }

    @ParameterizedTest
    @MethodSource("samplePackets")
    void shouldEncodeAtPositionOfLargerBuffer(MqttPacket packet) {
        ByteBuffer out = ByteBuffer.allocateDirect(MqttEncoder.encodedSize(packet) + 10);
        out.position(3);
        MqttEncoder.encode(out, packet);
        assertEquals(3 + MqttEncoder.encodedSize(packet), out.position());
        out.flip().position(3);
        assertArrayEquals(encoded(packet), CodecTestSupport.toArray(out));
    }

    @Test
    void shouldCoverEveryPacketTypeOfMqtt311() {
        Set<PacketType> seen = EnumSet.noneOf(PacketType.class);
        samplePackets().forEach(p -> seen.add(p.type()));
        assertEquals(EnumSet.complementOf(EnumSet.of(PacketType.AUTH)), seen); // AUTH is MQTT 5 only
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152})
    void shouldRoundTripRemainingLengthAtVarintBoundaries(int remainingLength) {
        int payload = Math.max(0, remainingLength - 3); // topic "t": 2 + 1 bytes
        Publish p = new Publish(false, Qos.AT_MOST_ONCE, false, "t", 0, new byte[payload]);
        byte[] raw = encoded(p);
        int varint = raw.length - 1 - (3 + payload);
        int expected = remainingLength < 128 ? 1 : remainingLength < 16_384 ? 2 : remainingLength < 2_097_152 ? 3 : 4;
        assertEquals(expected, varint);
        assertEquals(p, decodeOne(new MqttDecoder(4 << 20), raw));
    }

    @Test
    void shouldThrowBeforeWritingWhenBufferTooSmall() {
        Publish p = Publish.qos0("a/b", "hello", false);
        ByteBuffer out = ByteBuffer.allocate(MqttEncoder.encodedSize(p) - 1);
        assertThrows(BufferOverflowException.class, () -> MqttEncoder.encode(out, p));
        assertEquals(0, out.position());
    }

    @Test
    void shouldEncodeAckWithoutRecordLikeRecord() {
        ByteBuffer out = ByteBuffer.allocate(4);
        MqttEncoder.encodeAck(out, PacketType.PUBREL, 513);
        assertArrayEquals(encoded(new PubRel(513)), out.array());
        assertThrows(IllegalArgumentException.class, () -> MqttEncoder.encodeAck(ByteBuffer.allocate(4), PacketType.SUBACK, 1));
        assertThrows(IllegalArgumentException.class, () -> MqttEncoder.encodeAck(ByteBuffer.allocate(4), PacketType.PUBACK, 0));
    }

    @Test
    void shouldRefuseToEncodeStringsMqttCannotCarry() {
        String tooLong = "a".repeat(65_536);
        assertThrows(IllegalArgumentException.class, () -> MqttEncoder.encode(Publish.qos0(tooLong, "", false)));
        assertThrows(IllegalArgumentException.class, () -> MqttEncoder.encode(Connect.of("lone\uD800", true, 0)));
        assertThrows(IllegalArgumentException.class, () -> MqttEncoder.encode(Connect.of("nul\u0000", true, 0)));
    }

    @Test
    void shouldReturnSingletonsForEmptyPackets() {
        assertSame(PingReq.INSTANCE, decodeOne(CodecTestSupport.bytes(0xC0, 0x00)));
        assertSame(Disconnect.INSTANCE, decodeOne(CodecTestSupport.bytes(0xE0, 0x00)));
    }

    @Test
    void shouldRejectInvalidRecords() {
        assertThrows(IllegalArgumentException.class, () -> new PubAck(0));
        assertThrows(IllegalArgumentException.class, () -> new PubAck(65_536));
        assertThrows(IllegalArgumentException.class, () -> new Publish(false, Qos.AT_MOST_ONCE, false, "t", 1, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new Publish(true, Qos.AT_MOST_ONCE, false, "t", 0, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> new Subscribe(1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new ConnAck(true, ConnectReturnCode.NOT_AUTHORIZED));
        assertThrows(IllegalArgumentException.class,
                () -> new Connect("MQTT", 4, true, 0, "c", null, null, new byte[1]));
    }
}
