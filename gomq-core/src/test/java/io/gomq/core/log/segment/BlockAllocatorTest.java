package io.gomq.core.log.segment;

import io.gomq.core.testing.SmallFileSystem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both ways of allocating (fallocate and written zeros) on a real tmpfs: they take space, keep data, and fail cleanly when full. */
@Timeout(60)
class BlockAllocatorTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "fallocate={0}")
    @ValueSource(booleans = {true, false})
    void allocatesRealBlocksKeepsWrittenBytesAndFailsWithAnIOExceptionWhenFull(boolean fallocate) throws IOException {
        if (fallocate) {
            org.junit.jupiter.api.Assumptions.assumeTrue(BlockAllocator.loadNow(), "no native fallocate here");
        }
        try (SmallFileSystem fs = SmallFileSystem.mount(tmp, 4)) {
            Path f = fs.dir().resolve("segment.cq4");
            byte[] header = new byte[10_000];
            Arrays.fill(header, (byte) 7);
            Files.write(f, header);
            try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
                raf.setLength(16L << 20); // sparse, as Chronicle leaves its files
            }
            long free = fs.freeBytes();
            try (BlockAllocator a = new BlockAllocator(f, fallocate)) {
                a.allocateWritten(header.length);
                a.allocate(header.length, 1L << 20);
                assertTrue(free - fs.freeBytes() >= (1L << 20) - 16 * 1024, "about 1 MiB taken: " + (free - fs.freeBytes()));
                assertThrows(IOException.class, () -> a.allocate(1L << 20, 12L << 20), "more than the file system holds");
            }
            byte[] back = new byte[header.length];
            try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(f.toFile(), "r")) {
                raf.readFully(back);
            }
            assertArrayEquals(header, back, "the bytes already written are kept");
        }
    }
}
