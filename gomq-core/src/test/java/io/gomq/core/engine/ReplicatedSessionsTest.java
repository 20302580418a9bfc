package io.gomq.core.engine;

import io.gomq.core.topic.SubscriptionOptions;
import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.ConfigException;
import io.gomq.core.config.Durability;
import io.gomq.core.delivery.PublishResult;
import io.gomq.core.session.store.InflightEntry;
import io.gomq.core.session.store.InflightState;
import io.gomq.core.session.store.LogSessionJournal;
import io.gomq.core.session.store.SessionState;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.session.RecordingOutput;
import io.gomq.core.session.Session;
import io.gomq.core.topic.InvalidTopicException;
import io.gomq.testing.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cluster mode's engine: sessions journaled into the log as retained records, restored from it; the ack gate. */
@Timeout(30)
class ReplicatedSessionsTest {
    @TempDir
    Path dir;

    private BrokerConfig config() {
        return BrokerConfig.defaults().dataDir(dir).durability(Durability.WRITE);
    }

    @Test
    void aPersistentSessionIsRebuiltFromTheLogWithItsInflightMessages() {
        try (BrokerEngine engine = BrokerEngine.openReplicated(config())) {
            assertEquals(0, engine.restoreSessionsFromLog());
            RecordingOutput out = new RecordingOutput();
            Session s = engine.connect("sub", false, null, out).session();
            engine.subscribe(s, List.of("t/#"), List.of(Qos.AT_LEAST_ONCE));
            for (int i = 0; i < 3; i++) {
                Publishing.stored(engine, Message.of("t/" + i, ("m" + i).getBytes(), Qos.AT_LEAST_ONCE, false));
            }
            s.drain(100);
            assertEquals(3, out.publishes().size());
            s.onPubAck(out.publishes().get(0).packetId()); // m0 done; m1, m2 in flight
            engine.disconnect(s, out, true);
            Session clean = engine.connect("gone", false, null, new RecordingOutput()).session();
            engine.connect("gone", true, null, new RecordingOutput()); // a clean session replaces it: tombstone
            assertTrue(clean != null);
        }
        try (BrokerEngine engine = BrokerEngine.openReplicated(config())) {
            assertEquals(0, engine.sessions().size(), "nothing restored before the node leads");
            assertEquals(1, engine.restoreSessionsFromLog(), "the removed session stays removed");
            RecordingOutput out = new RecordingOutput();
            var attached = engine.connect("sub", false, null, out);
            assertTrue(attached.sessionPresent());
            attached.session().drain(100);
            assertEquals(List.of("m1", "m2"), out.publishes().stream().map(p -> p.message().payloadAsString()).toList());
            assertTrue(out.publishes().stream().allMatch(RecordingOutput.Sent::dup));
            Publishing.stored(engine, Message.of("t/9", "m9".getBytes(), Qos.AT_LEAST_ONCE, false));
            attached.session().drain(100);
            assertEquals("m9", out.publishes().get(2).message().payloadAsString(), "its subscription was restored");
        }
    }

    @Test
    void aDrainWritesOneSessionStateForAllItsSendsAndAcknowledgements() {
        ManualClock clock = new ManualClock();
        try (BrokerEngine engine = BrokerEngine.openReplicated(config().clock(clock))) {
            engine.restoreSessionsFromLog();
            RecordingOutput out = new RecordingOutput();
            Session s = engine.connect("batch", false, null, out).session();
            engine.subscribe(s, List.of("b/#"), List.of(Qos.AT_LEAST_ONCE));
            String stateTopic = LogSessionJournal.TOPIC_PREFIX + "batch";
            engine.sessionWrites().durable().join(); // session states go to the log's writer: counted once stored
            int before = engine.log().readTopic(stateTopic, 0, 10_000).size();
            for (int i = 0; i < 20; i++) {
                Publishing.stored(engine, Message.of("b/" + i, ("m" + i).getBytes(), Qos.AT_LEAST_ONCE, false));
            }
            clock.advance(Duration.ofMillis(BrokerEngine.SESSION_RECORD_WINDOW_MS));
            s.drain(100); // 20 sends (the in-flight window allows them all)
            assertEquals(20, out.publishes().size());
            engine.sessionWrites().durable().join();
            assertEquals(before + 1, engine.log().readTopic(stateTopic, 0, 10_000).size(), "one state for the drain");
            for (RecordingOutput.Sent p : out.publishes()) {
                s.onPubAck(p.packetId());
            }
            s.drain(100); // nothing to send; the acknowledgements are written with it, once the window has passed
            engine.sessionWrites().durable().join();
            assertEquals(before + 1, engine.log().readTopic(stateTopic, 0, 10_000).size(),
                    "QoS 1 progress within the window waits for the timer");
            clock.advance(Duration.ofMillis(BrokerEngine.SESSION_RECORD_WINDOW_MS));
            engine.sessionWrites().durable().join();
            List<io.gomq.core.log.LogRecord> states = engine.log().readTopic(stateTopic, 0, 10_000);
            assertEquals(before + 2, states.size());
            SessionState last = new LogSessionJournal(engine.log()).reload().stream()
                    .filter(st -> st.clientId().equals("batch")).findFirst().orElseThrow();
            assertEquals(Map.of(), last.inflight(), "every send completed");
        }
    }

    /**
     * Six pending 1 MiB QoS 2 messages are more than one record of the log may hold (4 MiB with the
     * default 1 MiB payloads): each is a record of its own, so the session stays writable, and a
     * new leader gets back the ones not released.
     */
    @Test
    void incomingQos2MessagesOutgrowingOneRecordAreEachKeptAndReleasedOnTheirOwn() {
        byte[] big = new byte[1 << 20];
        try (BrokerEngine engine = BrokerEngine.openReplicated(config())) {
            engine.restoreSessionsFromLog();
            Session pub = engine.connect("pub/1", false, null, new RecordingOutput()).session();
            for (int id = 1; id <= 6; id++) {
                big[0] = (byte) id;
                pub.inbound().receive(id, Message.builder("q2/" + id).payload(big.clone()).qos(Qos.EXACTLY_ONCE).build());
                engine.sessionWrites().durable("pub/1").join(); // what its PUBREC waits for: stored
            }
            engine.releaseInbound(pub, 2, null, Runnable::run).join();
            engine.subscribe(pub, List.of("after/#"), List.of(Qos.AT_LEAST_ONCE)); // a state written after them
            engine.sessionWrites().durable("pub/1").join();
            Session gone = engine.connect("gone", false, null, new RecordingOutput()).session();
            gone.inbound().receive(9, Message.builder("q2/gone").payload("x").qos(Qos.EXACTLY_ONCE).build());
            engine.connect("gone", true, null, new RecordingOutput()); // a clean session replaces it
            engine.sessionWrites().durable().join();
        }
        try (BrokerEngine engine = BrokerEngine.openReplicated(config())) {
            engine.restoreSessionsFromLog();
            Session pub = engine.connect("pub/1", false, null, new RecordingOutput()).session();
            assertEquals(5, pub.inbound().size());
            assertNull(pub.inbound().pending(2), "released before the failover");
            for (int id : new int[] {1, 3, 4, 5, 6}) {
                Message m = pub.inbound().pending(id);
                assertEquals("q2/" + id, m.topic());
                assertEquals(1 << 20, m.payloadSize());
                assertEquals(id, m.payloadBytes()[0]);
            }
            assertEquals(0, engine.connect("gone", false, null, new RecordingOutput()).session().inbound().size(),
                    "the replaced session's message went with it");
        }
    }

    @Test
    void clientsCannotPublishOrSubscribeUnderTheReservedPrefix() {
        try (BrokerEngine engine = BrokerEngine.openReplicated(config())) {
            assertThrows(InvalidTopicException.class,
                    () -> engine.validate(Message.of("$gomq/sessions/x", new byte[1], Qos.AT_LEAST_ONCE, true)));
            Session s = engine.connect("c", true, null, new RecordingOutput()).session();
            int[] codes = engine.subscribe(s, List.of("$gomq/#", "$gomq/sessions/+", "ok"),
                    List.of(Qos.AT_LEAST_ONCE, Qos.AT_LEAST_ONCE, Qos.AT_LEAST_ONCE));
            assertEquals(BrokerEngine.SUBSCRIBE_FAILURE, codes[0]);
            assertEquals(BrokerEngine.SUBSCRIBE_FAILURE, codes[1]);
            assertEquals(1, codes[2]);
        }
    }

    @Test
    void openReplicatedNeedsTheDurableLog() {
        assertThrows(ConfigException.class, () -> BrokerEngine.openReplicated(config().persistent(false)));
    }

    @Test
    void acknowledgementsOfPersistedMessagesWaitForTheGate() {
        try (BrokerEngine engine = BrokerEngine.openReplicated(config())) {
            engine.restoreSessionsFromLog();
            assertSame(AckGate.DONE, engine.acknowledgement(PublishResult.of(1, 5)), "no gate: at once");
            CompletableFuture<Void> gate = new CompletableFuture<>();
            engine.ackGate(offset -> gate);
            assertSame(AckGate.DONE, engine.acknowledgement(PublishResult.of(1, -1)), "not persisted: at once");
            assertSame(gate, engine.acknowledgement(PublishResult.of(1, 5)));
        }
    }
}
