package io.gomq.launcher.transport;

import io.gomq.launcher.transport.TransportMetrics.Violation;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket frames to the MQTT byte stream and back. Inbound, the payload of binary and
 * continuation frames goes on to {@link MqttFrameDecoder} as it is (its buffer, no copy): frame
 * and packet boundaries are independent, a packet may span frames and a frame may hold several
 * packets. A text frame breaks MQTT over WebSocket (binary only, MQTT-6.0.0-1): it is counted,
 * answered with close 1003 and the connection closes. Outbound, each buffer the connection writes
 * becomes one binary frame; the connection still flushes once per batch.
 *
 * <p>Ping, pong and close frames are answered by Netty's protocol handler in front of this one.
 * Runs on the channel's event loop only.
 */
final class WebSocketFrames extends ChannelDuplexHandler {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketFrames.class);

    private final TransportMetrics metrics;
    private boolean refused;

    WebSocketFrames(TransportMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!refused && (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame)) {
            ctx.fireChannelRead(((WebSocketFrame) msg).content()); // the decoder releases it
            return;
        }
        ReferenceCountUtil.release(msg);
        if (msg instanceof TextWebSocketFrame && !refused) {
            refused = true; // the text message's continuation frames, still in flight, are dropped with it
            metrics.violation(Violation.WEBSOCKET_TEXT_FRAME).increment();
            LOG.info("closing {}: protocol violation, text frame (MQTT over WebSocket is binary only)",
                    ctx.channel().remoteAddress());
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.INVALID_MESSAGE_TYPE))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf packet) {
            ctx.write(new BinaryWebSocketFrame(packet), promise); // the frame owns the buffer now
        } else {
            ctx.write(msg, promise); // the handshake response, close frames
        }
    }
}
