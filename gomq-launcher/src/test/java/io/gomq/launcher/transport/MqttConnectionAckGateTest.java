package io.gomq.launcher.transport;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.config.Durability;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.launcher.auth.Authenticator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.gomq.launcher.transport.EmbeddedWire.connect;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PUBACKs that wait for the engine's ack gate (a cluster's replication): in order, never after a failed gate; CONNACK 3 off-leader. */
@Timeout(30)
class MqttConnectionAckGateTest {
    @TempDir
    Path dir;
    private BrokerEngine engine;
    private final Map<Long, CompletableFuture<Void>> gates = new ConcurrentHashMap<>();
    private final AtomicBoolean accepting = new AtomicBoolean(true);
    private TransportContext context;

    @BeforeEach
    void open() {
        engine = BrokerEngine.open(BrokerConfig.defaults().dataDir(dir).durability(Durability.WRITE));
        engine.ackGate(offset -> gates.computeIfAbsent(offset, o -> new CompletableFuture<>()));
        context = new TransportContext(engine, Authenticator.open(), Runnable::run, new TransportMetrics(),
                TransportOptions.defaults(), 64 * 1024, new TransportContext.ClientIds(), accepting::get);
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private EmbeddedChannel channel() {
        MqttFrameDecoder frames = new MqttFrameDecoder(context.maxPacketBytes(), context.metrics(), context.keepAlive().clock());
        return new EmbeddedChannel(frames, new MqttConnection(context, frames));
    }


    private static ByteBuf retainedQos1(int packetId) {
        return Unpooled.wrappedBuffer(new byte[]{0x33, 6, 0, 1, 't', 0, (byte) packetId, 'x'}); // PUBLISH QoS 1 retain "t"
    }

    /** The gate of {@code offset}: asked for once the log's writer has stored the record. */
    private CompletableFuture<Void> gate(long offset) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> gates.containsKey(offset));
        return gates.get(offset);
    }

    /** Runs the tasks the gates' completions scheduled on the loop, then reads what was written. */
    private static byte[] readAll(EmbeddedChannel ch) {
        ch.runPendingTasks();
        return EmbeddedWire.readAll(ch);
    }

    @Test
    void pubAcksWaitForTheGateAndLeaveInPublishOrder() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.wrappedBuffer(connect("p")));
        assertArrayEquals(new byte[]{0x20, 2, 0, 0}, readAll(ch));
        ch.writeInbound(retainedQos1(1));
        ch.writeInbound(retainedQos1(2));
        assertEquals(0, readAll(ch).length, "no PUBACK before replication");
        gate(1L).complete(null); // the second completes first
        assertEquals(0, readAll(ch).length, "PUBACK 2 waits for PUBACK 1");
        gate(0L).complete(null);
        assertArrayEquals(new byte[]{0x40, 2, 0, 1, 0x40, 2, 0, 2}, readAll(ch));
        ch.close();
    }

    @Test
    void subAckWaitsUntilTheLogEndIsDurableAndKeepsTheAckOrder() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.wrappedBuffer(connect("s")));
        readAll(ch);
        ch.writeInbound(retainedQos1(1)); // offset 0, gated
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[]{(byte) 0x82, 6, 0, 5, 0, 1, 't', 1})); // SUBSCRIBE id 5 "t" QoS 1
        byte[] puback = {0x40, 2, 0, 1};
        byte[] suback = {(byte) 0x90, 3, 0, 5, 1}; // granting QoS 1
        // the retained PUBLISH for the new subscription may go out first (MQTT 3.1.1 3.8.4); the acks may not
        byte[] before = readAll(ch);
        assertEquals(-1, indexOf(before, puback), java.util.Arrays.toString(before));
        assertEquals(-1, indexOf(before, suback), java.util.Arrays.toString(before));
        gate(0L).complete(null);
        byte[] after = readAll(ch);
        int p = indexOf(after, puback);
        int s = indexOf(after, suback);
        assertTrue(p >= 0 && s > p, "PUBACK then SUBACK: " + java.util.Arrays.toString(after));
        ch.close();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void failedGateClosesTheConnectionWithoutAnAck() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.wrappedBuffer(connect("p")));
        readAll(ch);
        ch.writeInbound(retainedQos1(1));
        gate(0L).completeExceptionally(new IllegalStateException("stepped down"));
        assertEquals(0, readAll(ch).length);
        assertFalse(ch.isActive());
    }

    @Test
    void connectIsRefusedWithConnack3WhileNotAcceptingClients() {
        accepting.set(false);
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.wrappedBuffer(connect("p")));
        assertArrayEquals(new byte[]{0x20, 2, 0, 3}, readAll(ch));
        assertFalse(ch.isActive());
    }
}
