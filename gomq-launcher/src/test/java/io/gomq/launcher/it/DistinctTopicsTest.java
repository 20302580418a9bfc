package io.gomq.launcher.it;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.gomq.launcher.StandaloneBroker;
import io.gomq.launcher.testing.TestBrokers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A publisher of ever new topics, each retained: the retained store stops at max-retained-messages
 * (PUBACK 0x97 beyond), the topic tree does not grow (it holds subscriptions only; the match cache
 * is bounded) and another client is served meanwhile. The suite runs 20,000 topics; -Phostile a
 * million, and prints time, heap after GC and the refusal count.
 */
class DistinctTopicsTest {
    @Test
    @Timeout(120)
    void twentyThousandDistinctRetainedTopics() throws Exception {
        distinctRetainedTopics(20_000, 5_000);
    }

    @Test
    @Tag("hostile")
    @Timeout(1_800)
    void aMillionDistinctRetainedTopics() throws Exception {
        distinctRetainedTopics(1_000_000, 100_000);
    }

    private static void distinctRetainedTopics(int topics, int maxRetained) throws Exception {
        try (StandaloneBroker broker = TestBrokers.start(c -> c.broker().maxRetainedMessages(maxRetained));
             PahoClients watcher = PahoClients.connect(broker, "watcher", true)) {
            watcher.client.subscribe("t/#", 0); // a subscriber that sees them all
            long heapBefore = heapAfterGc();
            Mqtt5AsyncClient pub = Mqtt5Client.builder().identifier("topic-spammer").serverHost("127.0.0.1")
                    .serverPort(broker.mqttPort()).buildAsync();
            pub.connect().get(10, TimeUnit.SECONDS);
            Semaphore window = new Semaphore(256); // bounded in flight on the client side too
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger quota = new AtomicInteger();
            AtomicInteger other = new AtomicInteger();
            long t0 = System.nanoTime();
            for (int i = 0; i < topics; i++) {
                window.acquire();
                CompletableFuture<?> f = pub.publishWith().topic("t/" + i + "/x").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(new byte[16]).send();
                f.whenComplete((r, e) -> {
                    Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                    if (e == null) {
                        ok.incrementAndGet();
                    } else if (cause instanceof Mqtt5PubAckException p
                            && p.getMqttMessage().getReasonCode() == Mqtt5PubAckReasonCode.QUOTA_EXCEEDED) {
                        quota.incrementAndGet();
                    } else {
                        other.incrementAndGet();
                    }
                    window.release();
                });
                if (i == topics / 2) {
                    TopicLimitsTest.roundTrip(broker, "meanwhile"); // served in the middle of it
                }
            }
            window.acquire(256);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            long heapAfter = heapAfterGc();
            System.out.printf("%,d distinct retained topics in %,d ms: %,d stored, %,d refused (0x97); heap after GC %,d -> %,d MB; "
                            + "subscriptions in the tree %d%n", topics, ms, ok.get(), quota.get(),
                    heapBefore >> 20, heapAfter >> 20, broker.engine().topicTree().subscriptionCount());
            assertEquals(0, other.get());
            assertEquals(maxRetained, ok.get());
            assertEquals(topics - maxRetained, quota.get());
            assertEquals(maxRetained, broker.engine().retained().size());
            assertEquals(topics - maxRetained, broker.engine().metrics().refusedRetained.sum());
            assertEquals(1, broker.engine().topicTree().subscriptionCount(), "the watcher's only");
            assertTrue(pub.getState().isConnected());
            TopicLimitsTest.roundTrip(broker, "after");
            pub.disconnect().get(10, TimeUnit.SECONDS);
        }
    }

    static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
