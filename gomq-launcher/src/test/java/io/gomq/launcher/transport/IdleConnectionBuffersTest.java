package io.gomq.launcher.transport;

import io.gomq.core.config.BrokerConfig;
import io.gomq.core.engine.BrokerEngine;
import io.gomq.launcher.auth.Authenticator;
import io.gomq.launcher.testing.Await;
import io.gomq.launcher.testing.RawMqttClient;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static io.gomq.launcher.testing.RawMqttClient.bytes;
import static io.gomq.launcher.testing.RawMqttClient.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Idle connections hold no buffers: once a connection's input is decoded and its output
 * written, neither its read cumulation nor its outbound buffer keeps memory, and the socket
 * allocator's memory does not grow with the number of idle connections. A connection that
 * stopped inside a packet holds just that packet's bytes.
 */
@Timeout(60)
class IdleConnectionBuffersTest {
    private static final int CONNECTIONS = 300;
    /** Allocator growth allowed per idle connection: far below one read buffer (Netty starts at 2 KiB). */
    private static final long MAX_ALLOCATOR_BYTES_PER_CONNECTION = 256;
    /** The allocator counts whole chunks (128 KiB): the fan-out's writes in flight may have taken one more. */
    private static final long CHUNK_SLACK_BYTES = 128 * 1024;
    /** SUBSCRIBE id 1: "idle/t" at QoS 0. */
    private static final byte[] SUBSCRIBE = bytes(0x82, 11, 0, 1, 0, 6, 'i', 'd', 'l', 'e', '/', 't', 0);
    private static final byte[] SUBACK = bytes(0x90, 3, 0, 1, 0);
    /** PUBLISH QoS 0 "idle/t" payload "hi". */
    private static final byte[] PUBLISH = bytes(0x30, 10, 0, 6, 'i', 'd', 'l', 'e', '/', 't', 'h', 'i');

    private BrokerEngine engine;
    private MqttServer server;
    private int port;
    private final List<RawMqttClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        engine = BrokerEngine.open(BrokerConfig.defaults().persistent(false));
        server = new MqttServer(engine, Authenticator.open(), 64 * 1024, TransportOptions.defaults().ioThreads(2),
                new TransportMetrics());
        port = server.listen("127.0.0.1", 0, null).getPort();
    }

    @AfterEach
    void stop() throws Exception {
        for (RawMqttClient c : clients) {
            c.close();
        }
        server.close();
        engine.close();
    }

    @Test
    void idleSubscribersHoldNoBuffersAfterReceivingAndTheAllocatorDoesNotGrowWithThem() throws Exception {
        ByteBufAllocatorMetric allocator = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
        openSubscribers(20); // warms the allocator's per-thread caches up
        long before = used(allocator);

        openSubscribers(CONNECTIONS);
        try (RawMqttClient publisher = connect("idle-publisher")) {
            publisher.send(PUBLISH);
            for (RawMqttClient c : clients) {
                assertEquals(hex(PUBLISH), hex(c.readPacket()));
            }
        }
        Await.await("every write taken by the kernel", () -> server.pendingWriteBytes() == 0);
        Await.await("every read buffer released", () -> server.heldReadBytes() == 0);
        long grown = used(allocator) - before;
        assertTrue(grown <= CHUNK_SLACK_BYTES + CONNECTIONS * MAX_ALLOCATOR_BYTES_PER_CONNECTION,
                "the allocator grew by " + grown + " bytes for " + CONNECTIONS + " idle connections");
    }

    @Test
    void aConnectionThatStopsInsideAPacketHoldsOnlyThatPacket() throws Exception {
        RawMqttClient c = connect("half-packet");
        clients.add(c);
        c.send(bytes(0x30, 10, 0, 6, 'i', 'd')); // a PUBLISH cut after 6 of its 12 bytes
        Await.await("the partial packet held", () -> server.heldReadBytes() > 0);
        c.send(bytes('l', 'e', '/', 't', 'h', 'i'));
        Await.await("the buffer released once the packet is whole", () -> server.heldReadBytes() == 0);
    }

    private void openSubscribers(int n) throws Exception {
        for (int i = 0; i < n; i++) {
            RawMqttClient c = connect("idle-" + clients.size());
            clients.add(c);
            c.send(SUBSCRIBE);
            assertEquals(hex(SUBACK), hex(c.readPacket()));
        }
    }

    private RawMqttClient connect(String id) throws Exception {
        RawMqttClient c = new RawMqttClient(port);
        assertEquals(hex(bytes(0x20, 2, 0, 0)), hex(c.connect(id, true, 60)));
        return c;
    }

    private static long used(ByteBufAllocatorMetric m) {
        return m.usedDirectMemory() + m.usedHeapMemory();
    }
}
