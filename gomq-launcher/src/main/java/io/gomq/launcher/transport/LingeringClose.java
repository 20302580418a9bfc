package io.gomq.launcher.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;

import java.util.concurrent.TimeUnit;

/**
 * Ends a connection after the broker's last packet (a DISCONNECT with a reason code, or a
 * refusing CONNACK) without a TCP reset: it half-closes (FIN after the packet), keeps reading
 * and dropping what the client still sends, and closes when the client does or after
 * {@link #LINGER_MS}. A plain close would answer the client's next bytes (a PUBREL, a SUBSCRIBE
 * sent right after CONNECT) with an RST, which fails the client's next write and can drop the
 * reason code still unread in its socket buffer.
 *
 * <p>TLS and WebSocket connections close at once as before (a half-close would skip their
 * close_notify / close frame). The connection's handler ignores packets once it is closing.
 *
 * <p>Thread rules: runs as a listener on the channel's event loop; the timer is scheduled there.
 */
final class LingeringClose implements ChannelFutureListener {
    /** How long a half-closed connection waits for the client to close its side. */
    static final long LINGER_MS = 1_000;

    static final LingeringClose INSTANCE = new LingeringClose();

    private LingeringClose() {
    }

    @Override
    public void operationComplete(ChannelFuture written) {
        Channel ch = written.channel();
        if (!written.isSuccess() || !(ch instanceof DuplexChannel duplex) || !ch.isActive()
                || ch.pipeline().get(SslHandler.class) != null || ch.pipeline().get(WebSocketFrames.class) != null
                || duplex.isOutputShutdown()) {
            ch.close();
            return;
        }
        duplex.shutdownOutput().addListener(shut -> {
            if (!shut.isSuccess()) {
                ch.close();
                return;
            }
            var timer = ch.eventLoop().schedule(() -> { ch.close(); }, LINGER_MS, TimeUnit.MILLISECONDS);
            ch.closeFuture().addListener(closed -> timer.cancel(false));
        });
    }
}
