package io.gomq.launcher.it;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.testing.RawMqttClient;
import io.gomq.launcher.testing.TestBrokers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.gomq.launcher.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * No silent cap on what an offline persistent session keeps: 100,000 QoS 1 messages published
 * while its client is away all arrive, in order, when it comes back (HiveMQ CE drops past 1,000
 * there). Over real sockets, with the durable log; the publisher writes raw PUBLISHes and
 * counts PUBACKs, the subscriber is the HiveMQ client.
 */
@Timeout(120)
class OfflineBacklogTest {
    private static final int MESSAGES = 100_000;
    private static final int WINDOW = 2_000;
    private static final String TOPIC = "backlog";

    @TempDir
    Path dir;

    @Test
    void shouldDeliverEveryMessageInOrderWhenPersistentSessionReturns() throws Exception {
        try (StandaloneBroker broker = TestBrokers.start(c -> c.broker().persistent(true).dataDir(dir))) {
            AtomicInteger next = new AtomicInteger();
            AtomicInteger duplicates = new AtomicInteger();
            AtomicReference<String> problem = new AtomicReference<>();
            Mqtt3AsyncClient sub = Mqtt3Client.builder().identifier("backlog-sub").serverHost("127.0.0.1")
                    .serverPort(broker.mqttPort()).buildAsync();
            sub.publishes(MqttGlobalPublishFilter.ALL, p -> check(p, next, duplicates, problem));
            sub.connectWith().cleanSession(false).send().get(10, TimeUnit.SECONDS);
            sub.subscribeWith().topicFilter(TOPIC).qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);
            sub.disconnect().get(10, TimeUnit.SECONDS);

            long t0 = System.nanoTime();
            publishAll(broker.mqttPort());
            long published = System.nanoTime();

            sub.connectWith().cleanSession(false).send().get(10, TimeUnit.SECONDS);
            try {
                await("all " + MESSAGES + " messages", Duration.ofSeconds(60),
                        () -> next.get() == MESSAGES || problem.get() != null);
                System.out.printf("offline backlog: %d published in %d ms, delivered in %d ms, %d duplicates%n",
                        MESSAGES, (published - t0) / 1_000_000, (System.nanoTime() - published) / 1_000_000,
                        duplicates.get());
                assertNull(problem.get());
                assertEquals(MESSAGES, next.get());
            } finally {
                sub.disconnect().get(10, TimeUnit.SECONDS);
            }
        }
    }

    /** In order: each message is the next one, or (QoS 1 may repeat) one already seen. */
    private static void check(Mqtt3Publish p, AtomicInteger next, AtomicInteger duplicates,
                              AtomicReference<String> problem) {
        int seq = ByteBuffer.wrap(p.getPayloadAsBytes()).getInt();
        int expected = next.get();
        if (seq == expected) {
            next.incrementAndGet();
        } else if (seq < expected) {
            duplicates.incrementAndGet();
        } else {
            problem.compareAndSet(null, "message " + seq + " arrived while " + expected + " was due");
        }
    }

    /** Writes MESSAGES QoS 1 PUBLISHes with at most WINDOW unacknowledged; returns once all are acknowledged. */
    private static void publishAll(int port) throws Exception {
        try (RawMqttClient pub = new RawMqttClient(port)) {
            pub.connect("backlog-pub", true, 0);
            pub.socket().setSoTimeout(0); // the broker may pace this publisher for a while: no read timeout
            Semaphore window = new Semaphore(WINDOW);
            AtomicInteger acked = new AtomicInteger();
            DataInputStream in = new DataInputStream(new BufferedInputStream(pub.socket().getInputStream()));
            Thread acks = new Thread(() -> {
                try {
                    while (acked.get() < MESSAGES) {
                        int type = in.readUnsignedByte();
                        int length = in.readUnsignedByte();
                        in.skipNBytes(length);
                        if (type == 0x40) { // PUBACK
                            acked.incrementAndGet();
                            window.release();
                        }
                    }
                } catch (IOException e) {
                    // the socket closed: the wait below times out and says how far it got
                }
            }, "backlog-acks");
            acks.start();
            OutputStream out = pub.socket().getOutputStream();
            byte[] topic = TOPIC.getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (int seq = 0; seq < MESSAGES; seq++) {
                window.acquire();
                int packetId = seq % 65_535 + 1;
                batch.write(0x32); // PUBLISH, QoS 1
                batch.write(2 + topic.length + 2 + 4); // remaining length (< 128)
                batch.write(0);
                batch.write(topic.length);
                batch.write(topic);
                batch.write(packetId >> 8);
                batch.write(packetId & 0xFF);
                batch.write(ByteBuffer.allocate(4).putInt(seq).array());
                if (batch.size() >= 8_192 || window.availablePermits() == 0 || seq == MESSAGES - 1) {
                    out.write(batch.toByteArray());
                    batch.reset();
                }
            }
            out.flush();
            await("PUBACK for every message", Duration.ofSeconds(60), () -> acked.get() == MESSAGES);
            acks.join(5_000);
        }
    }
}
