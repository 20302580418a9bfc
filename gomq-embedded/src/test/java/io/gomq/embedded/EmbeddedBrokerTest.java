package io.gomq.embedded;

import io.gomq.client.Consumer;
import io.gomq.client.ConsumerOptions;
import io.gomq.client.Delivery;
import io.gomq.client.Producer;
import io.gomq.client.PublishReceipt;
import io.gomq.client.Qos;
import io.gomq.client.ClosedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedBrokerTest {

    private static EmbeddedConfig memory() {
        return EmbeddedConfig.builder().persistent(false).build();
    }

    @Test
    @Timeout(60)
    void shouldLoseAndDuplicateNothingWhenSeveralProducersPublishQos1() throws Exception {
        int producers = 4;
        int perProducer = 20_000;
        try (GoMqBroker broker = GoMqBroker.start(memory());
             Consumer consumer = broker.consumer()) {
            Set<String> seen = ConcurrentHashMap.newKeySet();
            AtomicInteger duplicates = new AtomicInteger();
            consumer.subscribe(List.of("load/+"), Qos.AT_LEAST_ONCE, d -> {
                if (!seen.add(d.payloadAsString())) {
                    duplicates.incrementAndGet();
                }
            });
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int id = p;
                Thread t = new Thread(() -> {
                    Producer producer = broker.producer();
                    for (int i = 0; i < perProducer; i++) {
                        CompletableFuture<PublishReceipt> f = producer.publish("load/" + id, null,
                                (id + ":" + i).getBytes(), Qos.AT_LEAST_ONCE, false);
                        f.join(); // honour pacing
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() == producers * perProducer);
            assertEquals(0, duplicates.get());
            assertEquals(0, broker.internal().engine().metrics().droppedQos1.sum());
        }
    }

    @Test
    @Timeout(60)
    void shouldKeepOthersReceivingAndMemoryBoundedWhenOneSubscriberStalls() throws Exception {
        EmbeddedConfig config = memory().toBuilder().maxQueuedMessages(256).stuckSubscriberMs(200).build();
        try (GoMqBroker broker = GoMqBroker.start(config);
             Consumer stalled = broker.consumer();
             Consumer healthy = broker.consumer()) {
            CountDownLatch release = new CountDownLatch(1);
            stalled.subscribe(List.of("feed"), Qos.AT_MOST_ONCE, d -> release.await());
            AtomicLong healthyCount = new AtomicLong();
            healthy.subscribe(List.of("feed"), Qos.AT_MOST_ONCE, d -> healthyCount.incrementAndGet());

            Producer producer = broker.producer();
            int total = 20_000;
            long t0 = System.nanoTime();
            for (int i = 0; i < total; i++) {
                CompletableFuture<PublishReceipt> f = producer.publish("feed", "m" + i);
                if (!f.isDone()) {
                    f.get(5, TimeUnit.SECONDS); // paced at most for the stuck time, never forever
                }
            }
            long publishMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            var m = broker.internal().engine().metrics();
            await().atMost(Duration.ofSeconds(20)).failFast(() -> healthyCount.get() + m.droppedQos0.sum() > 2L * total + 1000)
                    .alias("healthy subscriber receives every message")
                    .until(() -> healthyCount.get() == total);
            var stalledSession = broker.internal().engine().sessions().get(stalled.clientId());
            assertTrue(stalledSession.queue().size() <= 256, "bounded: " + stalledSession.queue().size());
            assertTrue(broker.internal().engine().metrics().droppedQos0.sum() > 0, "the stuck subscriber's QoS 0 is dropped and counted");
            assertTrue(publishMs < 15_000, "publisher was held " + publishMs + " ms");
            release.countDown();
        }
    }

    @Test
    @Timeout(30)
    void shouldResumePersistentSessionWithMessagesPublishedWhileAway() {
        try (GoMqBroker broker = GoMqBroker.start(memory())) {
            Consumer first = broker.consumer(ConsumerOptions.defaults().clientId("durable").cleanSession(false));
            first.subscribe(List.of("orders/#"), Qos.AT_LEAST_ONCE);
            first.close();
            broker.producer().publish("orders/1", null, "while away".getBytes(), Qos.AT_LEAST_ONCE, false).join();
            broker.producer().publish("orders/2", null, "qos0 dropped offline".getBytes(), Qos.AT_MOST_ONCE, false).join();
            try (Consumer again = broker.consumer(ConsumerOptions.defaults().clientId("durable").cleanSession(false))) {
                Delivery d = again.poll(Duration.ofSeconds(5));
                assertEquals("while away", d.payloadAsString());
                assertEquals(null, again.poll(Duration.ofMillis(100)));
            }
        }
    }

    @Test
    @Timeout(30)
    void shouldRedeliverUnackedMessageWhenManualAckConsumerReturns() {
        try (GoMqBroker broker = GoMqBroker.start(memory())) {
            ConsumerOptions opts = ConsumerOptions.defaults().clientId("manual").cleanSession(false).autoAck(false);
            Consumer first = broker.consumer(opts);
            first.subscribe(List.of("jobs"), Qos.AT_LEAST_ONCE);
            broker.producer().publish("jobs", null, "job-1".getBytes(), Qos.AT_LEAST_ONCE, false).join();
            Delivery d = first.poll(Duration.ofSeconds(5));
            assertFalse(d.redelivered());
            first.close(); // not acked
            try (Consumer again = broker.consumer(opts)) {
                Delivery re = again.poll(Duration.ofSeconds(5));
                assertEquals("job-1", re.payloadAsString());
                assertTrue(re.redelivered());
                re.ack();
                assertEquals(null, again.poll(Duration.ofMillis(100)));
                assertEquals(0, broker.internal().engine().sessions().get("manual").inflight().size());
            }
        }
    }

    @Test
    @Timeout(20)
    void shouldFailClearlyOnBadInputAndClosedBroker() {
        GoMqBroker broker = GoMqBroker.start(memory().toBuilder().maxPayloadBytes(8).build());
        Producer producer = broker.producer();
        ExecutionException tooBig = assertThrows(ExecutionException.class,
                () -> producer.publish("a", "123456789").get());
        assertInstanceOf(IllegalArgumentException.class, tooBig.getCause());
        ExecutionException badTopic = assertThrows(ExecutionException.class, () -> producer.publish("a/#", "x").get());
        assertInstanceOf(IllegalArgumentException.class, badTopic.getCause());
        Consumer consumer = broker.consumer();
        IllegalArgumentException badFilter = assertThrows(IllegalArgumentException.class,
                () -> consumer.subscribe(List.of("a/#/b"), Qos.AT_MOST_ONCE));
        assertTrue(badFilter.getMessage().contains("'#' must be the last level"), badFilter.getMessage());
        broker.close();
        ExecutionException closed = assertThrows(ExecutionException.class, () -> producer.publish("a", "x").get());
        // a producer of a closed broker reports the broker, not itself
        assertInstanceOf(ClosedException.class, closed.getCause());
        assertThrows(ClosedException.class, broker::consumer);
    }

    @Test
    @Timeout(20)
    void shouldDeliverQos2ExactlyOnceToHandler() throws Exception {
        try (GoMqBroker broker = GoMqBroker.start(memory());
             Consumer consumer = broker.consumer()) {
            List<Integer> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            consumer.subscribe(List.of("x"), Qos.EXACTLY_ONCE, d -> seen.add(d.payload().length == 1 ? d.payload()[0] & 0xFF : -1));
            List<Integer> sent = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                broker.producer().publish("x", null, new byte[]{(byte) i}, Qos.EXACTLY_ONCE, false).join();
                sent.add(i & 0xFF);
            }
            // a marker after them: in order on one topic, so when it arrives a duplicate of any earlier one would have
            broker.producer().publish("x", null, new byte[]{0, 0}, Qos.EXACTLY_ONCE, false).join();
            sent.add(-1);
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains(-1));
            assertEquals(sent, seen, "each once, in order, nothing between them and the marker");
            await().until(() -> broker.internal().engine().sessions().get(consumer.clientId()).inflight().size() == 0);
        }
    }
}
