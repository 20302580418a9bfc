package io.gomq.launcher.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Raw MQTT bytes in and out of an {@link EmbeddedChannel}, for the connection's unit tests. */
final class EmbeddedWire {
    private EmbeddedWire() {
    }

    /** CONNECT, MQTT 3.1.1, clean session, keep-alive 0, client id {@code id}. */
    static byte[] connect(String id) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{0x10, (byte) (12 + id.length()), 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 0, 0, (byte) id.length()});
        out.writeBytes(id.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** Everything the channel wrote so far, releasing the buffers. */
    static byte[] readAll(EmbeddedChannel ch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            byte[] a = new byte[b.readableBytes()];
            b.readBytes(a);
            b.release();
            out.writeBytes(a);
        }
        return out.toByteArray();
    }
}
