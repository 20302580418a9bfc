package io.gomq.core.engine;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.session.InboundQos2;
import io.gomq.core.session.RecordingOutput;
import io.gomq.core.session.Session;
import io.gomq.core.session.SessionRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sessions and QoS exchanges driven the way the transport drives them. */
class EngineSessionTest {
    private final BrokerEngine engine = new BrokerEngine(BrokerConfig.defaults().persistent(false).maxInflight(2));

    @AfterEach
    void close() {
        engine.close();
    }

    private Session connect(String id, boolean clean, RecordingOutput out) {
        return engine.connect(id, clean, null, out).session();
    }

    private static Message msg(String topic, String body, Qos qos) {
        return Message.builder(topic).payload(body).qos(qos).build();
    }

    @Test
    void shouldDeliverQos1AndFreeWindowOnPubAck() {
        RecordingOutput out = new RecordingOutput();
        Session s = connect("sub", true, out);
        engine.subscribe(s, List.of("a"), List.of(Qos.AT_LEAST_ONCE));
        for (int i = 0; i < 3; i++) {
            engine.publish(msg("a", "m" + i, Qos.AT_LEAST_ONCE), null);
        }
        s.drain(100);
        assertEquals(2, out.publishes().size(), "window of 2");
        int first = out.publishes().get(0).packetId();
        assertTrue(first > 0);
        assertTrue(s.onPubAck(first));
        assertFalse(s.onPubAck(first), "second PUBACK for the same id is unknown");
        s.drain(100);
        assertEquals(List.of("m0", "m1", "m2"), out.publishes().stream().map(p -> p.message().payloadAsString()).toList());
    }

    @Test
    void shouldDowngradeToGrantedQos() {
        RecordingOutput out = new RecordingOutput();
        Session s = connect("sub", true, out);
        engine.subscribe(s, List.of("a"), List.of(Qos.AT_MOST_ONCE));
        engine.publish(msg("a", "x", Qos.EXACTLY_ONCE), null);
        s.drain(10);
        assertEquals(Qos.AT_MOST_ONCE, out.publishes().get(0).message().qos());
        assertEquals(0, out.publishes().get(0).packetId());
    }

    @Test
    void shouldRunQos2OutboundHandshake() {
        RecordingOutput out = new RecordingOutput();
        Session s = connect("sub", true, out);
        engine.subscribe(s, List.of("a"), List.of(Qos.EXACTLY_ONCE));
        engine.publish(msg("a", "x", Qos.EXACTLY_ONCE), null);
        s.drain(10);
        int id = out.publishes().get(0).packetId();
        assertFalse(s.onPubComp(id), "PUBCOMP before PUBREC is unknown");
        assertTrue(s.onPubRec(id));
        assertTrue(s.onPubComp(id));
        assertFalse(s.onPubComp(id), "duplicate PUBCOMP");
        assertEquals(0, s.inflight().size());
    }

    @Test
    void shouldReleaseInboundQos2OnceWhenPubRelRepeats() {
        RecordingOutput subOut = new RecordingOutput();
        Session sub = connect("sub", true, subOut);
        engine.subscribe(sub, List.of("a"), List.of(Qos.EXACTLY_ONCE));
        Session pub = connect("pub", true, new RecordingOutput());
        Message m = msg("a", "once", Qos.EXACTLY_ONCE);

        assertEquals(InboundQos2.Receipt.STORED, pub.inbound().receive(7, m));
        assertEquals(InboundQos2.Receipt.DUPLICATE, pub.inbound().receive(7, m), "re-sent PUBLISH is not stored twice");
        sub.drain(10);
        assertEquals(0, subOut.publishes().size(), "not released before PUBREL");
        for (int i = 0; i < 3; i++) {
            Message released = pub.inbound().release(7);
            if (released != null) {
                engine.publish(released, null);
            }
        }
        sub.drain(10);
        assertEquals(1, subOut.publishes().size(), "released once for three PUBRELs");
    }

    @Test
    void shouldRedeliverInflightWithDupWhenPersistentSessionResumes() {
        RecordingOutput first = new RecordingOutput();
        Session s = connect("p", false, first);
        engine.subscribe(s, List.of("a"), List.of(Qos.EXACTLY_ONCE));
        engine.publish(msg("a", "q1", Qos.AT_LEAST_ONCE), null);
        engine.publish(msg("a", "q2", Qos.EXACTLY_ONCE), null);
        s.drain(10);
        int q2 = first.publishes().get(1).packetId();
        assertTrue(s.onPubRec(q2));
        engine.disconnect(s, first, false);
        engine.publish(msg("a", "offline-q1", Qos.AT_LEAST_ONCE), null);
        engine.publish(msg("a", "offline-q0", Qos.AT_MOST_ONCE), null);

        RecordingOutput second = new RecordingOutput();
        SessionRegistry.Attached again = engine.connect("p", false, null, second);
        assertTrue(again.sessionPresent());
        assertSame(s, again.session());
        assertEquals("PUBLISH", second.sent.get(0).kind());
        assertTrue(second.sent.get(0).dup());
        assertEquals(first.publishes().get(0).packetId(), second.sent.get(0).packetId());
        assertEquals("PUBREL", second.sent.get(1).kind());
        assertEquals(q2, second.sent.get(1).packetId());
        assertTrue(s.onPubAck(second.sent.get(0).packetId()));
        assertTrue(s.onPubComp(q2));
        s.drain(10);
        List<String> bodies = second.publishes().stream().map(p -> p.message().payloadAsString()).toList();
        assertEquals(List.of("q1", "offline-q1"), bodies, "QoS 0 is not queued for an offline session");
    }

    @Test
    void shouldDiscardStoredStateWhenCleanSessionConnects() {
        RecordingOutput out = new RecordingOutput();
        Session s = connect("c", false, out);
        engine.subscribe(s, List.of("a"), List.of(Qos.AT_LEAST_ONCE));
        engine.disconnect(s, out, true);
        SessionRegistry.Attached clean = engine.connect("c", true, null, new RecordingOutput());
        assertFalse(clean.sessionPresent());
        assertEquals(0, engine.topicTree().subscriptionCount());
    }

    @Test
    void shouldPublishWillOnAbnormalEndOnly() {
        RecordingOutput watcherOut = new RecordingOutput();
        Session watcher = connect("watcher", true, watcherOut);
        engine.subscribe(watcher, List.of("wills/#"), List.of(Qos.AT_LEAST_ONCE));

        RecordingOutput a = new RecordingOutput();
        Session graceful = engine.connect("graceful", true, msg("wills/graceful", "gone", Qos.AT_LEAST_ONCE), a).session();
        engine.disconnect(graceful, a, true);
        RecordingOutput b = new RecordingOutput();
        Session crashed = engine.connect("crashed", true, msg("wills/crashed", "gone", Qos.AT_LEAST_ONCE), b).session();
        engine.disconnect(crashed, b, false);

        watcher.drain(10);
        assertEquals(List.of("wills/crashed"), watcherOut.publishes().stream().map(p -> p.message().topic()).toList());
        assertEquals(1, engine.metrics().willsPublished.sum());
    }

    @Test
    void shouldDisplaceFirstConnectionWhenSameClientIdConnects() {
        RecordingOutput first = new RecordingOutput();
        Session s = connect("dup", false, first);
        RecordingOutput second = new RecordingOutput();
        engine.connect("dup", false, null, second);
        assertTrue(first.takenOver);
        assertEquals(1, engine.metrics().sessionsTakenOver.sum());
        engine.disconnect(s, first, false); // the displaced connection's close must not end the new one
        assertSame(second, engine.sessions().get("dup").output());
    }

    @Test
    void shouldAttachAResumedSessionOnlyOnceTheDisplacedOwnerLetGo() {
        RecordingOutput first = new RecordingOutput();
        first.letGo = new java.util.concurrent.CompletableFuture<>(); // its owner thread is still busy
        Session s = connect("handover", false, first);
        engine.subscribe(s, List.of("t"), List.of(Qos.AT_LEAST_ONCE));
        engine.publish(msg("t", "in flight", Qos.AT_LEAST_ONCE), null);
        s.drain(10);
        assertEquals(1, first.publishes().size());

        RecordingOutput second = new RecordingOutput();
        SessionRegistry.Attached waiting = engine.connect("handover", false, null, second);
        assertFalse(waiting.attached(), "the old owner has not let go yet");
        assertTrue(first.takenOver);
        assertNull(s.output(), "nobody owns the session during the hand-over");
        assertTrue(second.sent.isEmpty(), "nothing is re-sent before the old owner let go");
        engine.publish(msg("t", "meanwhile", Qos.AT_LEAST_ONCE), null);
        assertFalse(engine.attach(waiting, second), "too early: the hand-over is not complete");

        first.letGo.complete(null);
        assertTrue(engine.attach(waiting, second));
        assertSame(second, s.output());
        assertTrue(second.publishes().get(0).dup(), "the in-flight message is re-sent with DUP");
        s.drain(10);
        assertEquals(List.of("in flight", "meanwhile"),
                second.publishes().stream().map(p -> p.message().payloadAsString()).toList());
    }

    @Test
    void shouldCloseAConnectionStillWaitingForItsHandOverWhenAThirdOneConnects() {
        RecordingOutput first = new RecordingOutput();
        first.letGo = new java.util.concurrent.CompletableFuture<>();
        Session s = connect("three", false, first);
        RecordingOutput second = new RecordingOutput();
        SessionRegistry.Attached secondWaits = engine.connect("three", false, null, second);
        RecordingOutput third = new RecordingOutput();
        SessionRegistry.Attached thirdWaits = engine.connect("three", false, null, third);
        assertTrue(second.takenOver, "the waiting connection is displaced too");
        assertFalse(thirdWaits.attached(), "the third still waits for the first owner");

        first.letGo.complete(null);
        assertFalse(engine.attach(secondWaits, second));
        assertTrue(engine.attach(thirdWaits, third));
        assertSame(third, s.output());
    }

    @Test
    void shouldForgetAWaitingConnectionThatGivesUp() {
        RecordingOutput first = new RecordingOutput();
        first.letGo = new java.util.concurrent.CompletableFuture<>();
        Session s = connect("slow", false, first);
        RecordingOutput second = new RecordingOutput();
        SessionRegistry.Attached waiting = engine.connect("slow", false, null, second);
        engine.abandon(waiting, second);
        first.letGo.complete(null);
        assertFalse(engine.attach(waiting, second));
        RecordingOutput third = new RecordingOutput();
        assertTrue(engine.connect("slow", false, null, third).attached(), "the old owner is gone: attached at once");
        assertSame(third, s.output());
    }

    @Test
    void shouldNotLeaveADiscardedSessionSubscribedWhenItsOldOwnerSubscribesLate() {
        RecordingOutput first = new RecordingOutput();
        Session old = connect("late", true, first);
        connect("late", true, new RecordingOutput()); // a clean takeover discards the old session
        engine.subscribe(old, List.of("late/t"), List.of(Qos.AT_MOST_ONCE)); // the old owner was mid-SUBSCRIBE
        assertEquals(0, engine.publish(msg("late/t", "x", Qos.AT_MOST_ONCE), null));
    }

    @Test
    void shouldAnswerSubackFailureForInvalidFilter() {
        Session s = connect("s", true, new RecordingOutput());
        int[] codes = engine.subscribe(s, List.of("ok/+", "bad#", "x"), List.of(Qos.AT_LEAST_ONCE, Qos.AT_MOST_ONCE, Qos.EXACTLY_ONCE));
        assertArrayEquals(new int[]{1, 0x80, 2}, codes);
    }

    @Test
    void shouldSendNewestRetainedToNewSubscriptionAndDeleteOnEmptyPayload() {
        engine.publish(Message.builder("r/1").payload("old").retain(true).build(), null);
        engine.publish(Message.builder("r/1").payload("new").retain(true).build(), null);
        engine.publish(Message.builder("r/2").payload("two").retain(true).build(), null);
        engine.publish(Message.builder("r/2").payload(new byte[0]).retain(true).build(), null);
        RecordingOutput out = new RecordingOutput();
        Session s = connect("s", true, out);
        engine.subscribe(s, List.of("r/#"), List.of(Qos.AT_LEAST_ONCE));
        s.drain(10);
        assertEquals(1, out.publishes().size());
        Message got = out.publishes().get(0).message();
        assertEquals("new", got.payloadAsString());
        assertTrue(got.retain(), "retained copies keep RETAIN=1");
        assertEquals(Qos.AT_MOST_ONCE, got.qos(), "published at QoS 0, delivered at min(0, granted)");
        engine.publish(Message.builder("r/1").payload("live").retain(true).build(), null);
        s.drain(10);
        assertFalse(out.publishes().get(1).message().retain(), "live copies go out with RETAIN=0");
    }

    @Test
    void shouldRejectPayloadOverLimitAndInvalidTopicAndClosedBroker() {
        BrokerEngine small = new BrokerEngine(BrokerConfig.defaults().persistent(false).maxPayloadBytes(4));
        PayloadTooLargeException big = assertThrows(PayloadTooLargeException.class,
                () -> small.validate(Message.builder("a").payload("12345").build()));
        assertTrue(big.getMessage().contains("max-payload-bytes=4"));
        assertThrows(io.gomq.core.topic.InvalidTopicException.class, () -> small.validate(Message.builder("a/+").build()));
        small.close();
        assertThrows(BrokerClosedException.class, () -> small.publish(Message.builder("a").build(), null));
        assertNull(engine.sessions().get("nobody"));
    }
}
