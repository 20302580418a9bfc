package io.gomq.core.session.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The open {@code sessions.wal}: frames written at their position into space allocated ahead
 * with zeros, a step at a time. A full disk then fails the extension, before any byte of a frame
 * is written, never in the middle of one (which would hide every later frame from the next load).
 * Loading stops at the zeros after the last frame ({@link SessionWalFormat#replay}).
 *
 * <p>Thread rules: not thread-safe; {@link SessionWalWriter} serializes its use.
 */
final class SessionWal implements AutoCloseable {
    /** Allocation step: 8 steps per WAL compaction. */
    static final int STEP_BYTES = 1 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocate(64 * 1024).asReadOnlyBuffer();

    private final FileChannel channel;
    private long end;
    private long allocated;

    private SessionWal(FileChannel channel, long end, long allocated) {
        this.channel = channel;
        this.end = end;
        this.allocated = allocated;
    }

    /**
     * Opens {@code path} to write after its valid frames ending at {@code validEnd}; whatever
     * follows (a damaged tail) is overwritten with zeros, which takes no new blocks.
     */
    static SessionWal open(Path path, long validEnd) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            long size = ch.size();
            zero(ch, validEnd, size);
            return new SessionWal(ch, validEnd, size);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /** Position of the next frame: the WAL's length in use. */
    long bytes() {
        return end;
    }

    /** Writes {@code length} bytes of whole frames; an IOException (no space to allocate) leaves the WAL as it was. */
    void append(byte[] frames, int length) throws IOException {
        long need = end + length;
        if (need > allocated) {
            long target = Math.max(need, allocated + STEP_BYTES);
            zero(channel, allocated, target);
            allocated = target;
        }
        ByteBuffer bb = ByteBuffer.wrap(frames, 0, length);
        long at = end;
        while (bb.hasRemaining()) {
            at += channel.write(bb, at);
        }
        end = at;
    }

    /** Rewrites the header of {@code header}'s generation and clears every frame after it (in place: no new blocks). */
    void restart(byte[] header) throws IOException {
        zero(channel, header.length, end);
        ByteBuffer bb = ByteBuffer.wrap(header);
        long at = 0;
        while (bb.hasRemaining()) {
            at += channel.write(bb, at);
        }
        end = header.length;
    }

    void force() throws IOException {
        channel.force(false);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static void zero(FileChannel ch, long from, long to) throws IOException {
        for (long at = from; at < to; ) {
            ByteBuffer z = ZEROS.duplicate();
            z.limit((int) Math.min(z.capacity(), to - at));
            at += ch.write(z, at);
        }
    }
}
