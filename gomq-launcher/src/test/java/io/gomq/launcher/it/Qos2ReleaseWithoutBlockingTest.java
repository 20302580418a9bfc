package io.gomq.launcher.it;

import io.gomq.core.log.HeldLogWriter;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.testing.RawMqttClient;
import io.gomq.launcher.testing.TestBrokers;
import io.gomq.launcher.transport.TransportOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static io.gomq.launcher.testing.RawMqttClient.bytes;
import static io.gomq.launcher.testing.RawMqttClient.hex;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A QoS 2 PUBREL waits for the log's writer to store the message without holding its event loop:
 * while the store stalls, another client on the same (only) loop connects, subscribes and gets
 * messages; the PUBCOMP follows once the store goes on.
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
            try (HeldLogWriter stalled = HeldLogWriter.hold(broker.engine().log())) {
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
}
