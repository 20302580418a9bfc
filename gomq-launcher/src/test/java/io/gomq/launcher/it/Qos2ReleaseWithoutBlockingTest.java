package io.gomq.launcher.it;

import io.gomq.core.codec.Connect;
import io.gomq.core.log.HeldLogWriter;
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
 * A QoS 2 PUBREL waits for the log's writer to store the message without holding its event loop:
 * while the store stalls, another client on the same (only) loop connects, subscribes and gets
 * messages; the PUBCOMP follows once the store goes on. A new connection that takes the session
 * over meanwhile gets it only after that release ended (it is journaled on the old loop).
 */
@Timeout(60)
class Qos2ReleaseWithoutBlockingTest {
    @TempDir
    Path dir;

    @Test
    void shouldServeOtherConnectionsOnTheLoopWhileAPubRelWaitsForTheStore() throws Exception {
        try (StandaloneBroker broker = TestBrokers.start(c -> c.broker().persistent(true).dataDir(dir),
                TransportOptions.defaults().ioThreads(1));
             PahoClients durable = PahoClients.connect(broker, "q2-durable-sub", false);
             RawMqttClient publisher = new RawMqttClient(broker.mqttPort())) {
            durable.client.subscribe("q2/slow", 2); // a persistent subscriber: the release goes through the log
            publisher.connect("q2-pub", true, 60);
            publisher.send(0x34, 14, 0, 7, 'q', '2', '/', 's', 'l', 'o', 'w', 0, 1, 'o', 'n', 'e'); // PUBLISH QoS 2, id 1, "one"
            assertEquals(hex(bytes(0x50, 2, 0, 1)), hex(publisher.readPacket()), "PUBREC 1");
            try (HeldLock stalled = HeldLogWriter.hold(broker.engine().log())) {
                publisher.send(0x62, 2, 0, 1); // PUBREL 1: its message goes to the stalled writer
                await().atMost(Duration.ofSeconds(10)).until(stalled::writerStalled);
                try (PahoClients other = PahoClients.connect(broker, "q2-other", true)) { // the same loop
                    other.client.subscribe("live/#", 0);
                    other.publish("live/ping", "pong", 0, false);
                    assertEquals("pong", other.next().payload());
                }
                assertEquals(0, publisher.socket().getInputStream().available(), "no PUBCOMP before the message is stored");
            }
            assertEquals(hex(bytes(0x70, 2, 0, 1)), hex(publisher.readPacket()), "PUBCOMP 1 once stored");
            assertEquals("one", durable.next().payload());
        }
    }

    @Test
    void shouldHandTheSessionToANewConnectionOnlyAfterAWaitingReleaseEnded() throws Exception {
        try (StandaloneBroker broker = TestBrokers.start(c -> c.broker().persistent(true).dataDir(dir));
             PahoClients durable = PahoClients.connect(broker, "q2-durable-sub", false);
             RawMqttClient first = new RawMqttClient(broker.mqttPort());
             RawMqttClient second = new RawMqttClient(broker.mqttPort())) {
            durable.client.subscribe("q2/slow", 2);
            first.connect("q2-taken", false, 60);
            first.send(0x34, 14, 0, 7, 'q', '2', '/', 's', 'l', 'o', 'w', 0, 1, 'o', 'n', 'e'); // PUBLISH QoS 2, id 1, "one"
            assertEquals(hex(bytes(0x50, 2, 0, 1)), hex(first.readPacket()), "PUBREC 1");
            try (HeldLock stalled = HeldLogWriter.hold(broker.engine().log())) {
                first.send(0x62, 2, 0, 1); // PUBREL 1: its release waits for the stalled writer
                await().atMost(Duration.ofSeconds(10)).until(stalled::writerStalled);
                second.send(Connect.of("q2-taken", false, 60)); // takes the session over
                assertTrue(first.closedWithin(10_000), "the old connection is closed at once");
                assertEquals(0, second.socket().getInputStream().available(),
                        "no CONNACK while the old connection's release still waits for the log");
            }
            assertEquals(hex(bytes(0x20, 2, 1, 0)), hex(second.readPacket()), "CONNACK, session present");
            second.send(0x62, 2, 0, 1); // the client re-sends PUBREL 1 on the new connection
            assertEquals(hex(bytes(0x70, 2, 0, 1)), hex(second.readPacket()), "PUBCOMP 1");
            durable.publish("q2/slow", "marker", 2, false);
            assertEquals("one", durable.next().payload());
            assertEquals("marker", durable.next().payload(), "the released message is delivered once");
        }
    }
}
