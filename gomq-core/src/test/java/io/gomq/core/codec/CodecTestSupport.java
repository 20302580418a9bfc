package io.gomq.core.codec;

import io.gomq.core.message.Qos;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Shared fixtures for codec and spec tests: sample packets and raw-byte helpers. */
public final class CodecTestSupport {
    public static final int LIMIT = 1 << 20;

    private CodecTestSupport() {
    }

    /** Bytes from ints, so tests can write 0x80 and up without casts. */
    public static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            b.put(p);
        }
        return b.array();
    }

    public static byte[] toArray(ByteBuffer buffer) {
        byte[] b = new byte[buffer.remaining()];
        buffer.duplicate().get(b);
        return b;
    }

    public static byte[] encoded(MqttPacket p) {
        return toArray(MqttEncoder.encode(p));
    }

    /** The decoder that accepts this packet's direction (PUBLISH and acks go both ways). */
    public static MqttDecoder decoderFor(MqttPacket p) {
        return p.type().sentByClient() ? new MqttDecoder(LIMIT) : MqttDecoder.forClient(LIMIT);
    }

    /** Decodes exactly one packet that must fill {@code raw}. */
    public static MqttPacket decodeOne(MqttDecoder decoder, byte[] raw) {
        ByteBuffer in = ByteBuffer.wrap(raw);
        DecodeResult r = decoder.decode(in);
        if (!(r instanceof DecodeResult.Decoded d)) {
            return fail("expected a packet, got " + r);
        }
        assertEquals(raw.length, in.position(), "the packet must consume the whole input");
        return d.packet();
    }

    /** Server-side decode of one packet. */
    public static MqttPacket decodeOne(byte[] raw) {
        return decodeOne(new MqttDecoder(LIMIT), raw);
    }

    /** Decodes a whole buffer; a failure fails the test. */
    public static List<MqttPacket> decodeAll(MqttDecoder decoder, ByteBuffer in) {
        List<MqttPacket> out = new ArrayList<>();
        while (true) {
            DecodeResult r = decoder.decode(in);
            if (r.isNeedMore()) {
                return out;
            }
            assertTrue(r.isPacket(), () -> "unexpected " + r);
            out.add(r.packet());
        }
    }

    /** The failure the server-side decoder reports for {@code raw}. */
    public static DecodeResult.Failure failureOf(MqttDecoder decoder, byte[] raw) {
        DecodeResult r = decoder.decode(ByteBuffer.wrap(raw));
        if (!(r instanceof DecodeResult.Failure f)) {
            return fail("expected a failure, got " + r);
        }
        return f;
    }

    /** One sample of every packet type, with the interesting options set. */
    public static List<MqttPacket> samplePackets() {
        return List.of(
                Connect.of("client-1", true, 60),
                new Connect("MQTT", 4, false, 65_535, "cl\u00e9-\u20ac-\uD83D\uDE00",
                        new Connect.Will("last/will", utf8("gone"), Qos.EXACTLY_ONCE, true), "user", utf8("secret")),
                new Connect("MQTT", 4, true, 0, "", new Connect.Will("w", new byte[0], Qos.AT_LEAST_ONCE, false), "u", null),
                new ConnAck(true, ConnectReturnCode.ACCEPTED),
                new ConnAck(false, ConnectReturnCode.NOT_AUTHORIZED),
                Publish.qos0("a/b", "hello", false),
                new Publish(true, Qos.AT_LEAST_ONCE, true, "sensors/\u00fc/temp", 1, utf8("21.5")),
                new Publish(false, Qos.EXACTLY_ONCE, false, "x", 65_535, new byte[300]),
                new Publish(false, Qos.AT_MOST_ONCE, false, "$SYS/empty", 0, new byte[0]),
                new PubAck(7), new PubRec(8), new PubRel(9), new PubComp(10),
                new Subscribe(11, List.of(new Subscribe.Subscription("a/+/c", Qos.AT_MOST_ONCE),
                        new Subscribe.Subscription("#", Qos.EXACTLY_ONCE),
                        new Subscribe.Subscription("bad#filter", Qos.AT_LEAST_ONCE))),
                new SubAck(11, List.of(SubAckReturnCode.GRANTED_QOS_0, SubAckReturnCode.GRANTED_QOS_2, SubAckReturnCode.FAILURE)),
                new Unsubscribe(12, List.of("a/+/c", "#")),
                new UnsubAck(12),
                PingReq.INSTANCE, PingResp.INSTANCE, Disconnect.INSTANCE);
    }

    /** Only the packets a client sends, so one server-side decoder takes them all. */
    public static List<MqttPacket> clientPackets() {
        return samplePackets().stream().filter(p -> p.type().sentByClient()).toList();
    }
}
