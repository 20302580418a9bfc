package io.gomq.core.retained;

import io.gomq.core.log.LogRecord;
import io.gomq.core.log.MessageLog;
import io.gomq.core.message.Message;

import java.util.ArrayList;
import java.util.List;

/**
 * Retained messages kept by the durable log: a retained publish is appended (the router does
 * that before fan-out), and the log keeps the newest per topic, tombstones included.
 */
public final class LogRetainedStore implements RetainedStore {
    private final MessageLog log;

    public LogRetainedStore(MessageLog log) {
        this.log = log;
    }

    @Override
    public void put(Message message) {
        // nothing: the append of the retained message already updated the log's retained index
    }

    @Override
    public Message get(String topic) {
        LogRecord r = log.retained(topic);
        return r == null ? null : r.message().withOffset(r.offset());
    }

    @Override
    public List<Message> matching(String filter) {
        List<LogRecord> records = log.retainedMatching(filter);
        List<Message> out = new ArrayList<>(records.size());
        for (LogRecord r : records) {
            out.add(r.message().withOffset(r.offset()));
        }
        return out;
    }

    @Override
    public int size() {
        return log.retainedCount();
    }
}
