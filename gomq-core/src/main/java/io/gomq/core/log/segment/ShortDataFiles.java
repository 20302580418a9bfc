package io.gomq.core.log.segment;

import io.gomq.core.log.LogException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Makes a cut-short Chronicle data file safe to map. Chronicle maps a file in chunks of
 * {@code blockSize + overlapSize} bytes whether or not the file is that long, and a read of a
 * mapped page past the file's end is a SIGBUS, which Java reports asynchronously ("a fault
 * occurred in a recent unsafe memory access"), somewhere after the read that caused it. A
 * file Chronicle wrote always covers the chunks its data lies in (Chronicle extends it when it
 * maps one), so a file ending inside a chunk was cut short, or was extended by our allocator
 * past the last chunk (harmless); either way it is extended with a hole up to that chunk's end
 * before the segment is read. A hole takes no disk blocks (this works on a full disk) and
 * reads as zeros, which recovery sees as the end of the data; records a cut removed are
 * reported by the scan's own checks (Chronicle's header still counts them).
 */
final class ShortDataFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ShortDataFiles.class);

    private ShortDataFiles() {
    }

    /** Extends each data file of segment {@code dir} that ends inside a mapped chunk. */
    static void coverMappedChunks(Path dir, long blockSize, long overlapSize) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(f -> f.toString().endsWith(".cq4")).sorted().toList();
        } catch (IOException e) {
            throw new LogException("cannot list " + dir, e);
        }
        for (Path f : files) {
            try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                long length = raf.length();
                long covered = chunkEnd(length, blockSize, overlapSize);
                if (length > 0 && length < covered) {
                    LOG.info("log data file {} ends at {} bytes, inside the chunk Chronicle maps up to {}: extended"
                            + " with a hole (zeros, no disk blocks) so that reading stops there instead of faulting",
                            f, length, covered);
                    raf.setLength(covered);
                }
            } catch (IOException e) {
                throw new LogException("cannot check the length of " + f, e);
            }
        }
    }

    /**
     * The end of the chunk mapping that holds position {@code length - 1}; a file at least that long
     * is never read past its end.
     */
    static long chunkEnd(long length, long blockSize, long overlapSize) {
        long chunks = Math.max(1, (length - overlapSize + blockSize - 1) / blockSize);
        return chunks * blockSize + overlapSize;
    }
}
