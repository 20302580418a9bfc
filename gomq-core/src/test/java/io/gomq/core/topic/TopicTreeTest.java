package io.gomq.core.topic;

import io.gomq.core.message.Qos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicTreeTest {

    private static Map<String, Qos> asMap(Targets<String> t) {
        Map<String, Qos> m = new HashMap<>();
        for (int i = 0; i < t.size(); i++) {
            assertEquals(null, m.put(t.subscriber(i), t.granted(i)), "subscriber twice: " + t.subscriber(i));
        }
        return m;
    }

    @Test
    void shouldDeliverOneCopyAtHighestQosWhenSubscriptionsOverlap() {
        TopicTree<String> tree = new TopicTree<>();
        tree.subscribe("a/#", "s1", Qos.AT_MOST_ONCE);
        tree.subscribe("a/+/c", "s1", Qos.EXACTLY_ONCE);
        tree.subscribe("a/b/c", "s1", Qos.AT_LEAST_ONCE);
        tree.subscribe("#", "s2", Qos.AT_LEAST_ONCE);
        tree.subscribe("a/b/c", "s2", Qos.AT_MOST_ONCE);
        assertEquals(Map.of("s1", Qos.EXACTLY_ONCE, "s2", Qos.AT_LEAST_ONCE), asMap(tree.match("a/b/c")));
        assertEquals(Map.of("s1", Qos.AT_MOST_ONCE, "s2", Qos.AT_LEAST_ONCE), asMap(tree.match("a/x")));
    }

    @Test
    void shouldReplaceQosWhenSameFilterSubscribedAgain() {
        TopicTree<String> tree = new TopicTree<>();
        assertTrue(tree.subscribe("a", "s", Qos.AT_MOST_ONCE));
        assertFalse(tree.subscribe("a", "s", Qos.EXACTLY_ONCE));
        assertEquals(1, tree.subscriptionCount());
        assertEquals(Map.of("s", Qos.EXACTLY_ONCE), asMap(tree.match("a")));
    }

    @Test
    void shouldStopMatchingWhenUnsubscribedAndRefreshCachedResult() {
        TopicTree<String> tree = new TopicTree<>();
        tree.subscribe("a/+", "s1", Qos.AT_MOST_ONCE);
        tree.subscribe("a/b", "s2", Qos.AT_MOST_ONCE);
        Targets<String> first = tree.match("a/b");
        assertSame(first, tree.match("a/b"), "unchanged tree serves the cached result");
        assertTrue(tree.unsubscribe("a/+", "s1"));
        assertEquals(Map.of("s2", Qos.AT_MOST_ONCE), asMap(tree.match("a/b")));
        assertTrue(tree.unsubscribe("a/b", "s2"));
        assertEquals(0, tree.match("a/b").size());
        assertFalse(tree.unsubscribe("a/b", "s2"));
        assertEquals(0, tree.subscriptionCount());
    }

    @Test
    void shouldNotMatchDollarTopicsWithLeadingWildcard() {
        TopicTree<String> tree = new TopicTree<>();
        tree.subscribe("#", "all", Qos.AT_MOST_ONCE);
        tree.subscribe("+/x", "plus", Qos.AT_MOST_ONCE);
        tree.subscribe("$SYS/#", "sys", Qos.AT_MOST_ONCE);
        assertEquals(Map.of("sys", Qos.AT_MOST_ONCE), asMap(tree.match("$SYS/x")));
        assertEquals(Map.of("all", Qos.AT_MOST_ONCE, "plus", Qos.AT_MOST_ONCE), asMap(tree.match("a/x")));
    }

    @Test
    @Timeout(30)
    void shouldHoldTenThousandTopicsAndSubscriptions() {
        TopicTree<Object> tree = new TopicTree<>();
        Object[] subscribers = new Object[10_000]; // subscribers are matched by identity, like sessions
        for (int i = 0; i < 10_000; i++) {
            subscribers[i] = new Object();
            tree.subscribe("devices/" + i + "/temp", subscribers[i], Qos.AT_LEAST_ONCE);
        }
        tree.subscribe("devices/+/temp", new Object(), Qos.AT_MOST_ONCE);
        assertEquals(10_001, tree.subscriptionCount());
        for (int i = 0; i < 10_000; i++) {
            Targets<Object> t = tree.match("devices/" + i + "/temp");
            assertEquals(2, t.size());
        }
        for (int i = 0; i < 10_000; i++) {
            assertTrue(tree.unsubscribe("devices/" + i + "/temp", subscribers[i]));
        }
        assertEquals(1, tree.match("devices/5/temp").size());
    }
}
