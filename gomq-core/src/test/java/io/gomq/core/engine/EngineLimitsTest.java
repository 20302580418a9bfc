package io.gomq.core.engine;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.ConfigException;
import io.gomq.core.message.Message;
import io.gomq.core.message.Qos;
import io.gomq.core.session.RecordingOutput;
import io.gomq.core.session.Session;
import io.gomq.core.topic.InvalidTopicException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's abuse limits: topic length and levels, subscriptions per session, retained topics. */
class EngineLimitsTest {
    @TempDir
    Path dir;

    private static Message msg(String topic, boolean retain) {
        return Message.builder(topic).payload("x").qos(Qos.AT_MOST_ONCE).retain(retain).build();
    }

    private static String levels(int n) {
        return String.join("/", Collections.nCopies(n, "l"));
    }

    @Test
    void topicsOverTheLengthOrLevelLimitAreRefusedAndCounted() {
        try (BrokerEngine engine = new BrokerEngine(BrokerConfig.defaults().persistent(false)
                .maxTopicLength(20).maxTopicLevels(4))) {
            assertDoesNotThrow(() -> engine.validate(msg("a/b/c/d", false)));
            InvalidTopicException deep = assertThrows(InvalidTopicException.class, () -> engine.validate(msg("a/b/c/d/e", false)));
            assertTrue(deep.getMessage().contains("max-topic-levels=4"), deep.getMessage());
            InvalidTopicException longer = assertThrows(InvalidTopicException.class,
                    () -> engine.validate(msg("x".repeat(21), false)));
            assertTrue(longer.getMessage().contains("max-topic-length=20"), longer.getMessage());
            // UTF-8 bytes, not chars: 7 x 3 bytes
            assertThrows(InvalidTopicException.class, () -> engine.validate(msg("\u20ac".repeat(7), false)));

            Session s = engine.connect("c", true, null, new RecordingOutput()).session();
            int[] codes = engine.subscribe(s, List.of("a/+/c/#", "a/b/c/d/#", "y".repeat(21)),
                    List.of(Qos.AT_LEAST_ONCE, Qos.AT_LEAST_ONCE, Qos.AT_LEAST_ONCE));
            assertArrayEquals(new int[] {1, BrokerEngine.SUBSCRIBE_FAILURE, BrokerEngine.SUBSCRIBE_FAILURE}, codes);
            assertEquals(1, engine.topicTree().subscriptionCount());
            assertEquals(2, engine.metrics().refusedTopicLevels.sum());
            assertEquals(3, engine.metrics().refusedTopicLength.sum());
        }
    }

    @Test
    void aThousandLevelTopicIsRefusedByDefault() {
        try (BrokerEngine engine = new BrokerEngine(BrokerConfig.defaults().persistent(false))) {
            assertDoesNotThrow(() -> engine.validate(msg(levels(128), false)));
            assertThrows(InvalidTopicException.class, () -> engine.validate(msg(levels(1_000), false)));
        }
    }

    @Test
    void subscriptionsOverThePerSessionLimitGetQuotaExceeded() {
        try (BrokerEngine engine = new BrokerEngine(BrokerConfig.defaults().persistent(false).maxSubscriptionsPerSession(3))) {
            Session s = engine.connect("c", true, null, new RecordingOutput()).session();
            List<String> filters = List.of("f/1", "f/2", "f/3", "f/4", "f/1");
            int[] codes = engine.subscribe(s, filters, Collections.nCopies(filters.size(), Qos.AT_MOST_ONCE));
            // the fifth replaces a subscription the session holds: no new one, so allowed
            assertArrayEquals(new int[] {0, 0, 0, BrokerEngine.SUBSCRIBE_QUOTA_EXCEEDED, 0}, codes);
            assertEquals(3, s.subscriptions().size());
            assertEquals(1, engine.metrics().refusedSubscriptions.sum());
            engine.unsubscribe(s, List.of("f/2"));
            assertArrayEquals(new int[] {0}, engine.subscribe(s, List.of("f/4"), List.of(Qos.AT_MOST_ONCE)),
                    "room again after an unsubscribe");
            Session other = engine.connect("other", true, null, new RecordingOutput()).session();
            assertArrayEquals(new int[] {0}, engine.subscribe(other, List.of("f/9"), List.of(Qos.AT_MOST_ONCE)),
                    "the limit is per session");
        }
    }

    @Test
    void retainedMessagesOverTheLimitAreRefusedInMemory() {
        try (BrokerEngine engine = new BrokerEngine(BrokerConfig.defaults().persistent(false).maxRetainedMessages(2))) {
            assertRetainedLimit(engine);
        }
    }

    @Test
    void retainedMessagesOverTheLimitAreRefusedInTheLog() {
        try (BrokerEngine engine = BrokerEngine.open(BrokerConfig.defaults().dataDir(dir).maxRetainedMessages(2))) {
            assertRetainedLimit(engine);
        }
    }

    private static void assertRetainedLimit(BrokerEngine engine) {
        for (String t : List.of("r/1", "r/2")) {
            engine.validate(msg(t, true));
            Publishing.stored(engine, msg(t, true));
        }
        RetainedLimitException e = assertThrows(RetainedLimitException.class, () -> engine.validate(msg("r/3", true)));
        assertTrue(e.getMessage().contains("max-retained-messages"), e.getMessage());
        assertDoesNotThrow(() -> engine.validate(msg("r/1", true)), "replacing one is fine");
        assertDoesNotThrow(() -> engine.validate(msg("r/3", false)), "a plain publish is fine");
        Message delete = Message.builder("r/2").payload(new byte[0]).retain(true).build();
        engine.validate(delete);
        Publishing.stored(engine, delete);
        assertDoesNotThrow(() -> engine.validate(msg("r/3", true)), "room after a delete");
        assertEquals(1, engine.metrics().refusedRetained.sum());
    }

    @Test
    void aWillIsNotRefusedForTheRetainedLimitAtConnect() {
        try (BrokerEngine engine = new BrokerEngine(BrokerConfig.defaults().persistent(false).maxRetainedMessages(1))) {
            Publishing.stored(engine, msg("r/1", true));
            assertDoesNotThrow(() -> engine.connect("w", true, msg("r/will", true), new RecordingOutput()));
        }
    }

    @Test
    void aWildcardSubscriptionPerMessageStaysWithinTheSessionLimit() {
        try (BrokerEngine engine = new BrokerEngine(BrokerConfig.defaults().persistent(false).maxSubscriptionsPerSession(100))) {
            Session s = engine.connect("c", true, null, new RecordingOutput()).session();
            List<Integer> codes = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                codes.add(engine.subscribe(s, List.of("w/" + i + "/+/#"), List.of(Qos.AT_MOST_ONCE))[0]);
                Publishing.stored(engine, msg("w/" + i + "/x/y", false));
            }
            assertEquals(100, codes.stream().filter(c -> c == 0).count());
            assertEquals(900, codes.stream().filter(c -> c == BrokerEngine.SUBSCRIBE_QUOTA_EXCEEDED).count());
            assertEquals(100, engine.topicTree().subscriptionCount());
        }
    }

    @Test
    void badLimitsNameTheirKey() {
        assertEquals("max-topic-levels", assertThrows(ConfigException.class,
                () -> BrokerConfig.defaults().maxTopicLevels(0).conclude()).key());
        assertEquals("max-retained-messages", assertThrows(ConfigException.class,
                () -> BrokerConfig.defaults().maxRetainedMessages(-1).conclude()).key());
        assertEquals("max-queued-bytes", assertThrows(ConfigException.class,
                () -> BrokerConfig.defaults().maxQueuedBytes(-1).conclude()).key());
    }
}
