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
    /** A record read before it was acknowledged (its bytes copied: the cursor reuses its own), or offset -1. */
    private byte[] pending = new byte[256];
    private int pendingLength;
    private long pendingOffset = -1;
    /** The record {@link #advance} found: valid until the next call. */
    private byte[] bytes;
    private int from;
    private int length;
    private long offset;

    TailingReader(ChronicleMessageLog log, long from) {
        this.log = log;
        this.position = from;
    }

    @Override
    public LogRecord next() {
        return advance() ? new LogRecord(offset, RecordCodec.decode(bytes, from, null)) : null;
    }

    @Override
    public int readInto(RecordBatch batch, int maxBytes) {
        int n = 0;
        while (batch.length() < maxBytes && advance()) {
            batch.add(bytes, from, length);
            n++;
        }
        return n;
    }

    /** Moves to the next acknowledged record ({@link #bytes}...); false when there is none yet. */
    private boolean advance() {
        long end = log.durableEnd();
        if (pendingOffset >= 0) {
            if (pendingOffset >= end) {
                return false;
            }
            found(pending, 0, pendingLength, pendingOffset);
            pendingOffset = -1;
            return true;
        }
        for (int guard = 0; guard < 1_000_000; guard++) {
            if (position >= end || log.isClosed()) {
                return false;
            }
            if (cursor == null || segment.isRetired()) {
                if (!locate()) {
                    return false;
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
                if (off >= end) {
                    keepPending(off);
                    return false;
                }
                found(cursor.bytes(), cursor.from(), cursor.length(), off);
                return true;
            }
            if (!cursor.exhausted()) {
                return false; // the head has nothing more yet
            }
            position = Math.max(position, segment.nextOffset());
            dropCursor();
        }
        return false;
    }

    private void found(byte[] b, int at, int len, long off) {
        bytes = b;
        from = at;
        length = len;
        offset = off;
        position = off + 1;
    }

    private void keepPending(long off) {
        int len = cursor.length();
        if (pending.length < len) {
            pending = new byte[Math.max(len, pending.length * 2)];
        }
        System.arraycopy(cursor.bytes(), cursor.from(), pending, 0, len);
        pendingLength = len;
        pendingOffset = off;
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
        return pendingOffset >= 0 ? pendingOffset : position;
    }

    @Override
    public void seek(long offset) {
        pendingOffset = -1;
        position = Math.max(0, offset);
        dropCursor();
    }

    @Override
    public void close() {
        dropCursor();
    }
}
