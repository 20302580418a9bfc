package io.gomq.core.engine;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.message.Message;
import io.gomq.core.message.MessageProperties;
import io.gomq.core.message.Qos;
import io.gomq.core.session.RecordingOutput;
import io.gomq.core.session.Session;
import io.gomq.core.topic.SubscriptionOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MQTT 5 subscription options and message expiry, driven the way the transport drives the engine. */
@Timeout(10)
class SubscriptionOptionsTest {
    private final BrokerEngine engine = new BrokerEngine(BrokerConfig.defaults().persistent(false));

    @AfterEach
    void close() {
        engine.close();
    }

    private Session connect(String id, RecordingOutput out) {
        return engine.connect(id, true, null, out).session();
    }

    private void subscribe(Session s, String filter, SubscriptionOptions o) {
        engine.subscribeWithOptions(s, List.of(filter), List.of(o));
    }

    private static SubscriptionOptions options(boolean noLocal, boolean asPublished, int retainHandling, int id) {
        return new SubscriptionOptions(Qos.AT_LEAST_ONCE, noLocal, asPublished, retainHandling, id);
    }

    private static Message from(String origin, String topic, String body, boolean retain) {
        return Message.wrap(topic, null, body.getBytes(), Qos.AT_LEAST_ONCE, retain, System.currentTimeMillis(),
                MessageProperties.NONE, origin);
    }

    private static List<String> bodies(RecordingOutput out) {
        return out.publishes().stream().map(p -> p.message().payloadAsString()).toList();
    }

    @Test
    void noLocalSubscriptionSkipsTheSubscribersOwnMessagesOnly() {
        RecordingOutput out = new RecordingOutput();
        Session me = connect("me", out);
        subscribe(me, "chat", options(true, false, 0, 0));
        Publishing.stored(engine, from("me", "chat", "mine", false));
        Publishing.stored(engine, from("other", "chat", "theirs", false));
        me.drain(10);
        assertEquals(List.of("theirs"), bodies(out));
    }

    @Test
    void noLocalHoldsForMessagesReadBackFromTheLogAfterARestart(@TempDir Path dir) {
        BrokerConfig config = BrokerConfig.defaults().dataDir(dir);
        try (BrokerEngine durable = BrokerEngine.open(config)) {
            RecordingOutput out = new RecordingOutput();
            Session me = durable.connect("me", false, null, out).session();
            durable.subscribeWithOptions(me, List.of("chat"), List.of(options(true, false, 0, 0)));
            assertTrue(me.publishesNeedOrigin(), "its publishes carry its id into the log");
            durable.disconnect(me, out, true);
            Publishing.stored(durable, from("me", "chat", "mine", false));
            Publishing.stored(durable, from("other", "chat", "theirs", false));
        }
        try (BrokerEngine durable = BrokerEngine.open(config)) {
            RecordingOutput out = new RecordingOutput();
            Session me = durable.connect("me", false, null, out).session();
            assertTrue(me.publishesNeedOrigin(), "restored with its No Local subscription");
            me.drain(10);
            assertEquals(List.of("theirs"), bodies(out), "read from the log, its own message is still skipped");
        }
    }

    @Test
    void anOverlappingSubscriptionWithoutNoLocalStillDeliversOwnMessages() {
        RecordingOutput out = new RecordingOutput();
        Session me = connect("me", out);
        subscribe(me, "chat", options(true, false, 0, 0));
        engine.subscribeWithOptions(me, List.of("#"), List.of(SubscriptionOptions.of(Qos.AT_MOST_ONCE)));
        Publishing.stored(engine, from("me", "chat", "mine", false));
        me.drain(10);
        assertEquals(List.of("mine"), bodies(out));
        assertEquals(Qos.AT_MOST_ONCE, out.publishes().get(0).message().qos(), "only the QoS 0 subscription matched");
    }

    @Test
    void retainAsPublishedKeepsTheRetainFlagOfLiveMessages() {
        RecordingOutput plain = new RecordingOutput();
        RecordingOutput keep = new RecordingOutput();
        Session a = connect("plain", plain);
        Session b = connect("keep", keep);
        subscribe(a, "r", options(false, false, 0, 0));
        subscribe(b, "r", options(false, true, 0, 0));
        Publishing.stored(engine, from("x", "r", "live", true));
        a.drain(10);
        b.drain(10);
        assertFalse(plain.publishes().get(0).message().retain());
        assertTrue(keep.publishes().get(0).message().retain());
    }

    @Test
    void retainHandlingDecidesWhetherRetainedMessagesAreSentOnSubscribe() {
        Publishing.stored(engine, from("x", "r/1", "kept", true));
        RecordingOutput out = new RecordingOutput();
        Session s = connect("s", out);
        subscribe(s, "r/#", options(false, false, SubscriptionOptions.NO_RETAINED, 0));
        s.drain(10);
        assertEquals(List.of(), bodies(out), "2: never");
        engine.unsubscribe(s, List.of("r/#"));
        subscribe(s, "r/#", options(false, false, SubscriptionOptions.SEND_RETAINED_IF_NEW, 0));
        s.drain(10);
        assertEquals(List.of("kept"), bodies(out), "1: the subscription is new");
        assertTrue(out.publishes().get(0).message().retain(), "a retained message sent on subscribe has RETAIN 1");
        subscribe(s, "r/#", options(false, false, SubscriptionOptions.SEND_RETAINED_IF_NEW, 0));
        s.drain(10);
        assertEquals(1, out.publishes().size(), "1: not for a subscription that existed");
        subscribe(s, "r/#", options(false, false, SubscriptionOptions.SEND_RETAINED, 0));
        s.drain(10);
        assertEquals(2, out.publishes().size(), "0: always");
    }

    @Test
    void oneDeliveryCarriesTheIdentifiersOfEveryMatchingSubscription() {
        RecordingOutput out = new RecordingOutput();
        Session s = connect("s", out);
        subscribe(s, "a/+", options(false, false, 0, 5));
        subscribe(s, "a/#", options(false, false, 0, 7));
        subscribe(s, "+/b", options(false, false, 0, 0));
        Publishing.stored(engine, from("x", "a/b", "m", false));
        s.drain(10);
        assertEquals(1, out.publishes().size());
        assertArrayEquals(new int[] {5, 7}, out.publishes().get(0).message().subscriptionIds());
    }

    @Test
    void aSubscriptionWithoutOptionsGetsNoIdentifiers() {
        RecordingOutput out = new RecordingOutput();
        Session s = connect("s", out);
        engine.subscribe(s, List.of("a"), List.of(Qos.AT_LEAST_ONCE));
        Publishing.stored(engine, from("x", "a", "m", false));
        s.drain(10);
        assertNull(out.publishes().get(0).message().subscriptionIds());
    }

    @Test
    void anExpiredQueuedMessageIsNotDeliveredAndAFreshOneIsWithItsProperties() {
        RecordingOutput out = new RecordingOutput();
        Session s = connect("s", out);
        engine.subscribe(s, List.of("e"), List.of(Qos.AT_LEAST_ONCE));
        MessageProperties twoSeconds = MessageProperties.builder().messageExpirySeconds(2).userProperty("k", "v").build();
        long now = System.currentTimeMillis();
        Publishing.stored(engine, Message.builder("e").payload("stale").qos(1).properties(twoSeconds).timestampMillis(now - 5_000).build());
        Publishing.stored(engine, Message.builder("e").payload("fresh").qos(1).properties(twoSeconds).timestampMillis(now).build());
        s.drain(10);
        assertEquals(List.of("fresh"), bodies(out));
        assertEquals(1, s.skippedCount());
        Message fresh = out.publishes().get(0).message();
        assertEquals(twoSeconds, fresh.properties());
        assertTrue(fresh.properties().remainingExpirySeconds(fresh.timestampMillis(), System.currentTimeMillis()) >= 1);
    }
}
