package io.gomq.launcher.transport;

import io.gomq.core.codec.MqttEncoder;
import io.gomq.core.codec.MqttPacket;
import io.gomq.core.codec.PacketType;
import io.gomq.core.message.Message;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Encodes packets straight into pooled buffers and writes them without flushing; the
 * connection flushes once per batch of reads or of deliveries: one syscall per batch, not per packet.
 *
 * <p>While {@link #hold()} is on, packets are kept back (the session re-sends its in-flight
 * messages while it attaches, before the CONNACK may be written) and {@link #release()} writes
 * them after it.
 *
 * <p>A flush waits for the session store ({@code durable}): what was written may acknowledge an
 * update of the connection's session (PUBREC, PUBCOMP, SUBACK, CONNACK) or follow one (a PUBLISH
 * journaled as sent), so the bytes stay in the channel's outbound buffer until every update of
 * that session made before the flush is on disk, then one task on the loop flushes them. The loop never waits: it serves other
 * connections meanwhile, and a later flush waits for its own, later, moment (only the newest
 * wait flushes, so a packet never leaves before what it depends on).
 *
 * <p>Design note: a packet up to {@link #SCRATCH_BYTES} is encoded into a heap buffer of the
 * event loop's and copied into the pooled one. A {@link ByteBuffer} view of a pooled buffer is a
 * new object per packet: at 20,000 QoS 0 messages a second it was a fifth of all the bytes the
 * broker allocated, so of its young collections; copying a hundred bytes costs less.
 *
 * <p>Thread rules: event loop only.
 */
final class PacketWriter {
    static final int SCRATCH_BYTES = 1024;
    private static final FastThreadLocal<ByteBuffer> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected ByteBuffer initialValue() {
            return ByteBuffer.allocate(SCRATCH_BYTES);
        }
    };
    private final ChannelHandlerContext ctx;
    private final ProtocolState protocol;
    private final List<ByteBuf> held = new ArrayList<>();
    private boolean holding;
    private boolean needsFlush;
    private final Supplier<CompletableFuture<Void>> durable;
    /** The newest flush still waiting for the session store; null when none waits. */
    private CompletableFuture<Void> awaited;

    /** @param durable when the session store's updates so far are on disk (a done future when they are) */
    PacketWriter(ChannelHandlerContext ctx, ProtocolState protocol, Supplier<CompletableFuture<Void>> durable) {
        this.ctx = ctx;
        this.protocol = protocol;
        this.durable = durable;
    }

    /** Encodes {@code packet} at the connection's protocol level. */
    void write(MqttPacket packet) {
        emit(encode(packet), -1);
    }

    private ByteBuf encode(MqttPacket packet) {
        int level = protocol.level();
        int size = MqttEncoder.encodedSize(packet, level);
        ByteBuf buf = ctx.alloc().ioBuffer(size, size);
        ByteBuffer out = target(buf, size);
        MqttEncoder.encode(out, packet, level);
        copyScratch(out, buf, size);
        buf.writerIndex(size);
        return buf;
    }

    /** Where a packet of {@code size} bytes for {@code buf} is encoded: the scratch buffer or a view of {@code buf}. */
    private static ByteBuffer target(ByteBuf buf, int size) {
        if (size > SCRATCH_BYTES) {
            return buf.internalNioBuffer(0, size);
        }
        ByteBuffer scratch = SCRATCH.get();
        scratch.clear().limit(size);
        return scratch;
    }

    /** Copies what was encoded into the scratch buffer to {@code buf} (a view needs nothing). */
    private static void copyScratch(ByteBuffer out, ByteBuf buf, int size) {
        if (size <= SCRATCH_BYTES) {
            buf.setBytes(0, out.array(), 0, size);
        }
    }

    /**
     * Writes what is pending plus {@code packet}, then closes once it is on the wire (a refused
     * CONNECT, a DISCONNECT with a reason); the flush waits for the session store as any other.
     */
    void writeAndClose(MqttPacket packet) {
        discard();
        ChannelFuture sent = ctx.write(encode(packet));
        sent.addListener(LingeringClose.INSTANCE); // no RST: see LingeringClose
        needsFlush = true;
        flush();
    }

    /** PUBACK, PUBREC, PUBREL, PUBCOMP or UNSUBACK: four bytes, no record. */
    void ack(PacketType type, int packetId) {
        ByteBuf buf = ctx.alloc().ioBuffer(4, 4);
        ByteBuffer out = target(buf, 4);
        MqttEncoder.encodeAck(out, type, packetId);
        copyScratch(out, buf, 4);
        emit(buf, 4);
    }

    /**
     * A delivery: topic and payload go from the message into the buffer, nothing in between. An
     * MQTT 5 client also gets the message's properties (the expiry counted down), its
     * subscription identifiers, and a topic alias where one saves bytes.
     */
    void publish(Message m, int packetId, boolean dup) {
        if (!protocol.v5()) {
            int size = MqttEncoder.publishSize(m, m.qos());
            ByteBuf buf = ctx.alloc().ioBuffer(size, size);
            ByteBuffer out = target(buf, size);
            MqttEncoder.encodePublish(out, m, packetId, dup, m.qos(), m.retain());
            copyScratch(out, buf, size);
            emit(buf, size);
            return;
        }
        TopicAliases aliases = protocol.aliases();
        int alias = aliases.outboundAlias(m.topic());
        boolean omitTopic = alias > 0;
        long now = System.currentTimeMillis();
        int size = MqttEncoder.publishSize(m, m.qos(), 5, Math.abs(alias), omitTopic, now);
        ByteBuf buf = ctx.alloc().ioBuffer(size, size);
        ByteBuffer out = target(buf, size);
        MqttEncoder.encodePublish(out, m, packetId, dup, m.qos(), m.retain(), 5, Math.abs(alias), omitTopic, now);
        copyScratch(out, buf, size);
        aliases.sent(m.topic(), alias);
        emit(buf, size);
    }

    /** Whether {@code m} fits the client's Maximum Packet Size (MQTT 5); always at 3.1.1. */
    boolean fits(Message m) {
        long max = protocol.clientMaxPacketBytes();
        return max == Long.MAX_VALUE
                || MqttEncoder.publishSize(m, m.qos(), protocol.level(), 0, false, System.currentTimeMillis()) <= max;
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
        if (!needsFlush) {
            return;
        }
        needsFlush = false;
        CompletableFuture<Void> gate = durable.get();
        if (gate.isDone() && !gate.isCompletedExceptionally()) {
            awaited = null; // everything written so far may go, also what an earlier flush waits for
            ctx.flush();
            return;
        }
        awaited = gate;
        EventLoop loop = ctx.channel().eventLoop();
        gate.whenComplete((v, failed) -> {
            try {
                loop.execute(() -> flushAfter(gate, failed));
            } catch (RejectedExecutionException closing) {
                // the event loops are shutting down: nothing goes out any more
            }
        });
    }

    /** Event loop: the session store reached {@code gate}; flushes unless a newer flush waits for more. */
    private void flushAfter(CompletableFuture<Void> gate, Throwable failed) {
        if (awaited != gate) {
            return;
        }
        awaited = null;
        if (failed == null) {
            ctx.flush();
        } else {
            // the update was refused (a cluster node no longer the leader) or the store closed:
            // what depends on it must not leave; the client reconnects and tries again
            ctx.close();
        }
    }

    private void emit(ByteBuf buf, int size) {
        if (size >= 0) {
            buf.writerIndex(size);
        }
        if (holding) {
            held.add(buf);
        } else {
            ctx.write(buf, ctx.voidPromise());
            needsFlush = true;
        }
    }
}
