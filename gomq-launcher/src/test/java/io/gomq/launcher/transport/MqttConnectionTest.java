package io.gomq.launcher.transport;

import io.gomq.core.codec.DecodeError;
import io.gomq.core.config.BrokerConfig;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.launcher.auth.Authenticator;
import io.gomq.testing.ManualClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.gomq.launcher.transport.EmbeddedWire.connect;
import static io.gomq.launcher.transport.EmbeddedWire.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connection handler on Netty's EmbeddedChannel: no sockets, deterministic event loop and clock. */
@Timeout(10)
class MqttConnectionTest {
    private static final long STUCK_MS = 500;

    /** The subscriber queues' clock, advanced with the publisher channel's. */
    private final AtomicLong queueNanos = new AtomicLong(1);
    /** The transport's clock (connect timeout, keep-alive): moves only when a test advances it. */
    private final ManualClock clock = new ManualClock();
    private final BrokerEngine engine = new BrokerEngine(BrokerConfig.defaults().persistent(false)
            .maxQueuedMessages(8).stuckSubscriberMs(STUCK_MS).clock(clock), queueNanos::get);
    private final TransportMetrics metrics = new TransportMetrics();
    private final TransportContext context = new TransportContext(engine, Authenticator.open(), Runnable::run, metrics,
            TransportOptions.defaults(), 64 * 1024, new TransportContext.ClientIds(), () -> true);

    @AfterEach
    void close() {
        engine.close();
    }

    /** Counts flushes reaching the head of the pipeline: one per batch is the contract (write coalescing). */
    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        int flushes;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
            ctx.flush();
        }
    }

    private EmbeddedChannel channel(FlushCounter counter) {
        MqttFrameDecoder frames = new MqttFrameDecoder(context.maxPacketBytes(), metrics, context.keepAlive().clock());
        return new EmbeddedChannel(counter, frames, new MqttConnection(context, frames));
    }

    private static ByteBuf buf(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return Unpooled.wrappedBuffer(b);
    }



    @Test
    void shouldFlushOnceWhenManyQos1PublishesArriveInOneRead() {
        FlushCounter flushes = new FlushCounter();
        EmbeddedChannel ch = channel(flushes);
        ch.writeInbound(Unpooled.wrappedBuffer(connect("c1")));
        assertArrayEquals(new byte[]{0x20, 2, 0, 0}, readAll(ch));
        int before = flushes.flushes;
        ByteBuf batch = Unpooled.buffer();
        for (int id = 1; id <= 10; id++) {
            batch.writeBytes(new byte[]{0x32, 6, 0, 1, 't', 0, (byte) id, 'x'}); // PUBLISH QoS 1 "t" id
        }
        ch.writeInbound(batch);
        byte[] acks = readAll(ch);
        assertEquals(40, acks.length, "ten PUBACKs");
        assertEquals(before + 1, flushes.flushes, "one flush for the whole read");
        ch.close();
    }

    @Test
    void shouldDecodeConnectWhenItArrivesOneByteAtATime() {
        EmbeddedChannel ch = channel(new FlushCounter());
        for (byte b : connect("slow")) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[]{b}));
        }
        assertArrayEquals(new byte[]{0x20, 2, 0, 0}, readAll(ch));
        assertTrue(ch.isActive());
        ch.close();
    }

    @Test
    void shouldCountAndCloseWhenPacketIsMalformed() {
        EmbeddedChannel ch = channel(new FlushCounter());
        ch.writeInbound(Unpooled.wrappedBuffer(connect("m")));
        readAll(ch);
        ch.writeInbound(buf(0xF0, 0x00)); // reserved type 15
        assertFalse(ch.isActive());
        assertEquals(1, metrics.malformed(DecodeError.RESERVED_PACKET_TYPE).sum());
        assertEquals(0, engine.sessions().size(), "the clean session ended with the connection");
    }

    @Test
    void shouldPauseReadsWhenSubscriberQueueIsCongestedAndResumeAfterStuckTime() {
        EmbeddedChannel sub = channel(new FlushCounter());
        sub.writeInbound(Unpooled.wrappedBuffer(connect("sub")));
        sub.writeInbound(buf(0x82, 6, 0, 1, 0, 1, 'p', 0)); // SUBSCRIBE "p" QoS 0
        readAll(sub);
        // the subscriber's event loop does not run its drain tasks: its queue fills up

        EmbeddedChannel pub = channel(new FlushCounter());
        pub.freezeTime();
        pub.writeInbound(Unpooled.wrappedBuffer(connect("pub")));
        readAll(pub);
        ByteBuf burst = Unpooled.buffer();
        for (int i = 0; i < 7; i++) {
            burst.writeBytes(new byte[]{0x30, 4, 0, 1, 'p', 'x'});
        }
        pub.writeInbound(burst);
        assertFalse(pub.config().isAutoRead(), "paced: above the high watermark (6 of 8)");
        assertEquals(1, metrics.pausedReads.sum());

        assertEquals(6, engine.sessions().get("sub").queue().size(), "paced at the sixth: the seventh waits undecoded");
        pub.advanceTimeBy(STUCK_MS, TimeUnit.MILLISECONDS);
        queueNanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(STUCK_MS) + 1);
        pub.runScheduledPendingTasks();
        pub.runPendingTasks();
        assertTrue(pub.config().isAutoRead(), "a stuck subscriber holds a publisher no longer than the stuck time");

        sub.runPendingTasks(); // the subscriber drains at last
        byte[] delivered = readAll(sub);
        assertEquals(7 * 6, delivered.length, "all seven QoS 0 copies delivered");
        pub.close();
        sub.close();
    }

    @Test
    void shouldCloseWhenNoConnectWithinTimeout() {
        EmbeddedChannel ch = channel(new FlushCounter());
        clock.advance(Duration.ofMillis(TransportOptions.CONNECT_TIMEOUT_MS - 1));
        ch.runPendingTasks();
        assertTrue(ch.isActive(), "open until the clock reaches the connect timeout");
        // the keep-alive sweep keeps the connect timeout too: it closes the connection at most one sweep late
        clock.advance(Duration.ofMillis(1 + KeepAliveSweep.SWEEP_MILLIS));
        ch.runPendingTasks();
        assertFalse(ch.isActive());
        assertEquals(1, metrics.connectTimeouts.sum());
        assertNull(ch.readOutbound());
    }
}
