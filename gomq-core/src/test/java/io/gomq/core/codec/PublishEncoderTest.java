package io.gomq.core.codec;

import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

import static io.gomq.core.codec.CodecTestSupport.encoded;
import static io.gomq.core.codec.CodecTestSupport.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PublishEncoderTest {

    private static byte[] encodeMessage(Message m, int id, boolean dup, Qos qos, boolean retain) {
        ByteBuffer out = ByteBuffer.allocate(MqttEncoder.publishSize(m, qos));
        MqttEncoder.encodePublish(out, m, id, dup, qos, retain);
        assertEquals(out.capacity(), out.position(), "publishSize must be exact");
        return out.array();
    }

    @Test
    void shouldEncodeMessageLikePublishRecord() {
        Message m = Message.of("sensors/room-1/temp", utf8("21.5"), Qos.EXACTLY_ONCE, true);
        assertArrayEquals(encoded(new Publish(true, Qos.AT_LEAST_ONCE, false, "sensors/room-1/temp", 42, utf8("21.5"))),
                encodeMessage(m, 42, true, Qos.AT_LEAST_ONCE, false));
        assertArrayEquals(encoded(new Publish(false, Qos.AT_MOST_ONCE, true, "sensors/room-1/temp", 0, utf8("21.5"))),
                encodeMessage(m, 0, false, Qos.AT_MOST_ONCE, true));
    }

    @Test
    void shouldEncodeNonAsciiTopic() {
        String topic = "caf\u00e9/\u20ac/\uD83D\uDE00";
        Message m = Message.of(topic, new byte[1000], Qos.AT_LEAST_ONCE, false);
        byte[] raw = encodeMessage(m, 1, false, Qos.AT_LEAST_ONCE, false);
        Publish decoded = (Publish) CodecTestSupport.decodeOne(raw);
        assertEquals(topic, decoded.topic());
        assertEquals(1000, decoded.payload().length);
    }

    @Test
    void shouldRejectInconsistentDeliveryAttributes() {
        Message m = Message.of("t", new byte[1], Qos.AT_LEAST_ONCE, false);
        ByteBuffer out = ByteBuffer.allocate(64);
        assertThrows(IllegalArgumentException.class, () -> MqttEncoder.encodePublish(out, m, 0, false, Qos.AT_LEAST_ONCE, false));
        assertThrows(IllegalArgumentException.class, () -> MqttEncoder.encodePublish(out, m, 1, false, Qos.AT_MOST_ONCE, false));
        assertThrows(IllegalArgumentException.class, () -> MqttEncoder.encodePublish(out, m, 0, true, Qos.AT_MOST_ONCE, false));
        assertEquals(0, out.position());
    }

    @Test
    void shouldEncodeAsciiPublishWithoutAllocating() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Message m = Message.of("devices/1234/telemetry", new byte[256], Qos.AT_LEAST_ONCE, false);
        ByteBuffer out = ByteBuffer.allocateDirect(MqttEncoder.publishSize(m, Qos.AT_LEAST_ONCE));
        for (int i = 0; i < 20_000; i++) { // warm up so the JIT's escape analysis has run
            out.clear();
            MqttEncoder.encodePublish(out, m, 1 + (i & 0x7FFF), false, Qos.AT_LEAST_ONCE, false);
        }
        long tid = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            out.clear();
            MqttEncoder.encodePublish(out, m, 1 + (i & 0x7FFF), false, Qos.AT_LEAST_ONCE, false);
        }
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 100_000, "under a byte per call expected; 100k encodes allocated " + allocated + " bytes");
    }
}
