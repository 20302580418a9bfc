package io.gomq.core.log;

import io.gomq.core.message.Message;
import io.gomq.core.topic.Topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The current retained message per topic, in memory, rebuilt from the log at recovery.
 *
 * <p>Design note: a sorted map rather than a topic tree, because a wildcard lookup only has to
 * visit the topics that share the filter's literal prefix (everything before the first
 * wildcard level): {@code sensors/+/temp} scans the {@code sensors/} range, not all topics.
 * Written by the append path only; read by any thread.
 */
final class RetainedStore {
    private final ConcurrentSkipListMap<String, LogRecord> byTopic = new ConcurrentSkipListMap<>();

    /** Applies a retained record: an empty payload deletes the topic's retained message. */
    void apply(long offset, Message m) {
        if (m.isEmptyPayload()) {
            byTopic.remove(m.topic());
        } else {
            byTopic.put(m.topic(), new LogRecord(offset, m));
        }
    }

    void removeIfAt(String topic, long offset) {
        LogRecord r = byTopic.get(topic);
        if (r != null && r.offset() == offset) {
            byTopic.remove(topic, r);
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
        Map<String, LogRecord> range = prefix.isEmpty() ? byTopic : byTopic.subMap(prefix, true, prefix + Character.MAX_VALUE, true);
        List<LogRecord> out = new ArrayList<>();
        for (Map.Entry<String, LogRecord> e : range.entrySet()) {
            if (Topics.matches(filter, e.getKey())) {
                out.add(e.getValue());
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
