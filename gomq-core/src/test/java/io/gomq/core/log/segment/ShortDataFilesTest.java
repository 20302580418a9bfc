package io.gomq.core.log.segment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ShortDataFilesTest {
    private static final long BLOCK = 64 << 20;
    private static final long OVERLAP = 16 << 20;

    @Test
    void shouldCoverTheChunkThatHoldsTheLastByte() {
        assertEquals(BLOCK + OVERLAP, ShortDataFiles.chunkEnd(1, BLOCK, OVERLAP));
        assertEquals(BLOCK + OVERLAP, ShortDataFiles.chunkEnd(BLOCK + OVERLAP, BLOCK, OVERLAP), "a whole file");
        assertEquals(2 * BLOCK + OVERLAP, ShortDataFiles.chunkEnd(BLOCK + OVERLAP + 1, BLOCK, OVERLAP));
        assertEquals(2 * BLOCK + OVERLAP, ShortDataFiles.chunkEnd(2 * BLOCK + OVERLAP, BLOCK, OVERLAP));
    }

    @Test
    void shouldExtendACutFileWithZerosAndLeaveItsBytesAndOtherFiles(@TempDir Path dir) throws Exception {
        byte[] head = {1, 2, 3, 4, 5};
        Path cut = Files.write(dir.resolve("20261130L.cq4"), head);
        Path whole = dir.resolve("20261201L.cq4");
        try (RandomAccessFile f = new RandomAccessFile(whole.toFile(), "rw")) {
            f.setLength(BLOCK + OVERLAP);
        }
        Path other = Files.write(dir.resolve("metadata.cq4t"), head);

        ShortDataFiles.coverMappedChunks(dir, BLOCK, OVERLAP);

        assertEquals(BLOCK + OVERLAP, Files.size(cut));
        try (RandomAccessFile f = new RandomAccessFile(cut.toFile(), "r")) {
            byte[] start = new byte[6];
            f.readFully(start);
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 0}, start);
        }
        assertEquals(BLOCK + OVERLAP, Files.size(whole));
        assertEquals(head.length, Files.size(other), "not a data file");
    }
}
