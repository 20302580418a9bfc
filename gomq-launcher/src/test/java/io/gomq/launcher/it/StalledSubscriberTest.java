package io.gomq.launcher.it;

import io.gomq.core.session.Session;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.testing.RawMqttClient;
import io.gomq.launcher.testing.TestBrokers;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.gomq.launcher.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flow-control rule over real sockets: a subscriber that never reads paces the publisher
 * only briefly (stuck time), then loses QoS 0 copies; a healthy subscriber of the same topic
 * gets everything, and the broker's memory for the stalled one stays bounded (its queue
 * capacity plus the channel's write high-water mark and one drain batch).
 */
@Timeout(60)
class StalledSubscriberTest {
    private static final int MESSAGES = 20_000;
    private static final int PAYLOAD = 256;
    private static final int MAX_QUEUED = 1_000;

    @Test
    void shouldKeepDeliveringToHealthySubscriberWhenAnotherNeverReads() throws Exception {
        try (StandaloneBroker broker = TestBrokers.start(c -> c.broker().maxQueuedMessages(MAX_QUEUED).stuckSubscriberMs(300))) {
            RawMqttClient stalled = new RawMqttClient(broker.mqttPort());
            stalled.socket().setReceiveBufferSize(4096);
            stalled.connect("stalled", true, 0);
            stalled.send(0x82, 0x09, 0x00, 0x01, 0x00, 0x04, 'l', 'o', 'a', 'd', 0x00); // SUBSCRIBE "load" QoS 0
            assertArrayEquals(RawMqttClient.bytes(0x90, 0x03, 0x00, 0x01, 0x00), stalled.readPacket());
            // from here on the stalled client never reads again

            AtomicLong received = new AtomicLong();
            AtomicLong maxPending = new AtomicLong();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    maxPending.accumulateAndGet(broker.pendingWriteBytes(), Math::max);
                    Thread.onSpinWait();
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.start();
            try (PahoClients healthy = PahoClients.connect(broker, "healthy", true);
                 PahoClients pub = PahoClients.connect(broker, "loader", true)) {
                healthy.client.subscribe("load", 0, (topic, m) -> received.incrementAndGet());
                byte[] payload = new byte[PAYLOAD];
                long t0 = System.nanoTime();
                for (int i = 0; i < MESSAGES; i++) {
                    pub.client.publish("load", new MqttMessage(payload));
                }
                long publishMs = (System.nanoTime() - t0) / 1_000_000;
                await("healthy subscriber got every message", java.time.Duration.ofSeconds(30), () -> received.get() == MESSAGES);
                System.out.printf("published %d in %d ms%n", MESSAGES, publishMs);
                assertTrue(publishMs < 30_000, "publisher held for " + publishMs + " ms");
            } finally {
                sampling.set(false);
                sampler.join();
            }

            Session s = broker.engine().sessions().get("stalled");
            System.out.printf("stalled: queue %d, dropped %d, paced %d, max pending write bytes %d%n", s.queue().size(),
                    s.queue().droppedQos0(), broker.engine().metrics().pacedPublishers.sum(), maxPending.get());
            assertTrue(s.queue().size() <= MAX_QUEUED, "queue bounded: " + s.queue().size());
            assertTrue(s.queue().droppedQos0() > 0, "the stuck subscriber loses QoS 0 copies instead of holding memory");
            assertTrue(broker.engine().metrics().droppedQos0.sum() > 0);
            // pending bytes: the stalled channel stops at its high-water mark plus one drain batch
            assertTrue(maxPending.get() < 2 * 1024 * 1024, "pending write bytes peaked at " + maxPending.get());
            assertEquals(MESSAGES, received.get());
            stalled.close();
        }
    }
}
