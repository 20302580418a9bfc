package io.gomq.launcher.transport;

import io.gomq.core.codec.DecodeResult;
import io.gomq.core.codec.MqttDecoder;
import io.gomq.core.codec.Connect;
import io.gomq.core.codec.Disconnect;
import io.gomq.core.codec.MqttEncoder;
import io.gomq.core.codec.PacketProperties;
import io.gomq.core.time.BrokerClock;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Bytes to {@code MqttPacket}s through the core's strict {@link MqttDecoder}; Netty only keeps
 * the unread bytes between reads. A malformed packet is counted by its reason and closes this
 * connection (no exception reaches the pipeline); the decoder then discards all input.
 *
 * <p>Also remembers when the client last sent anything, for the keep-alive check: bytes of a
 * large PUBLISH still arriving count as activity.
 *
 * <p>Pacing: while the connection's pacer holds its reads, nothing more is decoded. The packets
 * of a read that arrive after the pause stay undecoded here (at most the rest of one socket
 * read, since reads stop with the pause, plus one partial packet: memory the cumulation holds
 * anyway), and {@link #decodeHeld()} hands them on once the pacer resumes. So a publisher that
 * is paced in the middle of a read publishes nothing more until the subscriber made room.
 *
 * <p>Runs on the channel's event loop only.
 */
final class MqttFrameDecoder extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(MqttFrameDecoder.class);

    private final MqttDecoder decoder;
    private final TransportMetrics metrics;
    private final BrokerClock clock;
    private long lastReadNanos;
    private ConnectionPacer pacer;
    private BooleanSupplier alsoHold = () -> false;
    private ChannelHandlerContext ctx;

    /** {@code clock}: the broker's, on which keep-alive silence is measured. */
    MqttFrameDecoder(int maxPacketBytes, TransportMetrics metrics, BrokerClock clock) {
        this.decoder = new MqttDecoder(maxPacketBytes);
        this.metrics = metrics;
        this.clock = clock;
        this.lastReadNanos = clock.nanos();
    }

    /** Capacity of the buffer holding undecoded input (0: none held; Netty frees it once all is decoded). */
    int heldBytes() {
        return internalBuffer().capacity();
    }

    long lastReadNanos() {
        return lastReadNanos;
    }

    /** Input waits while {@code p} holds reads. */
    void pacedBy(ConnectionPacer p) {
        this.pacer = p;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        this.ctx = ctx;
        super.handlerAdded(ctx);
    }

    /** Input also waits while {@code hold} says so (the publish rate). */
    void alsoHoldWhile(BooleanSupplier hold) {
        this.alsoHold = hold;
    }

    /** The pacer resumed: decodes what was held, as if it had just been read (the pacer may pause again). */
    void decodeHeld() {
        if (ctx == null || ctx.isRemoved() || !internalBuffer().isReadable()) {
            return;
        }
        try {
            super.channelRead(ctx, Unpooled.EMPTY_BUFFER);
            channelReadComplete(ctx); // flushes what the packets answered
        } catch (Exception e) {
            ctx.fireExceptionCaught(e);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        lastReadNanos = clock.nanos();
        if (msg instanceof ByteBuf b) {
            metrics.bytesRead.add(b.readableBytes());
        }
        super.channelRead(ctx, msg);
    }

    /**
     * One packet per call: Netty passes each one on before it calls again, so a packet that pauses
     * the publisher stops the decoding of the next.
     */
    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if ((pacer != null && pacer.holdsReads()) || alsoHold.getAsBoolean()) {
            return; // paced: the rest of this read waits in the cumulation
        }
        // The buffer's own cached view where it has one: a new view per packet was a seventh of the
        // broker's allocation per QoS 0 message. Its position need not be 0, hence viewStart.
        ByteBuffer view = in.nioBufferCount() == 1 ? in.internalNioBuffer(in.readerIndex(), in.readableBytes())
                : in.nioBuffer(in.readerIndex(), in.readableBytes());
        int viewStart = view.position();
        DecodeResult r = decoder.decode(view);
        if (r.isNeedMore()) {
            return;
        }
        in.skipBytes(view.position() - viewStart);
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
