package io.gomq.bench.connections;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One idle MQTT connection: sends CONNECT (clean session, the given keep-alive), waits for
 * CONNACK, then only a PINGREQ per keep-alive period; or, with {@code churn}, a DISCONNECT right
 * after the CONNACK, and the broker closes the connection. Raw bytes rather than an MQTT client
 * library, so the tool holds tens of thousands of connections in a few megabytes.
 *
 * <p>Runs on its channel's event loop.
 */
final class IdleClient extends ChannelInboundHandlerAdapter {
    private static final byte[] PINGREQ = {(byte) 0xC0, 0};
    /** DISCONNECT, normal (MQTT 5 reads the empty remainder as reason 0). */
    private static final byte[] DISCONNECT = {(byte) 0xE0, 0};
    private static final int CONNACK = 0x20;

    /** What became of a connection: connected or failed, once; closed after connected. */
    interface Outcome {
        void connected(EventLoop loop);

        void failed(EventLoop loop, String reason);

        /** A connection that was told {@link #connected} has closed. */
        void closed(EventLoop loop);
    }

    private final String clientId;
    private final int protocol;
    private final int keepAliveSeconds;
    private final boolean churn;
    private final Outcome outcome;
    private boolean answered;
    private boolean connected;

    IdleClient(String clientId, int protocol, int keepAliveSeconds, boolean churn, Outcome outcome) {
        this.clientId = clientId;
        this.protocol = protocol;
        this.keepAliveSeconds = keepAliveSeconds;
        this.churn = churn;
        this.outcome = outcome;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(connect(clientId, protocol, keepAliveSeconds)));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            // the first bytes a broker sends are the CONNACK (4 bytes, more with MQTT 5 properties);
            // later reads are PINGRESPs, ignored
            if (!answered && in.readableBytes() >= 4) {
                answered = true;
                int reason = in.getUnsignedByte(in.readerIndex() + 3);
                if (in.getUnsignedByte(in.readerIndex()) != CONNACK || reason != 0) {
                    outcome.failed(ctx.channel().eventLoop(), "CONNACK " + reason);
                    ctx.close();
                    return;
                }
                connected = true;
                outcome.connected(ctx.channel().eventLoop());
                if (churn) {
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(DISCONNECT)); // the broker closes the connection
                } else if (keepAliveSeconds > 0) {
                    ctx.executor().scheduleAtFixedRate(() -> ctx.writeAndFlush(Unpooled.wrappedBuffer(PINGREQ)),
                            keepAliveSeconds, keepAliveSeconds, TimeUnit.SECONDS);
                }
            }
        } finally {
            in.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connected) {
            outcome.closed(ctx.channel().eventLoop());
        } else if (!answered) {
            answered = true;
            outcome.failed(ctx.channel().eventLoop(), "closed before CONNACK");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!answered) {
            answered = true;
            outcome.failed(ctx.channel().eventLoop(), String.valueOf(cause.getMessage()));
        }
        ctx.close();
    }

    /** A CONNECT packet: clean session/start, no credentials, no will. */
    static byte[] connect(String clientId, int protocol, int keepAliveSeconds) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        int properties = protocol == 5 ? 1 : 0; // MQTT 5: an empty property list
        int remaining = 10 + properties + 2 + id.length;
        ByteBuf b = Unpooled.buffer(2 + remaining);
        b.writeByte(0x10);
        writeRemainingLength(b, remaining);
        b.writeShort(4).writeBytes("MQTT".getBytes(StandardCharsets.US_ASCII));
        b.writeByte(protocol);
        b.writeByte(0x02); // clean session / clean start
        b.writeShort(keepAliveSeconds);
        if (protocol == 5) {
            b.writeByte(0);
        }
        b.writeShort(id.length).writeBytes(id);
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        return bytes;
    }

    private static void writeRemainingLength(ByteBuf b, int length) {
        do {
            int digit = length % 128;
            length /= 128;
            b.writeByte(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
    }
}
