package io.gomq.core.log;

import io.gomq.core.log.segment.Segment;
import io.gomq.core.log.segment.SegmentCursor;

import java.util.ArrayList;
import java.util.List;

/**
 * The random-access reads of {@link ChronicleMessageLog}: one topic through its offset index
 * ({@link MessageLog#readTopic}, each record fetched by offset from its segment) and the first
 * offset at a timestamp through the time index ({@link MessageLog#offsetForTimestamp}). A
 * sequential read over all topics is a {@link TailingReader}. Like every reader
 * it returns only records below the log's durable end.
 *
 * <p>Thread rules: any thread, no lock. Works on the log's current segment list (an immutable
 * snapshot); when a segment is replaced or deleted while it is read, the read starts again on
 * the new list.
 */
final class LogReads {
    private final ChronicleMessageLog log;
    private final LogIndexes indexes;

    LogReads(ChronicleMessageLog log, LogIndexes indexes) {
        this.log = log;
        this.indexes = indexes;
    }

    List<LogRecord> readTopic(String topic, long fromOffset, int limit) {
        OffsetList l = indexes.topics().get(topic);
        if (l == null || limit <= 0) {
            return List.of();
        }
        for (int attempt = 0; ; attempt++) {
            try {
                return readTopicOnce(topic, l, fromOffset, limit);
            } catch (RuntimeException e) {
                if (attempt >= 2 || log.isClosed()) {
                    throw e;
                }
                // a segment was replaced under us: read again from the current list
            }
        }
    }

    private List<LogRecord> readTopicOnce(String topic, OffsetList list, long fromOffset, int limit) {
        List<LogRecord> out = new ArrayList<>(Math.min(limit, 64));
        long end = log.durableEnd();
        OffsetList.View l = list.view(); // one consistent state for the whole read
        int n = l.size();
        Segment seg = null;
        SegmentCursor cur = null;
        try {
            for (int i = l.firstAtLeast(fromOffset); i < n && out.size() < limit; i++) {
                long o = l.get(i);
                if (o >= end) {
                    break;
                }
                Segment s = log.segments().segmentFor(o);
                if (s == null || o < s.baseOffset()) {
                    continue; // deleted by retention
                }
                if (s != seg) {
                    if (cur != null) {
                        cur.close();
                    }
                    seg = s;
                    cur = s.cursor();
                }
                cur.seek(o);
                if (cur.next() && cur.offset() == o) {
                    out.add(new LogRecord(o, RecordCodec.decode(cur.bytes(), cur.from(), topic)));
                }
            }
        } finally {
            if (cur != null) {
                cur.close();
            }
        }
        return out;
    }

    long offsetForTimestamp(long epochMillis) {
        long start = indexes.time().scanStart(epochMillis, log.startOffset());
        try (LogReader r = log.reader(start)) {
            LogRecord rec;
            while ((rec = r.next()) != null) {
                if (rec.message().timestampMillis() >= epochMillis) {
                    return rec.offset();
                }
            }
        }
        return log.durableEnd();
    }
}
