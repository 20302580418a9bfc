package io.gomq.core.queue;

import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubscriberQueueTest {
    private static final Message QOS0 = Message.of("t", new byte[10], Qos.AT_MOST_ONCE, false);
    private static final Message QOS1 = Message.of("t", new byte[10], Qos.AT_LEAST_ONCE, false);

    private static QueueLimits limits(long stuckMs) {
        // capacity 16: QoS 0 up to 14, high 12, low 4
        return new QueueLimits(16, 14, 12, 4, TimeUnit.MILLISECONDS.toNanos(stuckMs));
    }

    @Test
    void shouldDropQosZeroFirstWhenQueueFills() {
        SubscriberQueue q = new SubscriberQueue(limits(60_000), () -> { });
        for (int i = 0; i < 14; i++) {
            assertFalse(q.offer(QOS0) == OfferResult.DROPPED);
        }
        assertEquals(OfferResult.DROPPED, q.offer(QOS0), "QoS 0 over its limit");
        assertFalse(q.offer(QOS1) == OfferResult.DROPPED, "QoS 1 still uses the reserve");
        assertFalse(q.offer(QOS1) == OfferResult.DROPPED);
        assertEquals(OfferResult.DROPPED, q.offer(QOS1), "full");
        assertEquals(16, q.size());
        assertEquals(1, q.droppedQos0());
        assertEquals(1, q.droppedQos1());
    }

    @Test
    void shouldPacePublisherAboveHighWatermarkAndResumeBelowLow() {
        SubscriberQueue q = new SubscriberQueue(limits(60_000), () -> { });
        AtomicInteger resumed = new AtomicInteger();
        Pacer pacer = new Pacer() {
            @Override protected void onPause() { }
            @Override protected void onResume() { resumed.incrementAndGet(); }
        };
        for (int i = 0; i < 11; i++) {
            assertEquals(OfferResult.ACCEPTED, q.offer(QOS1));
        }
        assertEquals(OfferResult.ACCEPTED_CONGESTED, q.offer(QOS1));
        assertTrue(pacer.pause());
        q.addPaced(pacer);
        assertFalse(pacer.pause(), "already paused: not registered twice");
        while (q.size() > 5) {
            q.poll();
        }
        q.endDrain(true);
        assertEquals(0, resumed.get(), "still above the low watermark");
        q.poll();
        q.poll();
        q.endDrain(true);
        assertEquals(1, resumed.get());
        assertFalse(pacer.isPaused());
    }

    @Test
    void shouldStopPacingWhenSubscriberIsStuck() {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000);
        SubscriberQueue q = new SubscriberQueue(limits(20).withClock(now::get), () -> { });
        for (int i = 0; i < 11; i++) {
            q.offer(QOS1);
        }
        assertEquals(OfferResult.ACCEPTED_CONGESTED, q.offer(QOS1));
        assertFalse(q.isStuck(now.get()), "not before the stuck time");
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(20) + 1); // past the 20 ms stuck time; nobody drained
        assertEquals(OfferResult.ACCEPTED, q.offer(QOS1), "a stuck subscriber paces nobody");
        assertTrue(q.isStuck(now.get()));
    }

    @Test
    void shouldWakeSubscriberOncePerDrain() {
        AtomicInteger wakeups = new AtomicInteger();
        SubscriberQueue q = new SubscriberQueue(limits(60_000), wakeups::incrementAndGet);
        q.offer(QOS0);
        q.offer(QOS0);
        q.offer(QOS0);
        assertEquals(1, wakeups.get(), "one wakeup until the subscriber drains");
        while (q.poll() != null) {
            // drain
        }
        assertFalse(q.endDrain(true));
        q.offer(QOS0);
        assertEquals(2, wakeups.get());
    }

    @Test
    void shouldCountPayloadBytesAgainstTheByteLimit() {
        // 100 payload bytes at most (QoS 0: 88), paced above 75, resumed at or below 25
        QueueLimits bytes = limits(60_000).withBytes(new QueueLimits.ByteLimits(100, 88, 75, 25));
        SubscriberQueue q = new SubscriberQueue(bytes, () -> { });
        Message big0 = Message.of("t", new byte[40], Qos.AT_MOST_ONCE, false);
        Message big1 = Message.of("t", new byte[40], Qos.AT_LEAST_ONCE, false);
        assertEquals(OfferResult.ACCEPTED, q.offer(big0));
        assertEquals(OfferResult.ACCEPTED_CONGESTED, q.offer(big1), "80 bytes: above the high mark");
        assertEquals(OfferResult.DROPPED, q.offer(QOS0), "QoS 0 would pass its 88");
        assertFalse(q.offer(QOS1) == OfferResult.DROPPED, "QoS 1 fits the reserve: 90");
        assertEquals(OfferResult.DROPPED, q.offer(big1), "130 > 100");
        assertEquals(90, q.queuedBytes());
        assertEquals(3, q.size(), "well below the message capacity: bytes decided");
        AtomicInteger resumed = new AtomicInteger();
        Pacer pacer = new Pacer() {
            @Override protected void onPause() { }
            @Override protected void onResume() { resumed.incrementAndGet(); }
        };
        pacer.pause();
        q.addPaced(pacer);
        q.poll();
        q.endDrain(true);
        assertEquals(0, resumed.get(), "50 bytes: above the low byte mark");
        q.poll();
        q.endDrain(true);
        assertEquals(1, resumed.get(), "10 bytes: resumed");
        assertEquals(10, q.queuedBytes());
    }

    @Test
    void shouldTakeOneMessageLargerThanTheByteLimitIntoAnEmptyQueue() {
        SubscriberQueue q = new SubscriberQueue(limits(60_000).withBytes(new QueueLimits.ByteLimits(100, 88, 75, 25)), () -> { });
        Message huge = Message.of("t", new byte[500], Qos.AT_LEAST_ONCE, false);
        assertFalse(q.offer(huge) == OfferResult.DROPPED, "never refused for ever");
        assertEquals(OfferResult.DROPPED, q.offer(QOS1));
        q.poll();
        assertEquals(0, q.queuedBytes());
        assertFalse(q.offer(QOS1) == OfferResult.DROPPED);
    }
}
