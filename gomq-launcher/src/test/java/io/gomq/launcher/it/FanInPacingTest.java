package io.gomq.launcher.it;

import io.gomq.core.engine.EngineMetrics;
import io.gomq.core.session.Session;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.testing.RawMqttClient;
import io.gomq.launcher.testing.TestBrokers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pacing under fan-in, over real sockets: publishers write QoS 0 floods in large batches (each
 * socket read of the broker holds hundreds of PUBLISHes), into one subscriber that reads one
 * byte at a time, slower than they publish but always moving. The subscriber's queue is small,
 * so it congests at once and the publishers are paced mid-read. Nothing may be lost: the
 * subscriber gets every message, in each publisher's order, the broker drops none, and the
 * queue never holds more than its capacity.
 */
@Timeout(60)
class FanInPacingTest {
    private static final int PUBLISHERS = 8;
    private static final int MESSAGES = 2_000;
    private static final int BATCH = 500;
    private static final int MAX_QUEUED = 256;
    private static final String TOPIC = "fan/in";

    @Test
    void shouldLoseNothingWhenManyPublishersFloodSlowMovingSubscriber() throws Exception {
        try (StandaloneBroker broker = TestBrokers.start(c -> c.broker().maxQueuedMessages(MAX_QUEUED)
                .stuckSubscriberMs(60_000));
             RawMqttClient sub = new RawMqttClient(broker.mqttPort())) {
            sub.connect("fan-in-sub", true, 0);
            sub.send(0x82, 0x0B, 0x00, 0x01, 0x00, 0x06, 'f', 'a', 'n', '/', 'i', 'n', 0x00); // SUBSCRIBE fan/in QoS 0
            assertArrayEquals(RawMqttClient.bytes(0x90, 0x03, 0x00, 0x01, 0x00), sub.readPacket());
            Session session = broker.engine().sessions().get("fan-in-sub");

            ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS);
            List<RawMqttClient> pubs = new ArrayList<>();
            try {
                List<Future<?>> flooding = new ArrayList<>();
                for (int p = 0; p < PUBLISHERS; p++) {
                    RawMqttClient pub = new RawMqttClient(broker.mqttPort());
                    pubs.add(pub);
                    pub.connect("fan-in-pub-" + p, true, 0);
                    int id = p;
                    flooding.add(pool.submit(() -> flood(pub.socket().getOutputStream(), id)));
                }

                int[] next = new int[PUBLISHERS];
                int maxQueued = 0;
                long t0 = System.nanoTime();
                for (int n = 0; n < PUBLISHERS * MESSAGES; n++) {
                    ByteBuffer payload = payloadOf(sub.readPacket());
                    int publisher = payload.getInt();
                    int seq = payload.getInt();
                    assertEquals(next[publisher], seq, "publisher " + publisher + ": a message lost or out of order");
                    next[publisher]++;
                    maxQueued = Math.max(maxQueued, session.queue().size());
                }
                for (Future<?> f : flooding) {
                    f.get(10, TimeUnit.SECONDS);
                }

                EngineMetrics m = broker.engine().metrics();
                System.out.printf("fan-in: %d x %d delivered in %d ms, paced %d times, max queued %d%n", PUBLISHERS,
                        MESSAGES, (System.nanoTime() - t0) / 1_000_000, m.pacedPublishers.sum(), maxQueued);
                assertEquals(0, m.droppedQos0.sum(), "QoS 0 copies dropped for a moving subscriber");
                assertTrue(m.pacedPublishers.sum() > 0, "the flood never congested the queue: the test proves nothing");
                assertTrue(maxQueued <= MAX_QUEUED, "queue bound: " + maxQueued);
            } finally {
                pool.shutdownNow();
                for (RawMqttClient pub : pubs) {
                    pub.close();
                }
                pool.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    /** Writes MESSAGES QoS 0 PUBLISHes, BATCH per socket write. */
    private static Void flood(OutputStream out, int publisher) throws IOException {
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        byte[] topic = TOPIC.getBytes(StandardCharsets.UTF_8);
        for (int seq = 0; seq < MESSAGES; seq++) {
            batch.write(0x30); // PUBLISH, QoS 0
            batch.write(2 + topic.length + 8); // remaining length (< 128)
            batch.write(0);
            batch.write(topic.length);
            batch.write(topic);
            batch.write(ByteBuffer.allocate(8).putInt(publisher).putInt(seq).array());
            if ((seq + 1) % BATCH == 0 || seq == MESSAGES - 1) {
                out.write(batch.toByteArray());
                batch.reset();
            }
        }
        out.flush();
        return null;
    }

    private static ByteBuffer payloadOf(byte[] publish) {
        assertEquals(0x30, publish[0] & 0xF0, "PUBLISH expected");
        ByteBuffer b = ByteBuffer.wrap(publish);
        b.position(2); // fixed header: the remaining length fits in one byte
        int topicLength = b.getShort();
        b.position(b.position() + topicLength);
        return b;
    }
}
