package io.gomq.core.codec;

import io.gomq.core.message.MessageProperties;
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

    /**
     * Feeds {@code all} in two parts split at {@code split} through a cumulation buffer, like a
     * transport's: first part, drain, append the rest, drain. Returns every packet decoded.
     */
    public static List<MqttPacket> decodeSplit(MqttDecoder decoder, byte[] all, int split) {
        ByteBuffer cumulation = ByteBuffer.allocate(all.length);
        cumulation.put(all, 0, split).flip();
        List<MqttPacket> got = new ArrayList<>(decodeAll(decoder, cumulation));
        cumulation.compact().put(all, split, all.length - split).flip();
        got.addAll(decodeAll(decoder, cumulation));
        assertEquals(0, cumulation.remaining(), "split at " + split + " left bytes undecoded");
        return got;
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

    /** A server-side decoder already at MQTT 5 (as after an MQTT 5 CONNECT). */
    public static MqttDecoder server5() {
        return new MqttDecoder(LIMIT, MqttDecoder.Role.SERVER, Connect.PROTOCOL_LEVEL_5);
    }

    public static MqttDecoder client5() {
        return MqttDecoder.forClient(LIMIT, Connect.PROTOCOL_LEVEL_5);
    }

    /** The MQTT 5 decoder that accepts this packet (a PUBLISH with subscription identifiers only goes to clients). */
    public static MqttDecoder decoder5For(MqttPacket p) {
        boolean toClient = !p.type().sentByClient() || (p instanceof Publish pub && pub.subscriptionIds().length > 0);
        return toClient ? client5() : server5();
    }

    public static byte[] encoded5(MqttPacket p) {
        return toArray(MqttEncoder.encode(p, Connect.PROTOCOL_LEVEL_5));
    }

    /** One MQTT 5 sample of every packet type, each with the interesting options and properties set. */
    public static List<MqttPacket> samplePackets5() {
        MessageProperties message = MessageProperties.builder().payloadUtf8(true).messageExpirySeconds(3600)
                .contentType("text/plain").responseTopic("replies/\u00e9").correlationData(utf8("req-7"))
                .userProperty("a", "1").userProperty("a", "2").build();
        PacketProperties connect = PacketProperties.builder().sessionExpiryInterval(0xFFFF_FFFFL).receiveMaximum(20)
                .maximumPacketSize(1 << 20).topicAliasMaximum(10).requestResponseInformation(1)
                .requestProblemInformation(0).authenticationMethod("SCRAM-SHA-1").authenticationData(bytes(1, 2, 3))
                .userProperty("k", "v").build();
        PacketProperties connAck = PacketProperties.builder().sessionExpiryInterval(120).receiveMaximum(65_535)
                .maximumPacketSize(268_435_460L).topicAliasMaximum(0).assignedClientIdentifier("auto-1")
                .serverKeepAlive(30).responseInformation("resp/").serverReference("other:1883").reasonString("fine")
                .maximumQos(1).retainAvailable(0).wildcardSubscriptionAvailable(1).subscriptionIdentifierAvailable(1)
                .sharedSubscriptionAvailable(0).userProperty("node", "b").build();
        PacketProperties reason = PacketProperties.builder().reasonString("why").userProperty("x", "y").build();
        Connect.Will will = new Connect.Will("last/will", utf8("gone"), Qos.AT_LEAST_ONCE, true, message, 30);
        return List.of(
                Connect.mqtt5(true, 60, "client-5", null, null, null, PacketProperties.NONE),
                Connect.mqtt5(false, 65_535, "cl\u00e9", will, "user", utf8("secret"), connect),
                Connect.mqtt5(true, 0, "", null, null, utf8("password-only"), PacketProperties.NONE),
                ConnAck.v5(true, ReasonCode.SUCCESS, connAck),
                ConnAck.v5(false, ReasonCode.QUOTA_EXCEEDED, PacketProperties.NONE),
                new Publish(false, Qos.AT_MOST_ONCE, false, "a/b", 0, utf8("hello"), MessageProperties.NONE, 0, null),
                new Publish(true, Qos.AT_LEAST_ONCE, true, "sensors/\u00fc", 1, utf8("21.5"), message, 5, null),
                new Publish(false, Qos.EXACTLY_ONCE, false, "", 65_535, new byte[300], MessageProperties.NONE, 65_535, null),
                new Publish(false, Qos.AT_LEAST_ONCE, false, "x/y", 9, new byte[0], message, 0, new int[] {1, 268_435_455, 128}),
                new PubAck(7), new PubAck(7, ReasonCode.NO_MATCHING_SUBSCRIBERS, PacketProperties.NONE),
                new PubAck(7, ReasonCode.NOT_AUTHORIZED, reason),
                new PubRec(8, ReasonCode.QUOTA_EXCEEDED, PacketProperties.NONE), new PubRel(9, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, reason),
                new PubComp(10, ReasonCode.SUCCESS, reason),
                new Subscribe(11, List.of(new Subscribe.Subscription("a/+/c", Qos.AT_MOST_ONCE, true, false, 0),
                        new Subscribe.Subscription("#", Qos.EXACTLY_ONCE, false, true, 2),
                        new Subscribe.Subscription("$share/g/t", Qos.AT_LEAST_ONCE, false, false, 1)),
                        PacketProperties.builder().subscriptionIdentifier(268_435_455).userProperty("s", "1").build()),
                SubAck.v5(11, List.of(ReasonCode.GRANTED_QOS_0, ReasonCode.GRANTED_QOS_2, ReasonCode.TOPIC_FILTER_INVALID,
                        ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED), reason),
                new Unsubscribe(12, List.of("a/+/c", "#"), PacketProperties.builder().userProperty("u", "").build()),
                new UnsubAck(12, List.of(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED), PacketProperties.NONE),
                PingReq.INSTANCE, PingResp.INSTANCE, Disconnect.INSTANCE,
                new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE, PacketProperties.NONE),
                new Disconnect(ReasonCode.SERVER_MOVED, PacketProperties.builder().sessionExpiryInterval(0)
                        .serverReference("b:1883").reasonString("moved").build()),
                new Auth(ReasonCode.SUCCESS, PacketProperties.NONE),
                new Auth(ReasonCode.CONTINUE_AUTHENTICATION, PacketProperties.builder().authenticationMethod("SCRAM-SHA-1")
                        .authenticationData(bytes(0, 0xFF)).reasonString("step 2").build()));
    }

    /** Only the packets a client sends, so one server-side decoder takes them all. */
    public static List<MqttPacket> clientPackets() {
        return samplePackets().stream().filter(p -> p.type().sentByClient()).toList();
    }
}
