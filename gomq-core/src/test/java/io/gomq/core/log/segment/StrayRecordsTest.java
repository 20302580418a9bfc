package io.gomq.core.log.segment;

import io.gomq.core.log.RecordCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StrayRecordsTest {
    private static final byte[] MAGIC = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN)
            .putInt(RecordCodec.MAGIC).array();

    @TempDir
    Path dir;

    @Test
    void findsMagicAnywhereInASparseFileOfChronicleSize() throws IOException {
        long size = 80L << 20;
        // across a page edge, across the 1 MiB read chunks, in the last bytes, after non-zero metadata
        for (long at : new long[]{0, 4094, (1 << 20) - 2, (3L << 20) + 4093, size - 4}) {
            Path f = dir.resolve("stray-" + at);
            try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                raf.setLength(size);
                raf.seek(at / 2);
                raf.write(new byte[]{1, 2, 3}); // metadata that is not a record
                raf.seek(at);
                raf.write(MAGIC);
            }
            assertEquals(at, StrayRecords.find(f, 0), "magic at " + at);
            assertEquals(-1, StrayRecords.find(f, at + 1), "nothing after " + at);
        }
    }

    @Test
    void aChunkCountsAsZeroOnlyWhenEveryByteIsZero() {
        for (int n : new int[]{1, 4095, 1 << 20, (1 << 20) + 4}) {
            byte[] b = new byte[n];
            assertTrue(StrayRecords.allZero(b, n), "zeros, " + n + " bytes");
            for (int at : new int[]{0, n / 3, n - 1}) {
                b[at] = 1;
                assertFalse(StrayRecords.allZero(b, n), "one byte at " + at + " of " + n);
                b[at] = 0;
            }
            if (n >= 4) {
                System.arraycopy(MAGIC, 0, b, n - 4, 4);
                assertFalse(StrayRecords.allZero(b, n), "a magic at the end of " + n);
                assertTrue(StrayRecords.allZero(b, n - 4), "only the bytes read count");
            }
        }
    }

    @Test
    void firstMagicIgnoresAPartialMagicAtTheEnd() {
        byte[] b = new byte[8192];
        System.arraycopy(MAGIC, 0, b, 8190, 2);
        assertEquals(-1, StrayRecords.firstMagic(b, b.length));
        System.arraycopy(MAGIC, 0, b, 4095, 4);
        assertEquals(4095, StrayRecords.firstMagic(b, b.length));
        assertEquals(-1, StrayRecords.firstMagic(b, 4098), "only the bytes read count");
    }
}
