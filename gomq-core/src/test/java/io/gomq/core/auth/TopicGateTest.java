package io.gomq.core.auth;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicGateTest {
    /** Rules that allow reading one topic prefix, swappable, counting their evaluations. */
    private static final class PrefixRules implements TopicAuthorizer {
        volatile String readable = "open/";
        volatile long version;
        final AtomicInteger evaluations = new AtomicInteger();

        @Override
        public TopicPermissions permissionsOf(Principal principal) {
            String prefix = readable;
            return new TopicPermissions() {
                @Override
                public boolean allows(Access access, String topic) {
                    evaluations.incrementAndGet();
                    return access == Access.READ && topic.startsWith(prefix);
                }

                @Override
                public boolean allowsSubscribe(String filter) {
                    return filter.startsWith(prefix);
                }
            };
        }

        @Override
        public long version() {
            return version;
        }
    }

    @Test
    void answersAreCachedPerTopicUntilTheRulesChange() {
        PrefixRules rules = new PrefixRules();
        List<String> audited = new ArrayList<>();
        AtomicInteger refusals = new AtomicInteger();
        TopicGate gate = new TopicGate(rules, new Principal("u", "c"), (p, action, topic, first) -> {
            refusals.incrementAndGet();
            if (first) {
                audited.add(action + " " + topic);
            }
        });
        for (int i = 0; i < 100; i++) {
            assertTrue(gate.mayRead("open/a"));
            assertFalse(gate.mayRead("closed/a"));
        }
        assertEquals(2, rules.evaluations.get(), "one evaluation per topic");
        assertEquals(100, refusals.get(), "every refused message counts");
        assertEquals(List.of("receive closed/a"), audited, "one audit line per decision");

        rules.readable = "closed/";
        rules.version++;
        assertFalse(gate.mayRead("open/a"), "a reload applies at the next message");
        assertTrue(gate.mayRead("closed/a"));
        assertFalse(gate.mayWrite("closed/a"));
        assertFalse(gate.maySubscribe("open/#"));
        assertEquals(List.of("receive closed/a", "receive open/a", "publish closed/a", "subscribe open/#"), audited);
    }

    @Test
    void theCacheIsBounded() {
        PrefixRules rules = new PrefixRules();
        TopicGate gate = new TopicGate(rules, Principal.anonymous("c"), null);
        for (int i = 0; i <= TopicGate.CACHE_ENTRIES; i++) {
            gate.mayRead("open/" + i);
        }
        int before = rules.evaluations.get();
        gate.mayRead("open/0"); // the least recently used one went out
        assertEquals(before + 1, rules.evaluations.get());
        gate.mayRead("open/" + TopicGate.CACHE_ENTRIES);
        assertEquals(before + 1, rules.evaluations.get(), "recent ones stay");
    }
}
