package io.gomq.launcher.it;

import io.gomq.core.codec.Connect;
import io.gomq.core.config.Durability;
import io.gomq.core.session.store.HeldSessionWriter;
import io.gomq.core.session.store.SessionStore;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.testing.RawMqttClient;
import io.gomq.launcher.testing.TestBrokers;
import io.gomq.launcher.transport.TransportOptions;
import io.gomq.testing.HeldLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static io.gomq.launcher.testing.RawMqttClient.bytes;
import static io.gomq.launcher.testing.RawMqttClient.hex;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Under {@code --durability fsync} the session store's writes and forces run on its own writer
 * thread: while that writer stalls (a slow disk), the SUBACK, PUBREC and CONNACK that depend on a
 * persistent session's update wait, and another client on the same (only) event loop connects,
 * subscribes and gets messages meanwhile. Once the writer goes on, the held packets go out in order.
 */
@Timeout(60)
class SessionStoreWithoutBlockingTest {
    @TempDir
    Path dir;

    @Test
    void shouldServeOtherConnectionsOnTheLoopWhileAcksWaitForTheSessionStoresForce() throws Exception {
        try (StandaloneBroker broker = TestBrokers.start(c -> c.broker().persistent(true).dataDir(dir)
                        .durability(Durability.FSYNC), TransportOptions.defaults().ioThreads(1));
             RawMqttClient durable = new RawMqttClient(broker.mqttPort());
             RawMqttClient late = new RawMqttClient(broker.mqttPort())) {
            SessionStore store = broker.engine().sessionWrites().store();
            assertEquals(hex(bytes(0x20, 2, 0, 0)), hex(durable.connect("store-durable", false, 60)), "CONNACK");
            long forcesBefore = store.forces();
            try (HeldLock stalled = HeldSessionWriter.hold(store)) {
                durable.send(0x82, 8, 0, 1, 0, 3, 's', '/', '#', 1); // SUBSCRIBE id 1, s/# QoS 1: journaled
                await().atMost(Duration.ofSeconds(10)).until(stalled::writerStalled);
                durable.send(0x34, 8, 0, 3, 'q', '/', 'a', 0, 2, 'x'); // PUBLISH QoS 2, id 2: stored before PUBREC
                late.send(Connect.of("store-late", false, 60)); // a new persistent session: created before CONNACK
                try (PahoClients other = PahoClients.connect(broker, "store-other", true)) { // the same loop
                    other.client.subscribe("live/#", 0);
                    other.publish("live/ping", "pong", 0, false);
                    assertEquals("pong", other.next().payload());
                }
                assertEquals(0, durable.socket().getInputStream().available(), "no SUBACK or PUBREC before the force");
                assertEquals(0, late.socket().getInputStream().available(), "no CONNACK before the force");
                assertEquals(forcesBefore, store.forces());
            }
            assertEquals(hex(bytes(0x90, 3, 0, 1, 1)), hex(durable.readPacket()), "SUBACK once forced");
            assertEquals(hex(bytes(0x50, 2, 0, 2)), hex(durable.readPacket()), "then PUBREC");
            assertEquals(hex(bytes(0x20, 2, 0, 0)), hex(late.readPacket()), "CONNACK once forced");
            assertTrue(store.forces() > forcesBefore, "forced before the acks went out");
        }
        try (SessionStore reopened = SessionStore.open(io.gomq.core.config.BrokerConfig.defaults().dataDir(dir))) {
            assertEquals(1, reopened.get("store-durable").orElseThrow().subscriptions().size(), "the subscription is stored");
            assertEquals(1, reopened.get("store-durable").orElseThrow().inbound().size(), "the QoS 2 message is stored");
            assertTrue(reopened.get("store-late").isPresent());
        }
    }
}
