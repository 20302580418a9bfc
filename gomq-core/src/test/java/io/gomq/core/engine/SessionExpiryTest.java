package io.gomq.core.engine;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.session.RecordingOutput;
import io.gomq.core.session.Session;
import io.gomq.core.session.SessionRegistry;
import io.gomq.testing.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MQTT 5 Session Expiry Interval and Will Delay Interval in the engine, also across a restart.
 * Time is a {@link ManualClock}: each interval is checked one millisecond before and at its end.
 */
@Timeout(30)
class SessionExpiryTest {
    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock();

    private BrokerConfig memory() {
        return BrokerConfig.defaults().persistent(false).clock(clock);
    }

    private static Message will(String body) {
        return Message.builder("wills/x").payload(body).qos(Qos.AT_LEAST_ONCE).build();
    }

    @Test
    void aSessionOutlivesItsConnectionForItsExpiryIntervalThenEnds() {
        try (BrokerEngine engine = new BrokerEngine(memory())) {
            RecordingOutput out = new RecordingOutput();
            Session s = engine.connect("e", true, 1, null, 0, out).session();
            engine.subscribe(s, List.of("t"), List.of(Qos.AT_LEAST_ONCE));
            engine.disconnect(s, out, true);
            assertSame(s, engine.sessions().get("e"), "kept after the connection ended");
            Publishing.stored(engine, Message.builder("t").payload("queued").qos(1).build());
            clock.advance(Duration.ofMillis(999));
            assertSame(s, engine.sessions().get("e"), "not before its interval");
            clock.advance(Duration.ofMillis(1));
            assertNull(engine.sessions().get("e"), "ended at its interval");
            assertEquals(0, engine.topicTree().subscriptionCount());
        }
    }

    @Test
    void aResumedSessionIsPresentAndAnOlderTimerLeavesItAlone() {
        try (BrokerEngine engine = new BrokerEngine(memory())) {
            RecordingOutput first = new RecordingOutput();
            Session s = engine.connect("e", true, 60, null, 0, first).session();
            engine.disconnect(s, first, true);
            long stamp = s.disconnects();
            SessionRegistry.Attached again = engine.connect("e", false, 60, null, 0, new RecordingOutput());
            assertTrue(again.sessionPresent());
            assertSame(s, again.session());
            assertNull(engine.sessions().expire(s, stamp));
            assertSame(s, engine.sessions().get("e"), "a timer from before the resume does nothing");
            clock.advance(Duration.ofSeconds(61));
            assertSame(s, engine.sessions().get("e"), "nor does the armed one, once due");
        }
    }

    @Test
    void expiryZeroEndsTheSessionWithItsConnectionEvenWithoutCleanStart() {
        try (BrokerEngine engine = new BrokerEngine(memory())) {
            RecordingOutput out = new RecordingOutput();
            Session s = engine.connect("z", false, 0, null, 0, out).session();
            assertTrue(s.cleanSession());
            engine.disconnect(s, out, true);
            assertNull(engine.sessions().get("z"));
        }
    }

    @Test
    void theExpiryRunsOnAfterARestartAndTheSessionIsRemovedFromTheStore() {
        BrokerConfig config = BrokerConfig.defaults().dataDir(dir).clock(clock);
        try (BrokerEngine engine = BrokerEngine.open(config)) {
            RecordingOutput out = new RecordingOutput();
            Session s = engine.connect("r", true, 2, null, 0, out).session();
            engine.subscribe(s, List.of("t"), List.of(Qos.AT_LEAST_ONCE));
            engine.disconnect(s, out, true);
        }
        try (BrokerEngine engine = BrokerEngine.open(config)) {
            Session restored = engine.sessions().get("r");
            assertNotNull(restored, "restored with its subscriptions");
            assertEquals(2, restored.expirySeconds());
            clock.advance(Duration.ofMillis(1_999));
            assertNotNull(engine.sessions().get("r"), "the countdown resumed where it was, not from zero");
            clock.advance(Duration.ofMillis(1));
            assertNull(engine.sessions().get("r"));
        }
        try (BrokerEngine engine = BrokerEngine.open(config)) {
            assertNull(engine.sessions().get("r"), "its removal was stored");
        }
    }

    @Test
    void aDelayedWillIsSentAfterItsDelayUnlessTheSessionResumes() {
        try (BrokerEngine engine = new BrokerEngine(memory())) {
            RecordingOutput watcherOut = new RecordingOutput();
            Session watcher = engine.connect("watcher", true, null, watcherOut).session();
            engine.subscribe(watcher, List.of("wills/#"), List.of(Qos.AT_LEAST_ONCE));

            RecordingOutput resumer = new RecordingOutput();
            Session r = engine.connect("resumer", true, 60, will("resumer gone"), 60, resumer).session();
            engine.disconnect(r, resumer, false);
            long stamp = r.disconnects();
            assertNotNull(r.delayedWill());
            engine.connect("resumer", false, 60, null, 0, new RecordingOutput());
            assertNull(engine.sessions().publishDelayedWill(r, stamp), "resumed in time: no will");

            RecordingOutput leaver = new RecordingOutput();
            Session l = engine.connect("leaver", true, 60, will("leaver gone"), 1, leaver).session();
            engine.disconnect(l, leaver, false);
            clock.advance(Duration.ofMillis(999));
            watcher.drain(10);
            assertEquals(0, watcherOut.publishes().size(), "not before its delay");
            clock.advance(Duration.ofMillis(1));
            watcher.drain(10);
            assertEquals(1, watcherOut.publishes().size(), "at its delay");
            assertEquals("leaver gone", watcherOut.publishes().get(0).message().payloadAsString());
            clock.advance(Duration.ofSeconds(60));
            watcher.drain(10);
            assertEquals(1, watcherOut.publishes().size(), "the resumed session's will never goes out");
        }
    }

    @Test
    void aWillWhoseDelayOutlastsTheSessionIsSentWhenTheSessionEnds() {
        try (BrokerEngine engine = new BrokerEngine(memory())) {
            RecordingOutput watcherOut = new RecordingOutput();
            Session watcher = engine.connect("watcher", true, null, watcherOut).session();
            engine.subscribe(watcher, List.of("wills/#"), List.of(Qos.AT_LEAST_ONCE));
            RecordingOutput out = new RecordingOutput();
            Session s = engine.connect("short", true, 1, will("at session end"), 3600, out).session();
            engine.disconnect(s, out, false);
            clock.advance(Duration.ofMillis(999));
            watcher.drain(10);
            assertEquals(0, watcherOut.publishes().size(), "not before the session ends");
            clock.advance(Duration.ofMillis(1));
            watcher.drain(10);
            assertEquals(1, watcherOut.publishes().size(), "when the session ends, long before its delay");
            assertNull(engine.sessions().get("short"));
        }
    }

    @Test
    void storedWillsGoOutAfterARestartAsIfTheConnectionEndedThere() {
        BrokerConfig config = BrokerConfig.defaults().dataDir(dir).clock(clock);
        try (BrokerEngine engine = BrokerEngine.open(config)) {
            RecordingOutput watcherOut = new RecordingOutput();
            Session watcher = engine.connect("watcher", false, null, watcherOut).session();
            engine.subscribe(watcher, List.of("wills/#"), List.of(Qos.AT_LEAST_ONCE));
            engine.disconnect(watcher, watcherOut, true);
            // connected when the broker stops: their wills are due after the restart
            engine.connect("v5", true, 600, will("v5 gone"), 1, new RecordingOutput());
            engine.connect("v311", false, will("v311 gone"), new RecordingOutput());
            // ended abnormally before the stop: still waiting for a long delay
            RecordingOutput waitingOut = new RecordingOutput();
            Session waiting = engine.connect("waiting", true, 3600, will("waiting gone"), 3600, waitingOut).session();
            engine.disconnect(waiting, waitingOut, false);
            // ended with DISCONNECT: no will
            RecordingOutput politeOut = new RecordingOutput();
            Session polite = engine.connect("polite", true, 600, will("polite gone"), 0, politeOut).session();
            engine.disconnect(polite, politeOut, true);
        }
        try (BrokerEngine engine = BrokerEngine.open(config)) {
            assertNotNull(engine.sessions().get("waiting").delayedWill(), "still waiting for its delay");
            assertNull(engine.sessions().get("polite").delayedWill());
            RecordingOutput watcherOut = new RecordingOutput();
            Session watcher = engine.connect("watcher", false, null, watcherOut).session();
            clock.advance(Duration.ofSeconds(1)); // the v5 will's delay, counted from the restart
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                watcher.drain(10);
                return watcherOut.publishes().size() >= 2;
            });
            List<String> got = watcherOut.publishes().stream().map(p -> p.message().payloadAsString()).sorted().toList();
            assertEquals(List.of("v311 gone", "v5 gone"), got);
            engine.connect("v5", false, 600, null, 0, new RecordingOutput());
        }
        try (BrokerEngine engine = BrokerEngine.open(config)) {
            assertNull(engine.sessions().get("v5").delayedWill(), "a sent will is not sent again");
            assertNull(engine.sessions().get("v311").delayedWill(), "a sent will is not sent again");
            assertNotNull(engine.sessions().get("waiting").delayedWill());
        }
    }
}
