package io.gomq.core.log.segment;

import io.gomq.core.log.LogException;
import io.gomq.core.log.RecordCodec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Finds record bytes where a segment's data should already have ended. Chronicle reads a zero
 * document header as the end of the data, so a zeroed page (or a torn header) in the middle of
 * a file would hide every later record without an error; recovery therefore looks past the
 * point where reading stopped for the start of one of our records (its magic).
 * Design note: the magic, not "any non-zero byte", because Chronicle may leave its own metadata
 * (an end-of-file marker, index arrays) after the last document.
 *
 * <p>A Chronicle data file is 80 MiB long and mostly zeros past its data, and recovery searches
 * every segment's: all-zero pages are skipped with one {@link Arrays#mismatch} each (vectorised;
 * a magic cannot start in them, its first byte is not zero), and only the few others are searched
 * byte by byte. A plain byte loop over the zeros took about 2 s of a restart on a loaded machine,
 * before the JIT had compiled it.
 */
final class StrayRecords {
    private static final int CHUNK = 1 << 20;
    private static final int PAGE = 4096;
    private static final byte[] ZEROS = new byte[PAGE];
    private static final byte[] MAGIC = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
            .putInt(RecordCodec.MAGIC).array();

    private StrayRecords() {
    }

    /** The index of the first magic that fits in {@code b[0..n)}, or -1. */
    static int firstMagic(byte[] b, int n) {
        for (int page = 0; page < n; page += PAGE) {
            int len = Math.min(PAGE, n - page);
            if (Arrays.mismatch(b, page, page + len, ZEROS, 0, len) < 0) {
                continue;
            }
            for (int i = page, end = Math.min(page + len, n - MAGIC.length + 1); i < end; i++) {
                if (b[i] == MAGIC[0] && b[i + 1] == MAGIC[1] && b[i + 2] == MAGIC[2] && b[i + 3] == MAGIC[3]) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** The position of the first record magic in {@code file} at or after {@code from}, or -1. */
    static long find(Path file, long from) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(CHUNK + MAGIC.length);
            long at = from;
            long size = ch.size();
            while (at < size) {
                buf.clear();
                int n = 0;
                while (buf.hasRemaining() && at + n < size) {
                    int r = ch.read(buf, at + n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
                int i = firstMagic(buf.array(), n);
                if (i >= 0) {
                    return at + i;
                }
                if (n <= MAGIC.length) {
                    return -1;
                }
                at += n - (MAGIC.length - 1); // overlap: a magic split across two chunks
            }
            return -1;
        } catch (IOException e) {
            throw new LogException("cannot read " + file, e);
        }
    }
}
