package io.gomq.core.log;

import io.gomq.core.message.Message;
import io.gomq.core.topic.Topics;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The current retained message per topic, in memory, rebuilt from the log at recovery.
 *
 * <p>Design note: a hash map holds the messages (a retained publish replaces its topic's entry
 * in O(1), on the append path); a sorted set of the topics serves wildcard lookups, which only
 * have to visit the topics that share the filter's literal prefix (everything before the first
 * wildcard level): {@code sensors/+/temp} scans the {@code sensors/} range, not all topics.
 * The set changes only when a topic gains or loses its retained message.
 * Written by one thread at a time (under the log's write lock); read by any thread.
 */
final class RetainedStore {
    private final ConcurrentHashMap<String, LogRecord> byTopic = new ConcurrentHashMap<>();
    private final ConcurrentSkipListSet<String> sortedTopics = new ConcurrentSkipListSet<>();

    /** Applies a retained record: an empty payload deletes the topic's retained message. */
    void apply(long offset, Message m) {
        if (m.isEmptyPayload()) {
            remove(m.topic());
        } else if (byTopic.put(m.topic(), new LogRecord(offset, m)) == null) {
            sortedTopics.add(m.topic());
        }
    }

    void removeIfAt(String topic, long offset) {
        LogRecord r = byTopic.get(topic);
        if (r != null && r.offset() == offset) {
            remove(topic);
        }
    }

    private void remove(String topic) {
        if (byTopic.remove(topic) != null) {
            sortedTopics.remove(topic);
        }
    }

    LogRecord get(String topic) {
        return byTopic.get(topic);
    }

    int size() {
        return byTopic.size();
    }

    Iterable<LogRecord> all() {
        return byTopic.values();
    }

    List<LogRecord> matching(String filter) {
        if (!Topics.hasWildcard(filter)) {
            LogRecord r = byTopic.get(filter);
            return r == null ? List.of() : List.of(r);
        }
        String prefix = literalPrefix(filter);
        NavigableSet<String> range = prefix.isEmpty() ? sortedTopics
                : sortedTopics.subSet(prefix, true, prefix + Character.MAX_VALUE, true);
        List<LogRecord> out = new ArrayList<>();
        for (String topic : range) {
            if (Topics.matches(filter, topic)) {
                LogRecord r = byTopic.get(topic);
                if (r != null) { // deleted since the set was read
                    out.add(r);
                }
            }
        }
        return out;
    }

    /**
     * Everything before the first wildcard level, without its trailing separator ("a/#" also
     * matches "a" itself).
     */
    static String literalPrefix(String filter) {
        int plus = filter.indexOf(Topics.SINGLE_LEVEL);
        int hash = filter.indexOf(Topics.MULTI_LEVEL);
        int w = plus < 0 ? hash : hash < 0 ? plus : Math.min(plus, hash);
        if (w <= 0) {
            return "";
        }
        return filter.substring(0, w - 1);
    }
}
