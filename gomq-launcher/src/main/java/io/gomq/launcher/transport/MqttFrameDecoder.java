package io.gomq.launcher.transport;

import io.gomq.core.codec.DecodeResult;
import io.gomq.core.codec.MqttDecoder;
import io.gomq.core.codec.Connect;
import io.gomq.core.codec.Disconnect;
import io.gomq.core.codec.MqttEncoder;
import io.gomq.core.codec.PacketProperties;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Bytes to {@code MqttPacket}s through the core's strict {@link MqttDecoder}; Netty only keeps
 * the unread bytes between reads. A malformed packet is counted by its reason and closes this
 * connection (no exception reaches the pipeline); the decoder then discards all input.
 *
 * <p>Also remembers when the client last sent anything, for the keep-alive check: bytes of a
 * large PUBLISH still arriving count as activity.
 *
 * <p>Runs on the channel's event loop only.
 */
final class MqttFrameDecoder extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(MqttFrameDecoder.class);

    private final MqttDecoder decoder;
    private final TransportMetrics metrics;
    private long lastReadNanos = System.nanoTime();

    MqttFrameDecoder(int maxPacketBytes, TransportMetrics metrics) {
        this.decoder = new MqttDecoder(maxPacketBytes);
        this.metrics = metrics;
    }

    long lastReadNanos() {
        return lastReadNanos;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        lastReadNanos = System.nanoTime();
        if (msg instanceof ByteBuf b) {
            metrics.bytesRead.add(b.readableBytes());
        }
        super.channelRead(ctx, msg);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int start = in.readerIndex();
            ByteBuffer view = in.nioBuffer(start, in.readableBytes());
            DecodeResult r = decoder.decode(view);
            if (r.isNeedMore()) {
                return;
            }
            in.skipBytes(view.position());
            if (r instanceof DecodeResult.Failure f) {
                in.skipBytes(in.readableBytes());
                metrics.malformed(f.error()).increment();
                LOG.info("closing {}: malformed packet, {} ({})", ctx.channel().remoteAddress(), f.error(), f.detail());
                if (decoder.protocolLevel() == Connect.PROTOCOL_LEVEL_5) {
                    // MQTT 5: the spec's reason code in a DISCONNECT, then the close
                    Disconnect d = new Disconnect(f.error().disconnectReason(), PacketProperties.NONE);
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(MqttEncoder.encode(d, Connect.PROTOCOL_LEVEL_5)))
                            .addListener(ChannelFutureListener.CLOSE);
                } else {
                    ctx.close();
                }
                return;
            }
            out.add(r.packet());
        }
    }
}
