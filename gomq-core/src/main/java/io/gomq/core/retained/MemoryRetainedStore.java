package io.gomq.core.retained;

import io.gomq.core.message.Message;
import io.gomq.core.topic.Topics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** Retained messages in memory: a map by topic, scanned for wildcard filters. */
public final class MemoryRetainedStore implements RetainedStore {
    private final ConcurrentHashMap<String, Message> byTopic = new ConcurrentHashMap<>();

    @Override
    public void put(Message message) {
        if (message.isEmptyPayload()) {
            byTopic.remove(message.topic());
        } else {
            byTopic.put(message.topic(), message);
        }
    }

    @Override
    public Message get(String topic) {
        return byTopic.get(topic);
    }

    @Override
    public List<Message> matching(String filter) {
        if (!Topics.hasWildcard(filter)) {
            Message m = byTopic.get(filter);
            return m == null ? List.of() : List.of(m);
        }
        List<Message> out = new ArrayList<>();
        for (Message m : byTopic.values()) {
            if (Topics.matches(filter, m.topic())) {
                out.add(m);
            }
        }
        return out;
    }

    @Override
    public int size() {
        return byTopic.size();
    }
}
