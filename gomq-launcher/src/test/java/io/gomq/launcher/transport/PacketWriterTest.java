package io.gomq.launcher.transport;

import io.gomq.core.codec.MqttEncoder;
import io.gomq.core.codec.Publish;
import io.gomq.core.config.BrokerConfig;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.core.message.Qos;
import io.gomq.launcher.auth.Authenticator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;

import static io.gomq.launcher.transport.EmbeddedWire.connect;
import static io.gomq.launcher.transport.EmbeddedWire.readAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Deliveries on both sides of the scratch buffer's size come out byte for byte as the codec encodes them. */
@Timeout(10)
class PacketWriterTest {
    private final BrokerEngine engine = new BrokerEngine(BrokerConfig.defaults().persistent(false));
    private final TransportContext context = new TransportContext(engine, Authenticator.open(), Runnable::run,
            new TransportMetrics(), TransportOptions.defaults(), 64 * 1024, new TransportContext.ClientIds(), () -> true);

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void deliveriesBelowAtAndAboveTheScratchSizeAreEncodedExactly() {
        MqttFrameDecoder frames = new MqttFrameDecoder(context.maxPacketBytes(), context.metrics(), context.keepAlive().clock());
        EmbeddedChannel ch = new EmbeddedChannel(frames, new MqttConnection(context, frames));
        ch.writeInbound(Unpooled.wrappedBuffer(connect("w1")));
        assertArrayEquals(new byte[]{0x20, 2, 0, 0}, readAll(ch));
        // SUBSCRIBE id 1, filter "t", QoS 0 -> SUBACK
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[]{(byte) 0x82, 6, 0, 1, 0, 1, 't', 0}));
        assertArrayEquals(new byte[]{(byte) 0x90, 3, 0, 1, 0}, readAll(ch));

        // a PUBLISH to "t" with payload n is n + 6 bytes long (two-byte remaining length from 125 on)
        for (int payload : new int[]{0, 100, PacketWriter.SCRATCH_BYTES - 7, PacketWriter.SCRATCH_BYTES - 6,
                PacketWriter.SCRATCH_BYTES - 5, 5_000}) {
            byte[] bytes = new byte[payload];
            for (int i = 0; i < payload; i++) {
                bytes[i] = (byte) (i * 31 + payload);
            }
            byte[] expected = array(MqttEncoder.encode(new Publish(false, Qos.AT_MOST_ONCE, false, "t", 0, bytes)));
            ch.writeInbound(Unpooled.wrappedBuffer(expected)); // its own message comes back to it
            ch.runPendingTasks();
            assertArrayEquals(expected, readAll(ch), "payload " + payload);
        }
        ch.finishAndReleaseAll();
    }

    private static byte[] array(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }
}
