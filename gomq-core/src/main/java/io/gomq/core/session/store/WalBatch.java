package io.gomq.core.session.store;

import org.jctools.queues.MessagePassingQueue;

/**
 * The frames of one write of the session store's writer, side by side in one buffer: a batch is
 * one {@code write(2)}. A frame larger than the buffer is a batch of its own.
 *
 * <p>Thread rules: the writer thread only.
 */
final class WalBatch {
    private final byte[] buffer;
    private byte[] bytes;
    private int length;

    WalBatch(int capacity) {
        this.buffer = new byte[capacity];
        this.bytes = buffer;
    }

    /**
     * Takes frames from {@code queue} in order while they fit; returns how many (0 when the
     * batch before was not written yet: it is written again first).
     */
    int fill(MessagePassingQueue<byte[]> queue) {
        if (length > 0) {
            return 0;
        }
        int n = 0;
        byte[] next;
        while ((next = queue.relaxedPeek()) != null) {
            if (n == 0 && next.length > buffer.length) {
                bytes = next;
                length = next.length;
                queue.relaxedPoll();
                return 1;
            }
            if (length + next.length > buffer.length) {
                break;
            }
            System.arraycopy(next, 0, buffer, length, next.length);
            length += next.length;
            queue.relaxedPoll();
            n++;
        }
        return n;
    }

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }

    /** Written: the next {@link #fill} starts empty. */
    void clear() {
        length = 0;
        bytes = buffer;
    }
}
