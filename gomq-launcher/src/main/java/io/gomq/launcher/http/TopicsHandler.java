package io.gomq.launcher.http;

import io.gomq.core.engine.BrokerEngine;
import io.gomq.core.log.MessageLog;
import io.gomq.core.message.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * GET /topics: {@code {"source":"log","topics":[{"topic":"A","count":3,"retained":true}]}}, sorted by topic;
 * {@code retained} says whether the topic holds a retained message.
 * With a durable log the counts are the log's per-topic index sizes (records that compaction
 * already removed may still count); memory-only, the topics with a retained message, count 1.
 * With topic rules, only the topics the caller may read.
 */
final class TopicsHandler implements ApiHandler {
    private final BrokerEngine engine;
    private final HttpAccess access;

    TopicsHandler(BrokerEngine engine, HttpAccess access) {
        this.engine = engine;
        this.access = access;
    }

    record TopicView(String topic, long count, boolean retained) {
    }

    record TopicsView(String source, List<TopicView> topics) {
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        java.util.function.Predicate<String> readable = access.readable(request);
        MessageLog log = engine.log();
        Map<String, Long> counts = new TreeMap<>();
        String source;
        if (log != null) {
            source = "log";
            log.topicIndexSizes().forEach((topic, n) -> counts.put(topic, n.longValue()));
        } else {
            source = "retained";
            for (Message m : engine.retained().matching("#")) {
                counts.put(m.topic(), 1L);
            }
        }
        List<TopicView> topics = new ArrayList<>(counts.size());
        counts.forEach((topic, n) -> {
            if (!io.gomq.core.engine.BrokerEngine.isReserved(topic) && readable.test(topic)) { // the broker's own records (cluster sessions)
                topics.add(new TopicView(topic, n, engine.retained().get(topic) != null));
            }
        });
        return ApiResponse.ok(new TopicsView(source, topics));
    }
}
