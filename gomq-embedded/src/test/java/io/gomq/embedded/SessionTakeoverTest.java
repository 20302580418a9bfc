package io.gomq.embedded;

import io.gomq.client.Consumer;
import io.gomq.client.ConsumerOptions;
import io.gomq.client.Delivery;
import io.gomq.client.Producer;
import io.gomq.client.Qos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A consumer taking over a client id whose session another consumer still holds. */
class SessionTakeoverTest {
    @TempDir
    Path dataDir;

    private static ConsumerOptions durable(String id, boolean autoAck) {
        return ConsumerOptions.defaults().clientId(id).cleanSession(false).autoAck(autoAck);
    }

    @Test
    @Timeout(30)
    void shouldWaitForTheRunningHandlerBeforeTheNewConsumerOwnsTheSession() throws Exception {
        try (GoMqBroker broker = GoMqBroker.start(EmbeddedConfig.builder().dataDir(dataDir).build());
             Producer producer = broker.producer()) {
            CountDownLatch inHandler = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Consumer first = broker.consumer(durable("worker", false));
            first.subscribe(List.of("jobs"), Qos.AT_LEAST_ONCE, d -> {
                inHandler.countDown();
                try {
                    release.await(20, TimeUnit.SECONDS); // a handler still busy with the session's delivery
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            producer.publish("jobs", null, "job-1".getBytes(), Qos.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
            assertTrue(inHandler.await(10, TimeUnit.SECONDS));

            CompletableFuture<Consumer> second = new CompletableFuture<>();
            Thread taker = new Thread(() -> second.complete(broker.consumer(durable("worker", false))), "taker");
            taker.setDaemon(true);
            taker.start();
            // the taker parks in the takeover (waiting for the handler) instead of returning the consumer
            await().atMost(Duration.ofSeconds(10)).until(() -> taker.getState() == Thread.State.WAITING
                    || taker.getState() == Thread.State.TIMED_WAITING || second.isDone());
            assertFalse(second.isDone(), "the new consumer must not own the session while the old handler runs");

            release.countDown();
            try (Consumer taken = second.get(10, TimeUnit.SECONDS)) {
                taken.subscribe(List.of("jobs"), Qos.AT_LEAST_ONCE);
                Delivery again = taken.poll(Duration.ofSeconds(10));
                assertNotNull(again, "the unacknowledged job is delivered to the new owner");
                assertEquals("job-1", again.payloadAsString());
                assertTrue(again.redelivered());
                again.ack();
                producer.publish("jobs", null, "job-2".getBytes(), Qos.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
                Delivery next = taken.poll(Duration.ofSeconds(10));
                assertNotNull(next);
                assertEquals("job-2", next.payloadAsString());
            }
            first.close();
        }
    }

    @Test
    @Timeout(30)
    void shouldTakeOverAPollingConsumerAtOnceWhenNobodyPolls() throws Exception {
        try (GoMqBroker broker = GoMqBroker.start(EmbeddedConfig.builder().dataDir(dataDir).build());
             Producer producer = broker.producer()) {
            Consumer first = broker.consumer(durable("poller", true));
            first.subscribe(List.of("p"), Qos.AT_LEAST_ONCE);
            producer.publish("p", null, "one".getBytes(), Qos.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
            long t0 = System.nanoTime();
            try (Consumer second = broker.consumer(durable("poller", true))) {
                assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
                second.subscribe(List.of("p"), Qos.AT_LEAST_ONCE);
                Delivery d = second.poll(Duration.ofSeconds(10));
                assertNotNull(d);
                assertEquals("one", d.payloadAsString());
            }
            first.close();
        }
    }
}
