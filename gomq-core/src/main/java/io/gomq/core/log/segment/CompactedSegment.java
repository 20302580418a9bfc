package io.gomq.core.log.segment;

import io.gomq.core.log.LogException;
import io.gomq.core.log.RecordCodec;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A sealed segment rewritten by compaction: one immutable file {@code <base>.cseg} of
 * LZ4-compressed blocks. Layout (little endian):
 * <pre>
 * file header, 40 bytes:
 *   int magic "GQC1" (0x31435147), int version 1, long baseOffset, long nextOffset,
 *   int blockCount, int recordCount, int reserved, int CRC32C of the 36 bytes before
 * block header, 32 bytes, then compLen bytes of LZ4 block data:
 *   int rawLen, int compLen, long firstOffset, long lastOffset, int recordCount, int CRC32C of the LZ4 bytes
 * raw block: records, each as int length + the record bytes of {@link RecordCodec}
 * </pre>
 * The block headers are read at open into an in-memory index (binary search by offset).
 */
public final class CompactedSegment extends Segment {
    public static final String SUFFIX = ".cseg";
    static final int MAGIC = 0x31435147;
    static final int FILE_HEADER = 40;
    static final int BLOCK_HEADER = 32;
    private static final LZ4SafeDecompressor LZ4 = LZ4Factory.fastestInstance().safeDecompressor();

    private final FileChannel channel;
    private final long nextOffset;
    private final long recordCount;
    private final long rawBytes;
    private final long fileBytes;
    private final long[] blockFirst;
    private final long[] blockLast;
    private final long[] blockPos;
    private final int[] blockRaw;
    private final int[] blockComp;
    private long maxTimestamp = Long.MIN_VALUE;

    private CompactedSegment(long baseOffset, Path file, FileChannel channel, long nextOffset, long recordCount,
                             long rawBytes, long fileBytes, long[] first, long[] last, long[] pos, int[] raw, int[] comp) {
        super(baseOffset, file);
        this.channel = channel;
        this.nextOffset = nextOffset;
        this.recordCount = recordCount;
        this.rawBytes = rawBytes;
        this.fileBytes = fileBytes;
        this.blockFirst = first;
        this.blockLast = last;
        this.blockPos = pos;
        this.blockRaw = raw;
        this.blockComp = comp;
    }

    /** Opens and checks the header and block index of a compacted segment file. */
    public static CompactedSegment open(Path file) {
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            long size = ch.size();
            ByteBuffer h = ByteBuffer.allocate(FILE_HEADER).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, h, 0);
            CRC32C crc = new CRC32C();
            crc.update(h.array(), 0, FILE_HEADER - 4);
            if (h.getInt(0) != MAGIC || h.getInt(4) != 1 || (int) crc.getValue() != h.getInt(FILE_HEADER - 4)) {
                throw new LogException("not a valid compacted segment header: " + file);
            }
            long base = h.getLong(8);
            long next = h.getLong(16);
            int blocks = h.getInt(24);
            long records = h.getInt(28);
            long[] first = new long[blocks];
            long[] last = new long[blocks];
            long[] pos = new long[blocks];
            int[] raw = new int[blocks];
            int[] comp = new int[blocks];
            long p = FILE_HEADER;
            long rawTotal = 0;
            ByteBuffer bh = ByteBuffer.allocate(BLOCK_HEADER).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < blocks; i++) {
                if (p + BLOCK_HEADER > size) {
                    throw new LogException("compacted segment " + file + " truncated at block " + i + ", position " + p);
                }
                readFully(ch, bh, p);
                raw[i] = bh.getInt(0);
                comp[i] = bh.getInt(4);
                first[i] = bh.getLong(8);
                last[i] = bh.getLong(16);
                pos[i] = p;
                rawTotal += raw[i];
                p += BLOCK_HEADER + comp[i];
            }
            if (p > size) {
                throw new LogException("compacted segment " + file + " truncated: needs " + p + " bytes, has " + size);
            }
            return new CompactedSegment(base, file, ch, next, records, rawTotal, size, first, last, pos, raw, comp);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new LogException("cannot open compacted segment " + file, e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    static void readFully(FileChannel ch, ByteBuffer b, long position) throws IOException {
        b.clear();
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw new IOException("unexpected end of file at " + (position + b.position()));
            }
        }
    }

    /** Decompresses block {@code i} into {@code into} (grown if needed); returns the raw array. */
    byte[] readBlock(int i, byte[] into, ByteBuffer compBuf) {
        try {
            ByteBuffer c = compBuf.capacity() >= blockComp[i] ? compBuf : ByteBuffer.allocate(blockComp[i]);
            c.clear().limit(blockComp[i]);
            while (c.hasRemaining()) {
                if (channel.read(c, blockPos[i] + BLOCK_HEADER + c.position()) < 0) {
                    throw new IOException("unexpected end of " + path);
                }
            }
            ByteBuffer bh = ByteBuffer.allocate(BLOCK_HEADER).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, bh, blockPos[i]);
            CRC32C crc = new CRC32C();
            crc.update(c.array(), 0, blockComp[i]);
            if ((int) crc.getValue() != bh.getInt(28)) {
                throw new LogException("CRC32C mismatch in " + path + " block " + i + " at position " + blockPos[i]);
            }
            byte[] out = into != null && into.length >= blockRaw[i] ? into : new byte[blockRaw[i]];
            LZ4.decompress(c.array(), 0, blockComp[i], out, 0, blockRaw[i]);
            return out;
        } catch (IOException e) {
            throw new LogException("cannot read " + path + " block " + i, e);
        }
    }

    /** Visits every record (recovery), and learns the largest timestamp. */
    public void scan(ChronicleSegment.RecordVisitor visitor) {
        byte[] raw = null;
        ByteBuffer comp = ByteBuffer.allocate(64 * 1024);
        long maxTs = Long.MIN_VALUE;
        for (int i = 0; i < blockFirst.length; i++) {
            raw = readBlock(i, raw, comp);
            int p = 0;
            while (p < blockRaw[i]) {
                int len = RecordCodec.getIntLE(raw, p);
                maxTs = Math.max(maxTs, RecordCodec.timestamp(raw, p + 4));
                visitor.visit(raw, p + 4, len);
                p += 4 + len;
            }
        }
        maxTimestamp = maxTs;
    }

    public long rawBytes() {
        return rawBytes;
    }

    public long fileBytes() {
        return fileBytes;
    }

    @Override
    public long nextOffset() {
        return nextOffset;
    }

    @Override
    public long recordCount() {
        return recordCount;
    }

    @Override
    public long sizeBytes() {
        return fileBytes;
    }

    @Override
    public long maxTimestamp() {
        return maxTimestamp;
    }

    /** Set by the writer, which knows it without a scan. */
    void maxTimestamp(long ts) {
        maxTimestamp = ts;
    }

    @Override
    public boolean isCompacted() {
        return true;
    }

    @Override
    public boolean isSealed() {
        return true;
    }

    @Override
    public SegmentCursor cursor() {
        return new Cursor();
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    @Override
    public void deleteFiles() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new LogException("cannot delete " + path, e);
        }
    }

    private final class Cursor implements SegmentCursor {
        private final ByteBuffer comp = ByteBuffer.allocate(64 * 1024);
        private byte[] raw;
        private int block = -1;
        private int pos;
        private int from;
        private int length;
        private long offset;
        private long seek = baseOffset;

        @Override
        public void seek(long target) {
            seek = target;
            int b = Arrays.binarySearch(blockLast, target);
            b = b >= 0 ? b : -b - 1; // first block whose last offset >= target
            if (b != block) {
                block = b - 1; // next() loads block b
                pos = Integer.MAX_VALUE;
            } else {
                pos = 0;
            }
        }

        @Override
        public boolean next() {
            while (true) {
                if (block < 0 || block >= blockFirst.length || pos >= blockRaw[block]) {
                    if (block + 1 >= blockFirst.length) {
                        block = blockFirst.length;
                        return false;
                    }
                    block++;
                    raw = readBlock(block, raw, comp);
                    pos = 0;
                    continue;
                }
                int len = RecordCodec.getIntLE(raw, pos);
                long off = RecordCodec.offset(raw, pos + 4);
                from = pos + 4;
                pos += 4 + len;
                if (off >= seek) {
                    length = len;
                    offset = off;
                    seek = off + 1;
                    return true;
                }
            }
        }

        @Override
        public boolean exhausted() {
            return block >= blockFirst.length;
        }

        @Override
        public byte[] bytes() {
            return raw;
        }

        @Override
        public int from() {
            return from;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public long offset() {
            return offset;
        }

        @Override
        public void close() {
            // the channel belongs to the segment
        }
    }
}
