package io.gomq.core.codec;

import io.gomq.core.message.Qos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static io.gomq.core.codec.CodecTestSupport.LIMIT;
import static io.gomq.core.codec.CodecTestSupport.bytes;
import static io.gomq.core.codec.CodecTestSupport.clientPackets;
import static io.gomq.core.codec.CodecTestSupport.decodeAll;
import static io.gomq.core.codec.CodecTestSupport.encoded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MqttDecoderStreamingTest {

    private static byte[] stream() {
        ByteBuffer b = ByteBuffer.allocate(64 * 1024);
        for (MqttPacket p : clientPackets()) {
            MqttEncoder.encode(b, p);
        }
        return CodecTestSupport.toArray(b.flip());
    }

    @Test
    void aCutLengthPrefixIsNamedAsTheFieldsLength() {
        // PUBLISH, remaining length 1: one byte of the topic name's two-byte length
        DecodeResult r = new MqttDecoder(LIMIT).decode(ByteBuffer.wrap(bytes(0x30, 0x01, 0x00)));
        DecodeResult.Failure f = assertInstanceOf(DecodeResult.Failure.class, r);
        assertEquals(DecodeError.TRUNCATED_FIELD, f.error());
        assertEquals("PUBLISH topic name length needs 2 byte(s), 1 left in the packet", f.detail());
    }

    @Test
    void shouldDecodeMultiplePacketsFromOneBuffer() {
        ByteBuffer in = ByteBuffer.wrap(stream());
        assertEquals(clientPackets(), decodeAll(new MqttDecoder(LIMIT), in));
        assertEquals(0, in.remaining());
    }

    @Test
    @Timeout(10)
    void shouldDecodeSameStreamSplitAtEveryByteBoundary() {
        byte[] all = stream();
        for (int split = 0; split <= all.length; split++) {
            MqttDecoder decoder = new MqttDecoder(LIMIT);
            // A cumulation buffer like a transport's: first part, drain, append the rest, drain.
            ByteBuffer cumulation = ByteBuffer.allocate(all.length);
            cumulation.put(all, 0, split).flip();
            List<MqttPacket> got = new ArrayList<>(decodeAll(decoder, cumulation));
            cumulation.compact().put(all, split, all.length - split).flip();
            got.addAll(decodeAll(decoder, cumulation));
            assertEquals(clientPackets(), got, "split at " + split);
            assertEquals(0, cumulation.remaining());
        }
    }

    @Test
    void shouldDecodeStreamFedOneByteAtATime() {
        byte[] all = stream();
        MqttDecoder decoder = new MqttDecoder(LIMIT);
        ByteBuffer cumulation = ByteBuffer.allocate(all.length);
        List<MqttPacket> got = new ArrayList<>();
        for (byte b : all) {
            cumulation.put(b).flip();
            got.addAll(decodeAll(decoder, cumulation));
            cumulation.compact();
        }
        assertEquals(clientPackets(), got);
    }

    @Test
    void shouldConsumeNothingWhenPacketIncomplete() {
        byte[] raw = encoded(new Publish(false, Qos.AT_LEAST_ONCE, false, "a/b", 5, new byte[200]));
        for (int n = 0; n < raw.length; n++) {
            ByteBuffer in = ByteBuffer.wrap(raw, 0, n);
            assertSame(DecodeResult.NEED_MORE, new MqttDecoder(LIMIT).decode(in), "prefix " + n);
            assertEquals(0, in.position(), "prefix " + n);
        }
    }

    @Test
    void shouldDecodeFromDirectAndOffsetBuffers() {
        byte[] all = stream();
        ByteBuffer direct = ByteBuffer.allocateDirect(all.length).put(all).flip();
        assertEquals(clientPackets(), decodeAll(new MqttDecoder(LIMIT), direct));
        byte[] padded = CodecTestSupport.concat(new byte[7], all);
        ByteBuffer slice = ByteBuffer.wrap(padded).position(7).slice(); // non-zero arrayOffset
        assertEquals(clientPackets(), decodeAll(new MqttDecoder(LIMIT), slice));
    }

    @Test
    void shouldRejectOversizeRemainingLengthAfterOnlyFixedHeader() {
        // PUBLISH QoS 0 claiming 2,097,152 body bytes; only the 5 header bytes exist: the body is never needed.
        ByteBuffer header = ByteBuffer.wrap(bytes(0x30, 0x80, 0x80, 0x80, 0x01));
        DecodeResult r = new MqttDecoder(1024).decode(header);
        assertEquals(DecodeError.PACKET_TOO_LARGE, r.error());
        assertEquals(header.limit(), header.position(), "a BAD decoder discards input");
    }

    @Test
    void shouldRejectFixedSizePacketWithWrongLengthBeforeItsBody() {
        assertEquals(DecodeError.TRAILING_BYTES,
                new MqttDecoder(LIMIT).decode(ByteBuffer.wrap(bytes(0xC0, 0xE8, 0x07))).error()); // PINGREQ of 1000
        assertEquals(DecodeError.TRAILING_BYTES,
                new MqttDecoder(LIMIT).decode(ByteBuffer.wrap(bytes(0x40, 0x03))).error()); // PUBACK of 3
    }

    @Test
    void shouldAcceptPacketOfExactlyTheLimit() {
        Publish p = new Publish(false, Qos.AT_MOST_ONCE, false, "t", 0, new byte[100]);
        int size = MqttEncoder.encodedSize(p);
        assertEquals(p, CodecTestSupport.decodeOne(new MqttDecoder(size), encoded(p)));
        assertEquals(DecodeError.PACKET_TOO_LARGE, CodecTestSupport.failureOf(new MqttDecoder(size - 1), encoded(p)).error());
    }

    @Test
    void shouldStayBadAfterFailure() {
        MqttDecoder decoder = new MqttDecoder(LIMIT);
        DecodeResult first = decoder.decode(ByteBuffer.wrap(bytes(0x62, 0x02, 0x00, 0x01, 0x60))); // PUBREL ok, then PUBREL flags 0
        assertTrue(first.isPacket());
        DecodeResult failure = decoder.decode(ByteBuffer.wrap(bytes(0x60, 0x02, 0x00, 0x01)));
        assertEquals(DecodeError.INVALID_FIXED_HEADER_FLAGS, failure.error());
        assertTrue(decoder.isBad());
        ByteBuffer valid = ByteBuffer.wrap(encoded(PingReq.INSTANCE));
        assertSame(failure, decoder.decode(valid));
        assertEquals(0, valid.remaining());
        assertSame(failure, decoder.decode(ByteBuffer.allocate(0)));
    }

    @Test
    void shouldFailOnFirstByteBeforeRemainingLengthArrives() {
        assertEquals(DecodeError.RESERVED_PACKET_TYPE, new MqttDecoder(LIMIT).decode(ByteBuffer.wrap(bytes(0xF0))).error());
        assertEquals(DecodeError.INVALID_QOS, new MqttDecoder(LIMIT).decode(ByteBuffer.wrap(bytes(0x36))).error());
    }

    @Test
    void shouldRejectPacketsOfTheOtherDirection() {
        assertEquals(DecodeError.UNEXPECTED_PACKET_TYPE,
                CodecTestSupport.failureOf(new MqttDecoder(LIMIT), encoded(new ConnAck(false, ConnectReturnCode.ACCEPTED))).error());
        assertEquals(DecodeError.UNEXPECTED_PACKET_TYPE,
                CodecTestSupport.failureOf(MqttDecoder.forClient(LIMIT), encoded(PingReq.INSTANCE)).error());
    }

    @Test
    void shouldFailWhenFieldRunsIntoNextPacket() {
        // PUBACK with remaining length 1, followed by a PINGREQ: the id must not borrow the next packet's byte.
        DecodeResult r = new MqttDecoder(LIMIT).decode(ByteBuffer.wrap(bytes(0x40, 0x01, 0x00, 0xC0, 0x00)));
        assertInstanceOf(DecodeResult.Failure.class, r);
        assertEquals(DecodeError.TRUNCATED_FIELD, r.error());
    }

    @Test
    void aRepeatedTopicNameIsTheSameStringAndEveryOtherNameIsDecodedAndCheckedAfresh() {
        MqttDecoder decoder = new MqttDecoder(LIMIT);
        String longName = "x/".repeat(200) + "end"; // past what the decoder remembers
        String[] names = {"a/b", "a/b", "a/c", "a/bc", "a/b", longName, longName, "ü/b", "ü/b"};
        List<String> got = new ArrayList<>();
        for (String name : names) {
            got.add(((Publish) decodeOne(decoder, Publish.qos0(name, "x", false))).topic());
        }
        assertEquals(List.of(names), got);
        assertSame(got.get(0), got.get(1), "a repeated name is the string already decoded");
        assertSame(got.get(7), got.get(8));
        // same length as the remembered "a/b", different bytes: a wildcard is still refused
        DecodeResult r = decoder.decode(ByteBuffer.wrap(bytes(0x30, 0x06, 0x00, 0x03, 'a', '/', '#', 'x')));
        assertEquals(DecodeError.INVALID_TOPIC_NAME, assertInstanceOf(DecodeResult.Failure.class, r).error());
    }

    private static MqttPacket decodeOne(MqttDecoder decoder, MqttPacket p) {
        return assertInstanceOf(DecodeResult.Decoded.class, decoder.decode(ByteBuffer.wrap(encoded(p)))).packet();
    }
}
