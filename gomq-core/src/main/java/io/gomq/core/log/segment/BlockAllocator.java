package io.gomq.core.log.segment;

import net.openhft.posix.OpenFlag;
import net.openhft.posix.PosixAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Gives one file real blocks over a range: {@code fallocate(2)} through Chronicle's posix
 * library (already on the class path for Chronicle Queue), which allocates without writing
 * (microseconds on ext4) and leaves existing data alone; where that is not available (no
 * native access, or a file system without fallocate) written zeros, which must then only cover
 * bytes nobody has written. Either way a full disk is an {@link IOException}, never a hole.
 *
 * <p>Thread rules: one thread at a time (the caller's lock).
 */
final class BlockAllocator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BlockAllocator.class);
    private static final int EOPNOTSUPP = 95;
    private static final int ENOSYS = 38;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();
    /** Null until the native library is loaded (a second or more on a busy machine): files opened before use zeros. */
    private static volatile PosixAPI posix;
    private static final java.util.concurrent.atomic.AtomicBoolean LOADING = new java.util.concurrent.atomic.AtomicBoolean();

    private final Path file;
    private final FileChannel channel;
    private final PosixAPI api;
    private int fd = -1;

    /** @param fallocate false: written zeros only (tests of that path) */
    BlockAllocator(Path file, boolean fallocate) throws IOException {
        this.file = file;
        this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.api = fallocate ? posix : null;
        if (api != null) {
            fd = api.open(file.toString(), OpenFlag.O_RDWR, 0);
        }
    }

    /**
     * Loads the native library once, on the calling thread (the log's maintenance thread, after
     * startup), so that neither startup nor an append waits for it; true when fallocate is available.
     */
    static synchronized boolean loadNow() {
        if (LOADING.compareAndSet(false, true)) {
            posix = nativePosix();
        }
        return posix != null;
    }

    private static PosixAPI nativePosix() {
        try {
            PosixAPI p = PosixAPI.posix();
            if (p.getClass().getSimpleName().startsWith("NoOp")) {
                LOG.info("no native fallocate: the log allocates its files with written zeros");
                return null;
            }
            return p;
        } catch (RuntimeException | LinkageError e) {
            LOG.info("no native fallocate ({}): the log allocates its files with written zeros", e.toString());
            return null;
        }
    }

    /** Whether {@link #allocate} keeps data already in the range (fallocate), so it may cover written bytes. */
    boolean keepsData() {
        return fd >= 0;
    }

    /** Allocates {@code [from, to)}; with written zeros unless {@link #keepsData()}. */
    void allocate(long from, long to) throws IOException {
        if (to <= from) {
            return;
        }
        if (fd >= 0) {
            if (api.fallocate(fd, 0, from, to - from) == 0) {
                return;
            }
            int errno = api.lastError();
            if (errno != EOPNOTSUPP && errno != ENOSYS) {
                throw new IOException("fallocate " + file + " [" + from + ", " + to + "): " + api.strerror(errno));
            }
            LOG.info("{} does not support fallocate: written zeros instead", file);
            closeFd();
        }
        for (long at = from; at < to; ) {
            ByteBuffer z = ZEROS.duplicate();
            z.limit((int) Math.min(z.capacity(), to - at));
            at += channel.write(z, at);
        }
    }

    /** Allocates {@code [0, to)} of a file that already holds data there: reads and writes back its bytes without fallocate. */
    void allocateWritten(long to) throws IOException {
        if (keepsData()) {
            allocate(0, to);
            return;
        }
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        for (long at = 0; at < to; ) {
            buf.clear().limit((int) Math.min(buf.capacity(), to - at));
            if (channel.read(buf, at) <= 0) {
                allocate(at, to); // past the end: nothing written there
                return;
            }
            buf.flip();
            while (buf.hasRemaining()) {
                at += channel.write(buf, at);
            }
        }
    }

    private void closeFd() {
        if (fd >= 0) {
            api.close(fd);
            fd = -1;
        }
    }

    @Override
    public void close() {
        closeFd();
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing {} failed", file, e);
        }
    }
}
