package io.gomq.core.log;

import io.gomq.core.message.Message;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Records as the log stores them ({@link RecordCodec}'s layout, each ending with its CRC32C),
 * back to back, each after its length (4 bytes, big endian), offsets increasing. The leader
 * copies them out of its segments into a SYNCACK and a member appends them as they are, so a
 * replicated record is neither decoded nor encoded again on its way (its CRC is checked once,
 * when a member receives it: {@link #received}).
 *
 * <p>Not thread-safe. A batch being filled ({@link LogReader#readInto}) grows as needed.
 */
public final class RecordBatch {
    private static final byte[] EMPTY_BYTES = new byte[0];

    private byte[] bytes;
    private int length;
    private int count;
    private long lastOffset;

    private RecordBatch(byte[] bytes, int length, int count, long lastOffset) {
        this.bytes = bytes;
        this.length = length;
        this.count = count;
        this.lastOffset = lastOffset;
    }

    /** An empty batch to fill, with room for {@code capacity} bytes before it grows. */
    public RecordBatch(int capacity) {
        this(new byte[Math.max(capacity, 64)], 0, 0, -1);
    }

    /** A batch without records (a heartbeat, a truncation order). */
    public static RecordBatch empty() {
        return new RecordBatch(EMPTY_BYTES, 0, 0, -1);
    }

    /** Encodes {@code records} (offsets increasing). */
    public static RecordBatch of(List<LogRecord> records) {
        RecordBatch b = new RecordBatch(records.size() * 64);
        RecordCodec codec = new RecordCodec();
        for (LogRecord r : records) {
            int n = codec.encode(r.offset(), r.message());
            b.add(codec.array(), 0, n);
        }
        return b;
    }

    /**
     * Wraps {@code count} records received from a peer in {@code bytes[0, length)} after checking
     * each (length, layout, CRC32C) and that offsets increase; the batch keeps the array.
     *
     * @throws IllegalArgumentException with what is wrong
     */
    public static RecordBatch received(byte[] bytes, int length, int count) {
        RecordCodec codec = new RecordCodec();
        int pos = 0;
        long prev = -1;
        for (int k = 0; k < count; k++) {
            if (pos + 4 > length) {
                throw new IllegalArgumentException("batch holds fewer than " + count + " records");
            }
            int n = lengthAt(bytes, pos);
            pos += 4;
            if (n < 0 || n > length - pos) {
                throw new IllegalArgumentException("record " + k + " length " + n + " beyond the batch");
            }
            String bad = codec.validate(bytes, pos, n);
            if (bad != null) {
                throw new IllegalArgumentException("record " + k + ": " + bad);
            }
            long offset = RecordCodec.offset(bytes, pos);
            if (offset <= prev) {
                throw new IllegalArgumentException("offsets not increasing: " + offset + " after " + prev);
            }
            prev = offset;
            pos += n;
        }
        if (pos != length) {
            throw new IllegalArgumentException("batch has " + (length - pos) + " bytes after its records");
        }
        return new RecordBatch(bytes, length, count, prev);
    }

    /** Empties the batch for reuse (keeps its array). */
    public void clear() {
        length = 0;
        count = 0;
        lastOffset = -1;
    }

    /** Appends one stored record, {@code record[from, from+len)}; its offset must exceed the last one's. */
    public void add(byte[] record, int from, int len) {
        if (length + 4 + len > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + 4 + len, bytes.length * 2));
        }
        byte[] b = bytes;
        int p = length;
        b[p] = (byte) (len >>> 24);
        b[p + 1] = (byte) (len >>> 16);
        b[p + 2] = (byte) (len >>> 8);
        b[p + 3] = (byte) len;
        System.arraycopy(record, from, b, p + 4, len);
        length = p + 4 + len;
        count++;
        lastOffset = RecordCodec.offset(record, from);
    }

    /** Records in the batch. */
    public int size() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** Bytes of the batch: records and their lengths. */
    public int length() {
        return length;
    }

    /** The batch's bytes: [0, {@link #length()}) is valid. */
    public byte[] array() {
        return bytes;
    }

    /** The offset of the last record, -1 when empty. */
    public long lastOffset() {
        return lastOffset;
    }

    /** The length of the record whose length field is at {@code pos}; the record follows it. */
    public static int lengthAt(byte[] bytes, int pos) {
        return (bytes[pos] & 0xFF) << 24 | (bytes[pos + 1] & 0xFF) << 16 | (bytes[pos + 2] & 0xFF) << 8 | bytes[pos + 3] & 0xFF;
    }

    /** Decodes every record (tests, tools: replication itself never does). */
    public List<LogRecord> toList() {
        List<LogRecord> out = new ArrayList<>(count);
        for (int p = 0; p < length; ) {
            int n = lengthAt(bytes, p);
            Message m = RecordCodec.decode(bytes, p + 4, null);
            out.add(new LogRecord(RecordCodec.offset(bytes, p + 4), m));
            p += 4 + n;
        }
        return out;
    }

    @Override
    public String toString() {
        return "RecordBatch[" + count + " records, " + length + " bytes, last offset " + lastOffset + "]";
    }
}
