package io.gomq.core.retained;

import io.gomq.core.message.Message;

import java.util.List;

/** The newest retained message per topic (MQTT 3.3.1.3). Thread-safe. */
public interface RetainedStore {
    /** Stores {@code message} as its topic's retained message; an empty payload deletes it. */
    void put(Message message);

    /** The retained message of one topic, or null. */
    Message get(String topic);

    /** Per topic matching {@code filter}, its retained message. */
    List<Message> matching(String filter);

    int size();
}
