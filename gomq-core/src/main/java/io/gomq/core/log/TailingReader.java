package io.gomq.core.log;

import io.gomq.core.log.segment.Segment;
import io.gomq.core.log.segment.SegmentCursor;

/**
 * {@link LogReader} over the segment list: reads one segment with its cursor, moves to the
 * next when a sealed one is exhausted, and re-locates by offset when its segment was replaced
 * (compaction) or deleted (retention). Returns only acknowledged records (offset below the
 * log's durable end), so with FSYNC a reader never sees a record that could vanish.
 */
final class TailingReader implements LogReader {
    private final ChronicleMessageLog log;
    private long position;
    private Segment segment;
    private SegmentCursor cursor;
    private LogRecord pending;

    TailingReader(ChronicleMessageLog log, long from) {
        this.log = log;
        this.position = from;
    }

    @Override
    public LogRecord next() {
        long end = log.durableEnd();
        if (pending != null) {
            if (pending.offset() >= end) {
                return null;
            }
            LogRecord r = pending;
            pending = null;
            position = r.offset() + 1;
            return r;
        }
        for (int guard = 0; guard < 1_000_000; guard++) {
            if (position >= end || log.isClosed()) {
                return null;
            }
            if (cursor == null || segment.isRetired()) {
                if (!locate()) {
                    return null;
                }
            }
            boolean got;
            try {
                got = cursor.next();
            } catch (RuntimeException e) {
                if (!segment.isRetired()) {
                    throw e;
                }
                dropCursor(); // replaced while we read it: locate again by offset
                continue;
            }
            if (got) {
                long off = cursor.offset();
                LogRecord r = new LogRecord(off, RecordCodec.decode(cursor.bytes(), cursor.from(), null));
                if (off >= end) {
                    pending = r;
                    return null;
                }
                position = off + 1;
                return r;
            }
            if (!cursor.exhausted()) {
                return null; // the head has nothing more yet
            }
            position = Math.max(position, segment.nextOffset());
            dropCursor();
        }
        return null;
    }

    private boolean locate() {
        dropCursor();
        Segment s = log.segments().segmentFor(position);
        if (s == null) {
            return false;
        }
        position = Math.max(position, s.baseOffset());
        segment = s;
        cursor = s.cursor();
        cursor.seek(position);
        return true;
    }

    private void dropCursor() {
        if (cursor != null) {
            try {
                cursor.close();
            } catch (RuntimeException ignored) {
                // its segment may be closed already
            }
            cursor = null;
            segment = null;
        }
    }

    @Override
    public long position() {
        return pending != null ? pending.offset() : position;
    }

    @Override
    public void seek(long offset) {
        pending = null;
        position = Math.max(0, offset);
        dropCursor();
    }

    @Override
    public void close() {
        dropCursor();
    }
}
