package io.gomq.core.delivery;

import io.gomq.core.engine.EngineMetrics;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.queue.Pacer;
import io.gomq.core.queue.QueueLimits;
import io.gomq.core.retained.MemoryRetainedStore;
import io.gomq.core.session.RecordingOutput;
import io.gomq.core.session.Session;
import io.gomq.core.session.SessionRegistry;
import io.gomq.core.topic.SubscriptionOptions;
import io.gomq.core.topic.TopicTree;
import io.gomq.testing.TestPacer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The router's side of pacing, with a clock the test advances: copies that a moving
 * subscriber's full queue refuses are held by the paced publisher and delivered in order once it
 * resumes; a subscriber stuck past the stuck time paces nobody, and what was held for it is
 * dropped (counted).
 */
class PacedPublisherTest {
    private static final long STUCK_MS = 1_000;
    // capacity 16: QoS 0 up to 14, high watermark 12, low 4
    private final AtomicLong now = new AtomicLong(1);
    private final QueueLimits limits = new QueueLimits(16, 14, 12, 4, TimeUnit.MILLISECONDS.toNanos(STUCK_MS))
            .withClock(now::get);
    private final EngineMetrics metrics = new EngineMetrics();
    private final TopicTree<Session> tree = new TopicTree<>();
    private final Router router = new Router(tree, new SharedSubscriptions(), new MemoryRetainedStore(), metrics, null);
    private final RecordingOutput out = new RecordingOutput();
    private final TestPacer pacer = new TestPacer(4);
    private Session session;

    @BeforeEach
    void subscribe() {
        SessionRegistry registry = new SessionRegistry(tree, limits, 8, 100);
        session = registry.connect("sub", true, null, out).session();
        registry.subscribe(session, "t", SubscriptionOptions.of(Qos.AT_MOST_ONCE));
    }

    @Test
    void shouldHoldRefusedCopiesForMovingSubscriberAndDeliverThemInOrderOnResume() {
        for (int i = 0; i < 16; i++) { // read ahead past the high watermark and the QoS 0 limit
            router.routeDurably(message(i), pacer);
        }
        assertTrue(pacer.isPaused());
        assertEquals(1, pacer.pauses.get(), "paused once, at the high watermark");
        assertEquals(2, pacer.held().size(), "the two copies over the QoS 0 limit are held");
        assertEquals(0, metrics.droppedQos0.sum());

        session.drain(100); // the subscriber moves: below the low watermark the publisher resumes
        assertEquals(1, pacer.resumes.get());
        assertTrue(router.releaseHeld(pacer), "held copies placed: the publisher reads on");
        assertTrue(pacer.held().isEmpty());
        router.routeDurably(message(16), pacer);
        session.drain(100);

        assertEquals(17, out.publishes().size());
        for (int i = 0; i < 17; i++) {
            assertEquals(i, out.publishes().get(i).message().payload().getInt(), "in publish order");
        }
        assertEquals(0, metrics.droppedQos0.sum());
    }

    @Test
    void shouldStopPacingAndDropHeldCopiesWhenSubscriberIsStuck() {
        for (int i = 0; i < 15; i++) {
            router.routeDurably(message(i), pacer);
        }
        assertTrue(pacer.isPaused());
        assertEquals(1, pacer.held().size());

        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(STUCK_MS / 2));
        pacer.resume(); // a resume without progress (the fallback of an earlier pause)
        assertFalse(router.releaseHeld(pacer), "not stuck yet: the copy stays held and the publisher is paced again");
        assertEquals(1, pacer.held().size());
        assertTrue(pacer.isPaused());

        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(STUCK_MS)); // nobody drained for longer than the stuck time
        pacer.resume(); // the pacer's own stuck-time fallback
        assertTrue(router.releaseHeld(pacer), "a stuck subscriber paces nobody");
        assertEquals(1, metrics.droppedQos0.sum(), "the held copy is dropped, counted");
        router.routeDurably(message(15), pacer);
        assertFalse(pacer.isPaused(), "still not paced by the stuck subscriber");
        assertTrue(pacer.held().isEmpty());
        assertEquals(2, metrics.droppedQos0.sum());
        assertEquals(14, session.queue().size(), "the queue stays within its QoS 0 limit");
    }

    @Test
    void shouldOfferHeldCopiesOnceMoreAndCountTheRestWhenPublisherGoesAway() {
        for (int i = 0; i < 16; i++) {
            router.routeDurably(message(i), pacer);
        }
        assertEquals(2, pacer.held().size());
        session.queue().poll(); // room for one
        router.discardHeld(pacer);
        assertTrue(pacer.held().isEmpty());
        assertEquals(1, metrics.droppedQos0.sum(), "the one that found no room is dropped, counted");
        assertEquals(14, session.queue().size());
    }

    @Test
    void shouldDropWhatIsOverTheHoldLimit() {
        TestPacer small = new TestPacer(1);
        for (int i = 0; i < 16; i++) {
            router.routeDurably(message(i), small);
        }
        assertEquals(1, small.held().size());
        assertEquals(1, metrics.droppedQos0.sum(), "the second refused copy is over the pacer's hold limit");
    }

    private static Message message(int seq) {
        return Message.of("t", ByteBuffer.allocate(4).putInt(seq).array(), Qos.AT_MOST_ONCE, false);
    }
}
