package io.gomq.core.engine;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.ConfigException;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.session.RecordingOutput;
import io.gomq.core.session.Session;
import io.gomq.testing.ManualClock;
import io.gomq.testing.TestPacer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * max-queued-bytes-total: the payload bytes of all subscriber queues together, with the rules of
 * one queue's byte limit. Three subscribers that take nothing, 100-byte messages, a total of
 * 1,000 bytes: QoS 0 fits up to 875, publishers are paced above 750 and resume at 250.
 */
class QueuedBytesTotalTest {
    private static final int PAYLOAD = 100;
    private static final long TOTAL = 1_000;

    @TempDir
    Path dir;

    private final ManualClock clock = new ManualClock();

    private BrokerConfig config() {
        return BrokerConfig.defaults().persistent(false).maxQueuedBytes(0).maxQueuedBytesTotal(TOTAL)
                .stuckSubscriberMs(1_000).clock(clock);
    }

    @Test
    void theTotalBoundsEveryQueueTogetherPacesThePublisherAndResumesItOnceTheyDrained() {
        try (BrokerEngine engine = new BrokerEngine(config())) {
            List<Session> subscribers = subscribe(engine, 3, Qos.AT_MOST_ONCE, true);
            TestPacer pacer = new TestPacer(16);
            for (int i = 0; i < 4; i++) {
                engine.publish(message(i, Qos.AT_MOST_ONCE), pacer);
                assertTrue(engine.queuedBytes().bytes() <= TOTAL);
            }
            assertEquals(800, engine.queuedBytes().bytes(), "8 copies fit below the QoS 0 mark (875), the 9th does not");
            assertTrue(pacer.isPaused(), "paced above the high mark (750)");
            assertEquals(4, pacer.held().size(), "the refused copies wait at the paced publisher, none dropped");
            assertEquals(0, engine.metrics().droppedQos0.sum());
            assertEquals(4, engine.queuedBytes().refusals());

            subscribers.get(0).drain(100);
            assertEquals(500, engine.queuedBytes().bytes());
            assertTrue(pacer.isPaused(), "500 bytes still queued: above the low mark");
            subscribers.get(1).drain(100);
            assertEquals(200, engine.queuedBytes().bytes());
            assertFalse(pacer.isPaused(), "resumed once all queues together drained to the low mark");
            assertTrue(engine.releaseHeld(pacer), "the held copies fit again");
            assertEquals(600, engine.queuedBytes().bytes());
            assertEquals(0, engine.metrics().droppedQos0.sum(), "nothing dropped");
        }
    }

    @Test
    void qos0OverTheTotalIsDroppedAndCountedOnceTheTotalStayedFullPastTheStuckTime() {
        try (BrokerEngine engine = new BrokerEngine(config())) {
            subscribe(engine, 3, Qos.AT_MOST_ONCE, true);
            TestPacer pacer = new TestPacer(16);
            for (int i = 0; i < 3; i++) {
                engine.publish(message(i, Qos.AT_MOST_ONCE), pacer);
            }
            assertTrue(pacer.isPaused());
            clock.advance(Duration.ofMillis(1_001)); // nobody took anything: the total paces nobody any more
            pacer.resume();
            engine.publish(message(3, Qos.AT_MOST_ONCE), pacer);
            assertFalse(pacer.isPaused(), "no pacing for subscribers that take nothing");
            assertEquals(3, engine.metrics().droppedQos0.sum(), "the copies that did not fit are dropped, counted");
            assertTrue(engine.queuedBytes().bytes() <= TOTAL);
        }
    }

    @Test
    void aSessionThatEndsGivesItsQueuedBytesBack() {
        try (BrokerEngine engine = new BrokerEngine(config())) {
            RecordingOutput out = new RecordingOutput();
            Session s = engine.connect("leaving", true, null, out).session();
            engine.subscribe(s, List.of("t"), List.of(Qos.AT_MOST_ONCE));
            engine.publish(message(0, Qos.AT_MOST_ONCE), null);
            engine.publish(message(1, Qos.AT_MOST_ONCE), null);
            assertEquals(200, engine.queuedBytes().bytes());
            engine.disconnect(s, out, true);
            assertEquals(0, engine.queuedBytes().bytes(), "a clean session's queue leaves with it");
        }
    }

    @Test
    @Timeout(60)
    void persistedQos1OverTheTotalIsNeverDroppedPersistentSessionsReadItFromTheLog() throws Exception {
        BrokerConfig config = config().persistent(true).dataDir(dir);
        try (BrokerEngine engine = BrokerEngine.open(config)) {
            List<Session> subscribers = subscribe(engine, 3, Qos.AT_LEAST_ONCE, false);
            TestPacer pacer = new TestPacer(0);
            int n = 30;
            for (int i = 0; i < n; i++) {
                pacer.resume(); // a publisher that reads on regardless: the total must still hold
                engine.acknowledgement(engine.publishWithResult(message(i, Qos.AT_LEAST_ONCE), pacer)).get(10, TimeUnit.SECONDS);
                assertTrue(engine.queuedBytes().bytes() <= TOTAL, "total " + engine.queuedBytes().bytes());
            }
            assertTrue(engine.queuedBytes().refusals() > 0, "the total refused copies");
            for (Session s : subscribers) {
                RecordingOutput out = (RecordingOutput) s.output();
                List<Integer> got = new ArrayList<>();
                for (int round = 0; got.size() < n && round < 1_000; round++) {
                    s.drain(100);
                    for (RecordingOutput.Sent p : out.publishes()) {
                        got.add(p.message().payload().getInt(0));
                        s.onPubAck(p.packetId());
                    }
                    out.sent.clear();
                }
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    expected.add(i);
                }
                assertEquals(expected, got, s.clientId() + " got every message once, in order");
            }
            assertEquals(0, engine.metrics().droppedQos1.sum());
        }
    }

    /**
     * A copy the total refuses while a persistent session sends something other than its queue
     * (here the retained message of its new subscription; in CI, a log catch-up that had just
     * ended) is read from the log: the session must not take a later record from its queue first
     * and move its read position past the refused one.
     */
    @Test
    @Timeout(60)
    void aCopyRefusedWhileTheSessionSendsRetainedMessagesIsReadFromTheLogNotSkipped() throws Exception {
        BrokerConfig config = config().persistent(true).dataDir(dir).maxQueuedBytesTotal(3 * PAYLOAD);
        try (BrokerEngine engine = BrokerEngine.open(config)) {
            stored(engine, Message.of("t", payload(-1), Qos.AT_LEAST_ONCE, true));
            Session filler = engine.connect("filler", false, null, new RecordingOutput()).session();
            engine.subscribe(filler, List.of("u"), List.of(Qos.AT_LEAST_ONCE));
            RecordingOutput out = new RecordingOutput();
            Session s = engine.connect("busy", false, null, out).session();
            out.onPublish = retained -> { // while it leaves: the total fills up, refuses message 0, then takes 1
                out.onPublish = m -> { };
                for (int i = 0; i < 3; i++) {
                    stored(engine, Message.of("u", payload(100 + i), Qos.AT_LEAST_ONCE, false));
                }
                stored(engine, message(0, Qos.AT_LEAST_ONCE));
                filler.drain(100);
                stored(engine, message(1, Qos.AT_LEAST_ONCE));
            };
            engine.subscribe(s, List.of("t"), List.of(Qos.AT_LEAST_ONCE));
            List<Integer> got = new ArrayList<>();
            for (int round = 0; got.size() < 3 && round < 100; round++) {
                s.drain(100);
                for (RecordingOutput.Sent p : out.publishes()) {
                    got.add(p.message().payload().getInt(0));
                    s.onPubAck(p.packetId());
                }
                out.sent.clear();
            }
            assertEquals(1, engine.queuedBytes().refusals(), "the total refused message 0 (else the test shows nothing)");
            assertEquals(List.of(-1, 0, 1), got, "the retained message, then both live ones in order");
        }
    }

    private static void stored(BrokerEngine engine, Message m) {
        try {
            engine.acknowledgement(engine.publishWithResult(m, null)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("not stored: " + m.topic(), e);
        }
    }

    @Test
    void aNegativeTotalNamesItsKey() {
        assertEquals("max-queued-bytes-total", assertThrows(ConfigException.class,
                () -> BrokerConfig.defaults().maxQueuedBytesTotal(-1).conclude()).key());
    }

    private static List<Session> subscribe(BrokerEngine engine, int count, Qos qos, boolean clean) {
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Session s = engine.connect("sub-" + i, clean, null, new RecordingOutput()).session();
            engine.subscribe(s, List.of("t"), List.of(qos));
            sessions.add(s);
        }
        return sessions;
    }

    private static Message message(int seq, Qos qos) {
        return Message.of("t", payload(seq), qos, false);
    }

    private static byte[] payload(int seq) {
        return ByteBuffer.allocate(PAYLOAD).putInt(seq).array();
    }
}
