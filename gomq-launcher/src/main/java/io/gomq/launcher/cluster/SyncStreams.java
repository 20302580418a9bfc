package io.gomq.launcher.cluster;

import io.gomq.core.replication.SyncCodec;
import io.gomq.core.replication.SyncPacket;
import io.gomq.core.replication.SyncProtocolException;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/** Reads and writes {@link SyncPacket}s on blocking streams. */
final class SyncStreams {
    private SyncStreams() {
    }

    /** Reads one whole packet; the length limit is checked before the body is read. */
    static SyncPacket read(DataInputStream in, SyncCodec codec, int maxPacketBytes) throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("replication connection closed");
        }
        byte[] header = new byte[5];
        header[0] = (byte) type;
        int n = 1;
        int len = 0;
        int shift = 0;
        while (true) {
            if (n > 4) {
                throw new SyncProtocolException("remaining length longer than 4 bytes");
            }
            int b = in.readUnsignedByte();
            header[n++] = (byte) b;
            len |= (b & 0x7F) << shift;
            shift += 7;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if (len > maxPacketBytes) {
            throw new SyncProtocolException("packet of " + len + " bytes exceeds the limit of " + maxPacketBytes);
        }
        byte[] all = new byte[n + len];
        System.arraycopy(header, 0, all, 0, n);
        in.readFully(all, n, len);
        SyncPacket p = codec.decode(ByteBuffer.wrap(all));
        if (p == null) {
            throw new SyncProtocolException("incomplete packet");
        }
        return p;
    }

    static void write(OutputStream out, SyncCodec codec, SyncPacket p) throws IOException {
        buffer(out, codec, p);
        out.flush();
    }

    /** Writes {@code p} into the stream's buffer without flushing: it leaves with the next {@link #write}. */
    static void buffer(OutputStream out, SyncCodec codec, SyncPacket p) throws IOException {
        ByteBuffer b = codec.encode(p);
        out.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
    }
}
