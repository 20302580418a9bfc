package io.gomq.core.log.segment;

import io.gomq.core.log.LogException;
import io.gomq.core.log.RecordCodec;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writes a {@link CompactedSegment} crash-safely: records go to {@code <base>.cseg.tmp}, which
 * is forced to disk and then atomically renamed to {@code <base>.cseg} (the directory is
 * forced too). A crash before the rename leaves only a temp file, which recovery deletes; the
 * source segment is deleted only after the rename, so every survivor is always on disk.
 */
public final class CompactedSegmentWriter implements AutoCloseable {
    public static final String TMP_SUFFIX = ".cseg.tmp";
    private static final int BLOCK_TARGET = 64 * 1024;
    private static final LZ4Compressor LZ4 = LZ4Factory.fastestInstance().fastCompressor();

    private final Path dir;
    private final long baseOffset;
    private final long nextOffset;
    private final Path tmp;
    private final FileChannel ch;
    private final CRC32C crc = new CRC32C();
    private byte[] raw = new byte[BLOCK_TARGET + 1024];
    private byte[] comp = new byte[LZ4.maxCompressedLength(raw.length)];
    private int rawLen;
    private int blockRecords;
    private long blockFirst = -1;
    private long blockLast;
    private long position = CompactedSegment.FILE_HEADER;
    private int blocks;
    private int records;
    private long maxTimestamp = Long.MIN_VALUE;
    private long rawBytes;
    private boolean done;

    public CompactedSegmentWriter(Path segmentsDir, long baseOffset, long nextOffset) {
        this.dir = segmentsDir;
        this.baseOffset = baseOffset;
        this.nextOffset = nextOffset;
        this.tmp = segmentsDir.resolve(Segment.name(baseOffset) + TMP_SUFFIX);
        try {
            this.ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new LogException("cannot create " + tmp, e);
        }
    }

    public void add(byte[] bytes, int from, int length) {
        if (rawLen + 4 + length > BLOCK_TARGET && rawLen > 0) {
            flushBlock();
        }
        if (raw.length < 4 + length) {
            raw = new byte[4 + length];
            comp = new byte[LZ4.maxCompressedLength(raw.length)];
        }
        ByteBuffer.wrap(raw, rawLen, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(length);
        System.arraycopy(bytes, from, raw, rawLen + 4, length);
        rawLen += 4 + length;
        long offset = RecordCodec.offset(bytes, from);
        if (blockFirst < 0) {
            blockFirst = offset;
        }
        blockLast = offset;
        blockRecords++;
        records++;
        maxTimestamp = Math.max(maxTimestamp, RecordCodec.timestamp(bytes, from));
    }

    private void flushBlock() {
        int compLen = LZ4.compress(raw, 0, rawLen, comp, 0, comp.length);
        crc.reset();
        crc.update(comp, 0, compLen);
        ByteBuffer h = ByteBuffer.allocate(CompactedSegment.BLOCK_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(rawLen).putInt(compLen).putLong(blockFirst).putLong(blockLast).putInt(blockRecords)
                .putInt((int) crc.getValue()).flip();
        write(h, position);
        write(ByteBuffer.wrap(comp, 0, compLen), position + CompactedSegment.BLOCK_HEADER);
        position += CompactedSegment.BLOCK_HEADER + compLen;
        rawBytes += rawLen;
        blocks++;
        rawLen = 0;
        blockRecords = 0;
        blockFirst = -1;
    }

    private void write(ByteBuffer b, long at) {
        try {
            while (b.hasRemaining()) {
                at += ch.write(b, at);
            }
        } catch (IOException e) {
            throw new LogException("cannot write " + tmp, e);
        }
    }

    /** Writes the header, forces, renames into place, and opens the result. */
    public CompactedSegment commit() {
        if (rawLen > 0) {
            flushBlock();
        }
        ByteBuffer h = ByteBuffer.allocate(CompactedSegment.FILE_HEADER).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(CompactedSegment.MAGIC).putInt(1).putLong(baseOffset).putLong(nextOffset).putInt(blocks)
                .putInt(records).putInt(0);
        crc.reset();
        crc.update(h.array(), 0, CompactedSegment.FILE_HEADER - 4);
        h.putInt((int) crc.getValue()).flip();
        write(h, 0);
        Path target = dir.resolve(Segment.name(baseOffset) + CompactedSegment.SUFFIX);
        try {
            ch.force(true);
            ch.close();
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory(dir);
        } catch (IOException e) {
            throw new LogException("cannot commit compacted segment " + target, e);
        }
        done = true;
        CompactedSegment s = CompactedSegment.open(target);
        s.maxTimestamp(maxTimestamp);
        return s;
    }

    public long rawBytes() {
        return rawBytes;
    }

    public int records() {
        return records;
    }

    public static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems refuse to open a directory; the rename is still atomic there
        }
    }

    /** Abandons an uncommitted write and deletes the temp file. */
    @Override
    public void close() {
        if (!done) {
            try {
                ch.close();
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                throw new LogException("cannot delete " + tmp, e);
            }
        }
    }
}
