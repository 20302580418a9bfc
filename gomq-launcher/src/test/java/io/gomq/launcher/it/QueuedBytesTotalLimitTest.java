package io.gomq.launcher.it;

import io.gomq.core.queue.QueuedBytesBudget;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.testing.TestBrokers;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --max-queued-bytes-total with real clients: ten persistent subscribers that each take a
 * message every 5 ms or so, one publisher of 1 KiB QoS 1 messages far faster than that.
 * The bytes of all queues together stay within the total (each queue alone could hold 1 MiB),
 * the publisher is paced instead, and every acknowledged message reaches every subscriber.
 */
@Timeout(120)
class QueuedBytesTotalLimitTest {
    private static final int SUBSCRIBERS = 10;
    private static final int MESSAGES = 400;
    private static final int PAYLOAD = 1024;
    private static final long TOTAL = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void shouldHoldAllQueuesWithinTheTotalAndLoseNothingAcknowledgedWithManySlowSubscribers() throws Exception {
        try (StandaloneBroker broker = TestBrokers.start(c -> c.maxQueuedBytes(1 << 20).broker().persistent(true)
                .dataDir(dir).maxQueuedBytesTotal(TOTAL))) {
            String uri = TestBrokers.tcpUri(broker);
            List<MqttClient> subscribers = new ArrayList<>();
            List<Set<Integer>> received = new ArrayList<>();
            try {
                for (int i = 0; i < SUBSCRIBERS; i++) {
                    Set<Integer> got = ConcurrentHashMap.newKeySet();
                    received.add(got);
                    MqttClient sub = new MqttClient(uri, "slow-" + i, new MemoryPersistence());
                    subscribers.add(sub);
                    sub.setCallback(new SlowSubscriber(got));
                    sub.connect(PahoClients.options(false));
                    sub.subscribe("total/#", 1);
                }
                List<Integer> acknowledged = new ArrayList<>();
                MqttAsyncClient publisher = new MqttAsyncClient(uri, "fast-publisher", new MemoryPersistence());
                try {
                    publisher.connect(PahoClients.options(true)).waitForCompletion(10_000);
                    List<IMqttDeliveryToken> tokens = new ArrayList<>();
                    for (int seq = 0; seq < MESSAGES; seq++) { // up to 1,000 in flight: far ahead of the subscribers
                        byte[] payload = new byte[PAYLOAD];
                        ByteBuffer.wrap(payload).putInt(seq);
                        tokens.add(publisher.publish("total/x", payload, 1, false));
                    }
                    for (int seq = 0; seq < MESSAGES; seq++) {
                        tokens.get(seq).waitForCompletion(60_000); // throws unless PUBACKed
                        acknowledged.add(seq);
                    }
                    publisher.disconnect().waitForCompletion(5_000);
                } finally {
                    publisher.close(true);
                }
                for (int i = 0; i < SUBSCRIBERS; i++) {
                    Set<Integer> got = received.get(i);
                    int subscriber = i;
                    // says who fell short and by how much: seen once in CI, a subscriber short after 60 s
                    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertTrue(got.size() >= MESSAGES,
                            () -> "subscriber " + subscriber + " has " + got.size() + " of " + MESSAGES + " messages; queued bytes now "
                                    + broker.engine().queuedBytes().bytes()));
                    assertEquals(Set.copyOf(acknowledged), Set.copyOf(got), "subscriber " + i + " got every acknowledged message");
                }
                QueuedBytesBudget total = broker.engine().queuedBytes();
                assertTrue(total.refusals() > 0, "the total was reached (else the test shows nothing)");
                assertTrue(total.peak() <= TOTAL, "all queues together held at most the total: peak " + total.peak());
                assertTrue(broker.engine().metrics().pacedPublishers.sum() > 0, "the publisher was paced");
                assertEquals(0, broker.engine().metrics().droppedQos1.sum());
            } finally {
                for (MqttClient sub : subscribers) {
                    if (sub.isConnected()) {
                        sub.disconnect(1_000);
                    }
                    sub.close(true);
                }
            }
        }
    }

    /** Takes a message about every 5 ms: moving, never stuck. */
    private record SlowSubscriber(Set<Integer> got) implements MqttCallback {
        @Override
        public void connectionLost(Throwable cause) {
        }

        @Override
        public void messageArrived(String topic, MqttMessage m) {
            LockSupport.parkNanos(5_000_000);
            got.add(ByteBuffer.wrap(m.getPayload()).getInt());
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }
    }
}
