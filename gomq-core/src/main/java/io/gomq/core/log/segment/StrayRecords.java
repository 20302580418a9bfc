package io.gomq.core.log.segment;

import io.gomq.core.log.LogException;
import io.gomq.core.log.RecordCodec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Finds record bytes where a segment's data should already have ended. Chronicle reads a zero
 * document header as the end of the data, so a zeroed page (or a torn header) in the middle of
 * a file would hide every later record without an error; recovery therefore looks past the
 * point where reading stopped for the start of one of our records (its magic).
 * Design note: the magic, not "any non-zero byte", because Chronicle may leave its own metadata
 * (an end-of-file marker, index arrays) after the last document.
 */
final class StrayRecords {
    private static final int CHUNK = 1 << 20;
    private static final byte[] MAGIC = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
            .putInt(RecordCodec.MAGIC).array();

    private StrayRecords() {
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
                byte[] b = buf.array();
                for (int i = 0; i + MAGIC.length <= n; i++) {
                    if (b[i] == MAGIC[0] && b[i + 1] == MAGIC[1] && b[i + 2] == MAGIC[2] && b[i + 3] == MAGIC[3]) {
                        return at + i;
                    }
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
