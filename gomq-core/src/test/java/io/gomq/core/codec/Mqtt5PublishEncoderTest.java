package io.gomq.core.codec;

import io.gomq.core.message.Message;
import io.gomq.core.message.MessageProperties;
import io.gomq.core.message.Qos;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import static io.gomq.core.codec.CodecTestSupport.encoded5;
import static io.gomq.core.codec.CodecTestSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Mqtt5PublishEncoderTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final MessageProperties PROPERTIES = MessageProperties.builder().payloadUtf8(true)
            .messageExpirySeconds(60).contentType("application/json").responseTopic("replies/1")
            .correlationData(utf8("c-1")).userProperty("trace", "abc").userProperty("trace", "def").build();

    private static Message message(String topic, MessageProperties properties) {
        return Message.builder(topic).payload("{\"t\":21.5}").qos(Qos.EXACTLY_ONCE).timestampMillis(T0).properties(properties).build();
    }

    private static byte[] encodeMessage(Message m, int id, boolean dup, Qos qos, boolean retain, int level, int alias,
                                        boolean omitTopic, long now) {
        ByteBuffer out = ByteBuffer.allocate(MqttEncoder.publishSize(m, qos, level, alias, omitTopic, now));
        MqttEncoder.encodePublish(out, m, id, dup, qos, retain, level, alias, omitTopic, now);
        assertEquals(out.capacity(), out.position(), "publishSize must be exact");
        return out.array();
    }

    @Test
    void shouldEncodeMessageLikePublishRecordWithExpiryCountedDown() {
        Message m = message("sensors/1", PROPERTIES).withSubscriptionIds(new int[] {7, 300});
        long now = T0 + 10_500; // 10.5 s waited: 49.5 s left, sent as 50
        byte[] raw = encodeMessage(m, 42, true, Qos.AT_LEAST_ONCE, false, 5, 3, false, now);
        Publish expected = new Publish(true, Qos.AT_LEAST_ONCE, false, "sensors/1", 42, m.payloadBytes(),
                PROPERTIES.withMessageExpirySeconds(50), 3, new int[] {7, 300});
        assertArrayEquals(encoded5(expected), raw);
        assertEquals(expected, CodecTestSupport.decodeOne(CodecTestSupport.client5(), raw));
    }

    @Test
    void shouldOmitTopicBehindAlias() {
        Message m = message("sensors/1", MessageProperties.NONE);
        Publish decoded = (Publish) CodecTestSupport.decodeOne(CodecTestSupport.client5(),
                encodeMessage(m, 0, false, Qos.AT_MOST_ONCE, true, 5, 9, true, T0));
        assertEquals("", decoded.topic());
        assertEquals(9, decoded.topicAlias());
        assertTrue(decoded.retain());
        assertTrue(decoded.properties().isEmpty());
    }

    @Test
    void shouldWriteTodaysBytesAtLevel4() {
        Message m = message("sensors/1", PROPERTIES).withSubscriptionIds(new int[] {7});
        ByteBuffer classic = ByteBuffer.allocate(MqttEncoder.publishSize(m, Qos.AT_LEAST_ONCE));
        MqttEncoder.encodePublish(classic, m, 5, false, Qos.AT_LEAST_ONCE, false);
        assertArrayEquals(classic.array(), encodeMessage(m, 5, false, Qos.AT_LEAST_ONCE, false, 4, 3, true, T0 + 1_000));
    }

    @Test
    void shouldAgreeOnSizeAcrossShapes() {
        MessageProperties big = MessageProperties.builder().contentType("c".repeat(70_000 / 2)).userProperty("k", "v".repeat(40_000))
                .build();
        for (MessageProperties p : new MessageProperties[] {MessageProperties.NONE, PROPERTIES, big}) {
            for (String topic : new String[] {"t", "caf\u00e9/\u20ac", "x".repeat(200)}) {
                for (int[] ids : new int[][] {null, {1}, {127, 128, 16_384, 268_435_455}}) {
                    Message m = message(topic, p).withSubscriptionIds(ids);
                    for (Qos qos : Qos.values()) {
                        byte[] raw = encodeMessage(m, qos == Qos.AT_MOST_ONCE ? 0 : 1, false, qos, false, 5, 0, false, T0 + 59_999);
                        Publish decoded = (Publish) CodecTestSupport.decodeOne(
                                MqttDecoder.forClient(1 << 20, 5), raw);
                        assertEquals(topic, decoded.topic());
                        assertEquals(p.expires() ? 1 : -1, decoded.properties().messageExpirySeconds());
                    }
                }
            }
        }
    }

    @Test
    void shouldRejectInconsistentArguments() {
        Message m = message("t", MessageProperties.NONE);
        ByteBuffer out = ByteBuffer.allocate(256);
        assertThrows(IllegalArgumentException.class, () -> MqttEncoder.encodePublish(out, m, 0, false, Qos.AT_MOST_ONCE, false, 5, 0, true, T0));
        assertThrows(IllegalArgumentException.class, () -> MqttEncoder.encodePublish(out, m, 0, false, Qos.AT_MOST_ONCE, false, 5, 65_536, false, T0));
        assertThrows(IllegalArgumentException.class, () -> MqttEncoder.encodePublish(out, m, 0, false, Qos.AT_MOST_ONCE, false, 6, 0, false, T0));
        assertThrows(IllegalArgumentException.class, () -> MqttEncoder.encodePublish(out, m, 1, false, Qos.AT_MOST_ONCE, false, 5, 0, false, T0));
        assertEquals(0, out.position());
    }

    @Test
    void shouldEncodeMqtt5PublishWithoutAllocating() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Message m = Message.builder("devices/1234/telemetry").payload(new byte[256]).qos(Qos.AT_LEAST_ONCE).timestampMillis(T0)
                .properties(PROPERTIES).build().withSubscriptionIds(new int[] {12, 4000});
        ByteBuffer out = ByteBuffer.allocateDirect(MqttEncoder.publishSize(m, Qos.AT_LEAST_ONCE, 5, 17, false, T0));
        for (int i = 0; i < 20_000; i++) { // warm up so the JIT's escape analysis has run
            out.clear();
            MqttEncoder.encodePublish(out, m, 1 + (i & 0x7FFF), false, Qos.AT_LEAST_ONCE, false, 5, 17, false, T0 + i);
        }
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            out.clear();
            MqttEncoder.encodePublish(out, m, 1 + (i & 0x7FFF), false, Qos.AT_LEAST_ONCE, false, 5, 17, false, T0 + i);
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 100_000, "under a byte per call expected; 100k encodes allocated " + allocated + " bytes");
    }
}
