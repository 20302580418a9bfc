package io.gomq.embedded.demo;

import io.gomq.client.Consumer;
import io.gomq.client.Producer;
import io.gomq.client.PublishReceipt;
import io.gomq.client.Qos;
import io.gomq.embedded.EmbeddedConfig;
import io.gomq.embedded.GoMqBroker;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The embedded broker end to end, after GoMQ's client example: a consumer subscribes to topic
 * "A" at QoS 1, a producer publishes a few keyed "hello world" messages to it, and the demo
 * prints what went each way, the counts and the time taken. Memory-only, so no JVM flags needed.
 *
 * <pre>mvn -q -pl gomq-embedded -am test-compile exec:exec -Dexec.executable=true</pre>
 *
 * ({@code -am} runs exec:exec in gomq-parent and gomq-core too, which configure no executable:
 * {@code -Dexec.executable=true} makes them run {@code true}; gomq-embedded's pom sets its own
 * {@code java}, which wins over the property.)
 *
 * Exits 0 when every message arrived, 1 otherwise.
 */
public final class EmbeddedDemo {
    private static final String TOPIC = "A";
    private static final String BODY = "hello world";
    private static final int MESSAGES = 5;
    private static final long TIMEOUT_MS = 5_000;

    private EmbeddedDemo() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        CountDownLatch allReceived = new CountDownLatch(MESSAGES);
        AtomicInteger received = new AtomicInteger();
        int published = 0;
        int queued = 0;
        boolean complete;

        try (GoMqBroker broker = GoMqBroker.start(EmbeddedConfig.builder().persistent(false).build());
             Consumer consumer = broker.consumer();
             Producer producer = broker.producer()) {

            // the handler runs on a broker dispatcher thread; it is acknowledged (PUBACK) when it returns
            consumer.subscribe(List.of(TOPIC), Qos.AT_LEAST_ONCE, delivery -> {
                System.out.printf("received  topic=%s key=%s qos=%d body=\"%s\"%n",
                        delivery.topic(), delivery.key(), delivery.qos().level(), delivery.payloadAsString());
                received.incrementAndGet();
                allReceived.countDown();
            });

            for (int i = 1; i <= MESSAGES; i++) {
                String key = "key-" + i;
                System.out.printf("publish   topic=%s key=%s qos=1 body=\"%s\"%n", TOPIC, key, BODY);
                PublishReceipt receipt = producer
                        .publish(TOPIC, key, BODY.getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false)
                        .get(TIMEOUT_MS, TimeUnit.MILLISECONDS); // completes once routed to the subscriber queues
                published++;
                queued += receipt.subscribers();
            }
            complete = allReceived.await(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }

        System.out.printf("published %d (queued %d times), received %d, in %.1f ms from broker start to close%n",
                published, queued, received.get(), (System.nanoTime() - start) / 1e6);
        if (!complete) {
            System.err.printf("only %d of %d messages arrived within %d ms%n", received.get(), MESSAGES, TIMEOUT_MS);
            System.exit(1);
        }
    }
}
