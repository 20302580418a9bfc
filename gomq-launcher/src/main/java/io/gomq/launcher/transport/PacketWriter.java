package io.gomq.launcher.transport;

import io.gomq.core.codec.MqttEncoder;
import io.gomq.core.codec.MqttPacket;
import io.gomq.core.codec.PacketType;
import io.gomq.core.message.Message;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes packets straight into pooled buffers and writes them without flushing; the
 * connection flushes once per batch of reads or of deliveries (ARCHITECTURE decision 6).
 *
 * <p>While {@link #hold()} is on, packets are kept back (the session re-sends its in-flight
 * messages while it attaches, before the CONNACK may be written) and {@link #release()} writes
 * them after it. Event loop only.
 */
final class PacketWriter {
    private final ChannelHandlerContext ctx;
    private final List<ByteBuf> held = new ArrayList<>();
    private boolean holding;
    private boolean needsFlush;

    PacketWriter(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    void write(MqttPacket packet) {
        int size = MqttEncoder.encodedSize(packet);
        ByteBuf buf = ctx.alloc().ioBuffer(size, size);
        MqttEncoder.encode(buf.internalNioBuffer(0, size), packet);
        emit(buf, size);
    }

    /** Writes what is pending plus {@code packet}, then closes once it is on the wire (a refused CONNECT). */
    void writeAndClose(MqttPacket packet) {
        discard();
        int size = MqttEncoder.encodedSize(packet);
        ByteBuf buf = ctx.alloc().ioBuffer(size, size);
        MqttEncoder.encode(buf.internalNioBuffer(0, size), packet);
        buf.writerIndex(size);
        needsFlush = false;
        ctx.writeAndFlush(buf).addListener(ChannelFutureListener.CLOSE);
    }

    /** PUBACK, PUBREC, PUBREL, PUBCOMP or UNSUBACK: four bytes, no record. */
    void ack(PacketType type, int packetId) {
        ByteBuf buf = ctx.alloc().ioBuffer(4, 4);
        MqttEncoder.encodeAck(buf.internalNioBuffer(0, 4), type, packetId);
        emit(buf, 4);
    }

    /** A delivery: topic and payload go from the message into the buffer, nothing in between. */
    void publish(Message m, int packetId, boolean dup) {
        int size = MqttEncoder.publishSize(m, m.qos());
        ByteBuf buf = ctx.alloc().ioBuffer(size, size);
        ByteBuffer nio = buf.internalNioBuffer(0, size);
        MqttEncoder.encodePublish(nio, m, packetId, dup, m.qos(), m.retain());
        emit(buf, size);
    }

    void hold() {
        holding = true;
    }

    /** Writes {@code first} (the CONNACK), then what was held back, and stops holding. */
    void releaseAfter(MqttPacket first) {
        holding = false;
        write(first);
        for (ByteBuf b : held) {
            ctx.write(b, ctx.voidPromise());
            needsFlush = true;
        }
        held.clear();
    }

    /** Drops held packets (the connection closed before its CONNACK). */
    void discard() {
        holding = false;
        for (ByteBuf b : held) {
            b.release();
        }
        held.clear();
    }

    void flush() {
        if (needsFlush) {
            needsFlush = false;
            ctx.flush();
        }
    }

    private void emit(ByteBuf buf, int size) {
        buf.writerIndex(size);
        if (holding) {
            held.add(buf);
        } else {
            ctx.write(buf, ctx.voidPromise());
            needsFlush = true;
        }
    }
}
