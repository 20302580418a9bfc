package io.gomq.bench.load;

import java.nio.ByteBuffer;

/**
 * What a load message carries in its first {@value #HEADER} bytes, so a subscriber can time it
 * and account for it: the send time ({@link System#nanoTime}, one machine), the publisher and
 * its sequence number. The rest is filler.
 */
final class LoadPayload {
    static final int HEADER = 20;

    private LoadPayload() {
    }

    static byte[] make(int size, int publisher, long sequence) {
        byte[] b = new byte[size];
        ByteBuffer.wrap(b).putLong(System.nanoTime()).putInt(publisher).putLong(sequence);
        return b;
    }

    static long sentNanos(ByteBuffer p) {
        return p.getLong(p.position());
    }

    static int publisher(ByteBuffer p) {
        return p.getInt(p.position() + 8);
    }

    static long sequence(ByteBuffer p) {
        return p.getLong(p.position() + 12);
    }
}
