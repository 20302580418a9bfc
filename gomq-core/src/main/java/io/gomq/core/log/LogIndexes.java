package io.gomq.core.log;

import io.gomq.core.log.compaction.Compactor;
import io.gomq.core.message.Message;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The log's in-memory indexes, rebuilt at recovery: topic -> offsets, the time index and the
 * retained messages. See "Indexes" in gomq-core/LOG.md.
 *
 * <p>Thread rules: one writer at a time (recovery, then appends under the log's write lock);
 * readers on any thread without a lock.
 */
final class LogIndexes {
    private final ConcurrentHashMap<String, OffsetList> topics = new ConcurrentHashMap<>();
    private final TimeIndex time = new TimeIndex();
    private final RetainedStore retained = new RetainedStore();

    Map<String, OffsetList> topics() {
        return topics;
    }

    TimeIndex time() {
        return time;
    }

    RetainedStore retained() {
        return retained;
    }

    /** Recovery callback: adds one valid record. */
    void indexRecord(byte[] b, int from, int len) {
        long offset = RecordCodec.offset(b, from);
        String topic = RecordCodec.topic(b, from);
        topics.computeIfAbsent(topic, t -> new OffsetList(16)).add(offset);
        time.add(offset, RecordCodec.timestamp(b, from));
        if (RecordCodec.retain(b, from)) {
            retained.apply(offset, RecordCodec.decode(b, from, topic));
        }
    }

    /** Under the write lock: adds a record just appended at {@code offset}. */
    void add(long offset, Message m) {
        OffsetList l = topics.get(m.topic());
        if (l == null) {
            l = new OffsetList(16);
            topics.put(m.topic(), l);
        }
        l.add(offset);
        time.add(offset, m.timestampMillis());
        if (m.retain()) {
            retained.apply(offset, m);
        }
    }

    /** Under the write lock: drops the topic index entries below {@code offset} (retention). */
    void dropTopicOffsetsBefore(long offset) {
        for (OffsetList l : topics.values()) {
            l.dropBefore(l.firstAtLeast(offset));
        }
    }

    /**
     * Under the write lock, after compaction replaced segments: drops the topic index entries of
     * records that did not survive. Only lists with entries inside a replaced range are rebuilt.
     */
    void dropCompactedAway(List<Compactor.Replacement> done) {
        if (done.isEmpty()) {
            return;
        }
        List<Compactor.Replacement> ranges = new ArrayList<>(done);
        ranges.sort(Comparator.comparingLong(r -> r.old().baseOffset()));
        for (OffsetList l : topics.values()) {
            if (touches(l, ranges)) {
                l.retain(o -> survives(o, ranges));
            }
        }
    }

    private static boolean touches(OffsetList l, List<Compactor.Replacement> ranges) {
        OffsetList.View v = l.view();
        for (Compactor.Replacement r : ranges) {
            int i = v.firstAtLeast(r.old().baseOffset());
            if (i < v.size() && v.get(i) < r.old().nextOffset()) {
                return true;
            }
        }
        return false;
    }

    private static boolean survives(long offset, List<Compactor.Replacement> ranges) {
        for (Compactor.Replacement r : ranges) {
            if (offset < r.old().baseOffset()) {
                return true; // ranges are sorted: no later one holds it
            }
            if (offset < r.old().nextOffset()) {
                return r.survived(offset);
            }
        }
        return true;
    }

    /** See {@link MessageLog#topicIndexSizes}. */
    Map<String, Integer> topicSizes() {
        Map<String, Integer> m = new HashMap<>();
        topics.forEach((k, v) -> m.put(k, v.size()));
        return m;
    }
}
