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
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.Checksum;

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
 * before the JIT had compiled it. Even the page check runs interpreted for most of a start-up
 * (the compiler queue is long then) and took 1.3-2 s of a restart after kill -9; so a chunk is
 * first checked whole by two checksums that the JDK computes natively, compiled or not
 * ({@link CRC32}, {@link Adler32}): a chunk whose both sums equal an all-zero chunk's is skipped.
 * Data that matches both by chance has a likelihood near 2<sup>-64</sup>; a record's first four
 * bytes alone are a burst that CRC-32 always detects.
 */
final class StrayRecords {
    private static final int CHUNK = 1 << 20;
    private static final int PAGE = 4096;
    private static final byte[] ZEROS = new byte[PAGE];
    private static final byte[] MAGIC = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
            .putInt(RecordCodec.MAGIC).array();
    private static final int FULL = CHUNK + MAGIC.length;
    private static final long ZERO_CRC = zeroSum(new CRC32(), FULL);
    private static final long ZERO_ADLER = zeroSum(new Adler32(), FULL);

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

    /** Whether {@code b[0..n)} holds only zeros, by its checksums (see the class comment). */
    static boolean allZero(byte[] b, int n) {
        boolean full = n == FULL;
        return sum(new CRC32(), b, n) == (full ? ZERO_CRC : zeroSum(new CRC32(), n))
                && sum(new Adler32(), b, n) == (full ? ZERO_ADLER : zeroSum(new Adler32(), n));
    }

    private static long sum(Checksum c, byte[] b, int n) {
        c.update(b, 0, n);
        return c.getValue();
    }

    private static long zeroSum(Checksum c, int n) {
        for (int left = n; left > 0; left -= ZEROS.length) {
            c.update(ZEROS, 0, Math.min(left, ZEROS.length));
        }
        return c.getValue();
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
                int i = allZero(buf.array(), n) ? -1 : firstMagic(buf.array(), n);
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
